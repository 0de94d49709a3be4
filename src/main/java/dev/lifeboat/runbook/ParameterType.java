package dev.lifeboat.runbook;

/** What a parameter holds; each type knows how to read and check a value a person typed. */
public enum ParameterType {
  STRING,
  BOOLEAN,
  INTEGER,
  /** ISO-8601 duration such as PT24H. */
  DURATION,
  /** Comma-separated client URLs: http(s)://host:port. */
  ENDPOINTS,
  /** host or host:port. */
  HOST,
  /** The name of an entry under lifeboat.credentials; the secret itself never travels. */
  CREDENTIAL_REF,
  /** The id of a backup in the catalogue. */
  BACKUP_ID,
  /** An absolute path on the target host. */
  PATH,
  /** A shell command line the operator supplies, run on the target host; approvers see it verbatim. */
  COMMAND
}
