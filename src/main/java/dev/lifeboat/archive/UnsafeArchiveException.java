package dev.lifeboat.archive;

/** The archive is not what it claims, or tries to write outside where it is unpacked. */
public class UnsafeArchiveException extends RuntimeException {
  public UnsafeArchiveException(String message) {
    super(message);
  }
}
