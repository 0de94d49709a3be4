package dev.lifeboat.security;

/**
 * OPERATOR starts runs and handles backups; APPROVER decides on destructive steps; AUDITOR reads
 * the history; ADMIN may do everything.
 */
public enum Role {
  OPERATOR,
  APPROVER,
  AUDITOR,
  ADMIN;

  /** Whether {@code name} is one of the roles. */
  public static boolean isRole(String name) {
    for (Role role : values()) {
      if (role.name().equals(name)) {
        return true;
      }
    }
    return false;
  }

  public String authority() {
    return "ROLE_" + name();
  }
}
