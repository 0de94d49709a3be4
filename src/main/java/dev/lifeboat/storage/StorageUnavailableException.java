package dev.lifeboat.storage;

/**
 * The configured backup repository cannot be used; Lifeboat does not start. The message says what
 * is wrong and {@link #action()} what to change.
 */
class StorageUnavailableException extends IllegalStateException {

  private final String description;
  private final String action;

  StorageUnavailableException(String description, String action, Throwable cause) {
    super(description + ". " + action, cause);
    this.description = description;
    this.action = action;
  }

  String description() {
    return description;
  }

  String action() {
    return action;
  }
}
