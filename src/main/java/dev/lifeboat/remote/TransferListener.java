package dev.lifeboat.remote;

/** Receives the bytes transferred so far. */
@FunctionalInterface
public interface TransferListener {

  TransferListener NONE = bytes -> {};

  void transferred(long bytes);
}
