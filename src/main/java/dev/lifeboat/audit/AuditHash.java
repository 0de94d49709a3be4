package dev.lifeboat.audit;

import dev.lifeboat.archive.Sha256;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The hash of an audit event: lower-case hex SHA-256 over this canonical encoding of its fields,
 * so that anyone can recompute it from an export:
 *
 * <pre>
 * "lifeboat-audit-v1" then, for each of seq, time, actor, action, runId, step, runbook, details,
 * prevHash in this order: "|" followed by "-" when the field is null, else by the byte length of
 * its UTF-8 text, ":" and the text.
 * </pre>
 *
 * seq is decimal; time is microseconds since 1970-01-01T00:00:00Z in decimal (what both databases
 * store); details is the JSON text exactly as stored. The length prefixes make the encoding
 * unambiguous: no choice of field values can make two different events encode alike. The first
 * event's prevHash is {@link #GENESIS}.
 */
public final class AuditHash {

  public static final String GENESIS = "0".repeat(64);
  private static final String VERSION = "lifeboat-audit-v1";

  private AuditHash() {}

  public static String of(long seq, Instant time, String actor, String action, String runId, String step,
      String runbook, String details, String prevHash) {
    MessageDigest digest = Sha256.newDigest();
    digest.update(canonical(seq, time, actor, action, runId, step, runbook, details, prevHash));
    return HexFormat.of().formatHex(digest.digest());
  }

  static byte[] canonical(long seq, Instant time, String actor, String action, String runId, String step,
      String runbook, String details, String prevHash) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 + (details == null ? 0 : details.length()));
    out.writeBytes(VERSION.getBytes(StandardCharsets.UTF_8));
    for (String field : new String[] {Long.toString(seq), Long.toString(micros(time)), actor, action, runId, step,
        runbook, details, prevHash}) {
      out.write('|');
      if (field == null) {
        out.write('-');
      } else {
        byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
        out.writeBytes((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(bytes);
      }
    }
    return out.toByteArray();
  }

  static long micros(Instant time) {
    return Math.addExact(Math.multiplyExact(time.getEpochSecond(), 1_000_000L), time.getNano() / 1_000);
  }
}
