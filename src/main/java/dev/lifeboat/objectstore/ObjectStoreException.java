package dev.lifeboat.objectstore;

import java.io.IOException;

/**
 * A request the store refused or that could not reach it. {@code status} is the HTTP status (0 when
 * no answer came), {@code code} the S3 error code ({@code NoSuchBucket}, {@code AccessDenied}, ...)
 * when the store sent one. Messages never hold credentials.
 */
public class ObjectStoreException extends IOException {

  private final int status;
  private final String code;

  public ObjectStoreException(String message, int status, String code, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public boolean isNotFound() {
    return status == 404;
  }

  /** The store answered, but these credentials may not do this (wrong key, wrong secret, no permission). */
  public boolean isRefused() {
    return status == 401 || status == 403;
  }

  /** No answer from the store at all (unreachable endpoint, DNS, TLS, timeout). */
  public boolean isUnreachable() {
    return status == 0;
  }
}
