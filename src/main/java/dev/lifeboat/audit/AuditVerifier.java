package dev.lifeboat.audit;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Recomputes the chain from the first event to the chain head, in seq order and in batches: every
 * seq present with none missing, every prevHash equal to the hash before it, every hash equal to
 * the hash of the event's contents, and the last event equal to the recorded chain head (which
 * catches events cut off the end). Events appended while it runs are left for the next time.
 */
@Service
public class AuditVerifier {

  private final JdbcClient jdbc;
  private final AuditQuery query;

  AuditVerifier(JdbcClient jdbc, AuditQuery query) {
    this.jdbc = jdbc;
    this.query = query;
  }

  public AuditVerification verify() {
    Head head = head();
    Walk walk = new Walk();
    query.forEachStored(AuditFilter.ALL, head.seq(), walk::check);
    if (walk.broken != null) {
      return walk.broken;
    }
    if (walk.checked < head.seq()) {
      return AuditVerification.broken(walk.checked, walk.checked + 1, "event " + (walk.checked + 1)
          + " is missing: the chain head records " + head.seq() + " events but the trail ends at "
          + walk.checked);
    }
    if (head.seq() > 0 && !head.hash().equals(walk.previousHash)) {
      return AuditVerification.broken(walk.checked - 1, head.seq(), "hash of event " + head.seq()
          + " does not match the hash recorded in the chain head");
    }
    // Read in this order, any event committed by an append has a seq at most the head read after it.
    long last = jdbc.sql("select coalesce(max(seq), 0) from audit_events").query(Long.class).single();
    long headNow = head().seq();
    if (last > headNow) {
      return AuditVerification.broken(walk.checked, headNow + 1, "event " + (headNow + 1)
          + " lies beyond the chain head (" + headNow + "): it was not appended by Lifeboat");
    }
    return AuditVerification.valid(walk.checked);
  }

  private Head head() {
    return jdbc.sql("select seq, hash from audit_chain_head where id = 1")
        .query((rs, n) -> new Head(rs.getLong(1), rs.getString(2))).single();
  }

  private record Head(long seq, String hash) {}

  /** The state of one pass over the chain; stops judging at the first broken link. */
  private static final class Walk {
    long checked;
    String previousHash = AuditHash.GENESIS;
    AuditVerification broken;

    /** Checks the next event; false once the chain is broken. */
    boolean check(StoredEvent event) {
      long expected = checked + 1;
      if (event.seq() != expected) {
        broken = AuditVerification.broken(checked, expected, "event " + expected + " is missing: the event after "
            + checked + " is " + event.seq());
      } else if (!previousHash.equals(event.prevHash())) {
        broken = AuditVerification.broken(checked, event.seq(), "prev_hash of event " + event.seq()
            + " does not match the hash of event " + checked + ": the link between them is broken");
      } else if (!event.computedHash().equals(event.hash())) {
        broken = AuditVerification.broken(checked, event.seq(), "hash of event " + event.seq()
            + " does not match its contents");
      } else {
        checked = expected;
        previousHash = event.hash();
      }
      return broken == null;
    }
  }
}
