package dev.lifeboat.juju;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Juju's printed backup metadata, read by label as reference/juju.md records it. */
class PrintedMetadataTest {

  @Test
  void readsJuju1sQuotedBlockWithTheBareIdAndDownloadLine() {
    PrintedMetadata m = PrintedMetadata.parse("""
        backup ID:       "20150907-154511.19f1b8b2-29cc-43de-866d-48ef88cf2f17"
        checksum:        "9NttJ4ELrA9XBlBFBX0ToxmrlNM="
        checksum format: "SHA-1, base64 encoded"
        size (B):        33013934
        stored:          2015-09-07 15:45:59 +0000 UTC
        started:         2015-09-07 15:45:11.831515387 +0000 UTC
        finished:        2015-09-07 15:45:48.842386549 +0000 UTC
        notes:           ""
        environment ID:  "19f1b8b2-29cc-43de-866d-48ef88cf2f17"
        machine ID:      "0"
        created on host: "ip-10-180-194-91"
        juju version:    1.24.5
        20150907-154511.19f1b8b2-29cc-43de-866d-48ef88cf2f17
        downloading to juju-backup-20150907-154511.tar.gz
        """);
    assertThat(m.backupId()).isEqualTo("20150907-154511.19f1b8b2-29cc-43de-866d-48ef88cf2f17");
    assertThat(m.checksum()).isEqualTo("9NttJ4ELrA9XBlBFBX0ToxmrlNM=");
    assertThat(m.checksumFormat()).isEqualTo("SHA-1, base64 encoded");
    assertThat(m.size()).isEqualTo(33013934L);
    assertThat(m.modelUuid()).isEqualTo("19f1b8b2-29cc-43de-866d-48ef88cf2f17");
    assertThat(m.started()).isEqualTo(Instant.parse("2015-09-07T15:45:11.831515387Z"));
    assertThat(m.stored()).isEqualTo(Instant.parse("2015-09-07T15:45:59Z"));
    assertThat(m.get("juju version")).isEqualTo("1.24.5");
    assertThat(m.get("notes")).isNull();
    assertThat(m.missing()).isEmpty();
  }

  @Test
  void buildsTheIdJuju3NoLongerPrintsFromStartedAndTheModelUuid() {
    PrintedMetadata m = PrintedMetadata.parse("""

        backup format version: 1\s
        juju version:          3.0.0\s
        base:                  ubuntu@22.04\s

        controller UUID:       7a4b2a1c-0000-4000-8000-000000000001\s
        controllers in HA:     3
        model UUID:            5b1c9d2e-0000-4000-8000-000000000002\s
        machine ID:            0\s
        created on host:       juju-360fb4-0\s

        checksum:              BrOGsXIK375529xlXJHX7m23Amk=\s
        checksum format:       SHA-1, base64 encoded\s
        size (B):              114919198\s
        stored:                0001-01-01 00:00:00 +0000 UTC\s
        started:               2022-11-09 09:06:46.800165238 +0000 UTC\s
        finished:              2022-11-09 09:07:08.44076498 +0000 UTC\s

        notes:                 \s

        """);
    assertThat(m.backupId()).isEqualTo("20221109-090646.5b1c9d2e-0000-4000-8000-000000000002");
    assertThat(m.stored()).as("Go's zero time is 'not set'").isNull();
    assertThat(m.finished()).isEqualTo(Instant.parse("2022-11-09T09:07:08.44076498Z"));
    assertThat(m.get("controllers in HA")).isEqualTo("3");
    assertThat(m.get("base")).isEqualTo("ubuntu@22.04");
    assertThat(m.size()).isEqualTo(114919198L);
  }

  @Test
  void readsThe27BackupIdLineAnd29Series() {
    PrintedMetadata m = PrintedMetadata.parse("""
        backup ID:             20200101-120000.abc\s
        series:                focal\s
        model UUID:            abc\s
        checksum:              x=\s
        size (B):              1\s
        started:               2020-01-01 12:00:00.5 +0000 UTC\s
        """);
    assertThat(m.backupId()).isEqualTo("20200101-120000.abc");
    assertThat(m.get("series")).isEqualTo("focal");
  }

  @Test
  void namesWhatIsMissing() {
    assertThat(PrintedMetadata.parse("Downloaded to x\n").missing())
        .containsExactly("checksum", "size (B)", "started", "model/environment ID");
  }

  @Test
  void versionsDecideTheGeneration() {
    assertThat(JujuCli.Version.parse("1.25.6-trusty-amd64\n").generation()).isEqualTo(JujuCli.Generation.JUJU_1);
    assertThat(JujuCli.Version.parse("3.1.6-genericlinux-amd64").number()).isEqualTo("3.1.6");
    assertThat(JujuCli.Version.parse("2.9.45-ubuntu-amd64").generation()).isEqualTo(JujuCli.Generation.JUJU_2_9);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> JujuCli.Version.parse("2.8.1-bionic-amd64").generation())
        .hasMessageContaining("2.0-2.8");
    assertThat(JujuHaRestoreTarget.sameVersion("3.1.6", "3.1.6.1")).isTrue();
    assertThat(JujuHaRestoreTarget.sameVersion("3.1.6", "3.1.7")).isFalse();
  }
}
