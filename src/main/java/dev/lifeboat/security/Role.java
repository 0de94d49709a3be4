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

  public String authority() {
    return "ROLE_" + name();
  }
}
