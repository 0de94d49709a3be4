package dev.lifeboat.approval;

/** What an approver decides on an approval task. */
public enum Decision {
  APPROVE,
  REJECT
}
