package dev.lifeboat.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The canonical encoding behind every event's hash, CSV quoting and secret masking. */
class AuditHashTest {

  private static final Instant TIME = Instant.parse("2025-11-21T14:30:00.123456Z");
  private static final String RUN = "0b7f6c1e-3f7e-4c55-9d7a-2a4f1c9e8b10";
  private static final String DETAILS = "{\"notes\":\"ünï,\\\"\"}";

  @Test
  void encodesEveryFieldWithItsUtf8LengthAndNullsDistinctly() {
    String canonical = new String(AuditHash.canonical(7, TIME, "alice", "run.started", RUN, null, "etcd-snapshot",
        DETAILS, AuditHash.GENESIS), StandardCharsets.UTF_8);
    assertThat(canonical).isEqualTo("lifeboat-audit-v1|1:7|16:1763735400123456|5:alice|11:run.started|36:" + RUN
        + "|-|13:etcd-snapshot|20:" + DETAILS + "|64:" + AuditHash.GENESIS);
  }

  @Test
  void hashIsSha256OfTheCanonicalEncodingAsSha256sumComputesIt() {
    // printf '%s' '<the canonical text above>' | sha256sum
    assertThat(AuditHash.of(7, TIME, "alice", "run.started", RUN, null, "etcd-snapshot", DETAILS, AuditHash.GENESIS))
        .isEqualTo("63040dc8c1a648cebe8807563567de24c4ac9bfd714ad0e05f8b4b0889254f3d");
  }

  @Test
  void shiftingTextBetweenFieldsOrNullVersusEmptyChangesTheHash() {
    String base = AuditHash.of(1, TIME, "ab", "c", null, null, null, "{}", AuditHash.GENESIS);
    assertThat(AuditHash.of(1, TIME, "a", "bc", null, null, null, "{}", AuditHash.GENESIS)).isNotEqualTo(base);
    assertThat(AuditHash.of(1, TIME, "ab", "c", "", null, null, "{}", AuditHash.GENESIS)).isNotEqualTo(base);
    assertThat(AuditHash.of(1, TIME, "ab", "c", null, "", null, "{}", AuditHash.GENESIS)).isNotEqualTo(base);
    assertThat(AuditHash.of(1, TIME, "ab|1:c", null, null, null, null, "{}", AuditHash.GENESIS)).isNotEqualTo(base);
    assertThat(AuditHash.of(1, TIME.plusNanos(1000), "ab", "c", null, null, null, "{}", AuditHash.GENESIS))
        .isNotEqualTo(base);
    assertThat(AuditHash.of(2, TIME, "ab", "c", null, null, null, "{}", AuditHash.GENESIS)).isNotEqualTo(base);
    assertThat(AuditHash.of(1, TIME, "ab", "c", null, null, null, "{}", "1".repeat(64))).isNotEqualTo(base);
    assertThat(AuditHash.of(1, TIME, "ab", "c", null, null, null, "{}", AuditHash.GENESIS)).isEqualTo(base);
  }

  @Test
  void timeBeforeTheEpochAndNanosecondsBelowAMicrosecond() {
    assertThat(AuditHash.micros(Instant.parse("1969-12-31T23:59:59.999999Z"))).isEqualTo(-1);
    assertThat(AuditHash.micros(Instant.parse("1970-01-01T00:00:00.000001999Z"))).isEqualTo(1);
  }

  @Test
  void csvQuotesOnlyWhatRfc4180NeedsAndDoublesQuotes() {
    assertThat(AuditExport.csvLine(List.of("plain", "a,b", "say \"hi\"", "two\nlines", "cr\rhere", "")))
        .isEqualTo("plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rhere\",\r\n");
    assertThat(AuditExport.csvField("{\"status\":\"COMPLETED\",\"message\":null}"))
        .isEqualTo("\"{\"\"status\"\":\"\"COMPLETED\"\",\"\"message\"\":null}\"");
  }

  @Test
  void csvDefusesTextThatASpreadsheetWouldRunAsAFormula() {
    assertThat(AuditExport.csvField("=HYPERLINK(\"http://x\")")).isEqualTo("\"'=HYPERLINK(\"\"http://x\"\")\"");
    assertThat(AuditExport.csvField("+1")).isEqualTo("'+1");
    assertThat(AuditExport.csvField("@SUM(A1)")).isEqualTo("'@SUM(A1)");
    assertThat(AuditExport.csvField("olivia")).isEqualTo("olivia");
  }

  @Test
  void masksValuesUnderSecretLookingKeysAtAnyDepthButKeepsReferences() {
    Map<String, Object> masked = AuditDetails.masked(Map.of(
        "parameters", Map.of("endpoints", "http://e:2379", "credentialRef", "prod-etcd", "password", "hunter2",
            "nested", List.of(Map.of("client_secret", "s3cr3t", "apiToken", "t0k", "private-key", "PEM")))));
    assertThat(masked.toString()).doesNotContain("hunter2", "s3cr3t", "t0k", "PEM")
        .contains("credentialRef=prod-etcd", "endpoints=http://e:2379", "password=" + AuditDetails.MASK,
            "client_secret=" + AuditDetails.MASK, "apiToken=" + AuditDetails.MASK, "private-key=" + AuditDetails.MASK);
  }

  @Test
  void shortFieldsLoseControlCharactersAndAreCut() {
    assertThat(AuditDetails.field("eve\u0000\n=cmd", 200)).isEqualTo("eve\uFFFD\uFFFD=cmd");
    assertThat(AuditDetails.field("x".repeat(300), 200)).hasSize(200).endsWith("…");
  }
}
