package dev.lifeboat.runbook;

import static dev.lifeboat.runbook.RunbookParameter.backup;
import static dev.lifeboat.runbook.RunbookParameter.credential;
import static dev.lifeboat.runbook.RunbookParameter.optional;
import static dev.lifeboat.runbook.RunbookParameter.required;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.catalog.Backup;
import dev.lifeboat.credentials.CredentialKind;
import dev.lifeboat.credentials.CredentialsProperties.Credential;
import dev.lifeboat.runbook.ParameterInput.Choice;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Each parameter type's parsing and checks, and how the start form asks for it. */
class ParameterTypeTest {

  private final FakeLookups lookups = new FakeLookups(Map.of(
      "host-a", FakeLookups.ssh(),
      "host-b", FakeLookups.ssh(),
      "etcd-tls", FakeLookups.etcdTls(),
      "store", new Credential("AKIA", null, Path.of("/etc/lifeboat/s3.secret"), null, null, null)));

  private Object parse(ParameterType type, String text) {
    return type.parse(optional("p", type, null, ""), text, lookups);
  }

  private void refused(ParameterType type, String text, String message) {
    assertThatThrownBy(() -> parse(type, text)).as(type + " " + text)
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
  }

  private ParameterInput input(ParameterType type) {
    return type.input(optional("p", type, null, ""), lookups);
  }

  @Test
  void stringsAreTakenAsGiven() {
    assertThat(parse(ParameterType.STRING, "systemctl stop etcd")).isEqualTo("systemctl stop etcd");
    assertThat(input(ParameterType.STRING)).isEqualTo(new ParameterInput("text", null, null, List.of()));
  }

  @Test
  void booleans() {
    assertThat(List.of("true", "YES", "false", "no")).map(t -> parse(ParameterType.BOOLEAN, t))
        .containsExactly(true, true, false, false);
    refused(ParameterType.BOOLEAN, "maybe", "'maybe' is not true or false");
    assertThat(input(ParameterType.BOOLEAN).type()).isEqualTo("checkbox");
  }

  @Test
  void integers() {
    assertThat(parse(ParameterType.INTEGER, "42")).isEqualTo(42L);
    refused(ParameterType.INTEGER, "4.2", "'4.2' is not a whole number");
    assertThat(input(ParameterType.INTEGER).type()).isEqualTo("number");
  }

  @Test
  void gzipLevels() {
    assertThat(parse(ParameterType.GZIP_LEVEL, "1")).isEqualTo(1);
    assertThat(parse(ParameterType.GZIP_LEVEL, "9")).isEqualTo(9);
    refused(ParameterType.GZIP_LEVEL, "0", "'0' is not a gzip level: 1 (fastest) to 9 (smallest)");
    refused(ParameterType.GZIP_LEVEL, "10", "not a gzip level");
    refused(ParameterType.GZIP_LEVEL, "fast", "not a gzip level");
  }

  @Test
  void durations() {
    assertThat(parse(ParameterType.DURATION, "PT30M")).isEqualTo("PT30M");
    assertThat(parse(ParameterType.DURATION, "P1D")).isEqualTo("PT24H");
    refused(ParameterType.DURATION, "PT0S", "longer than zero");
    refused(ParameterType.DURATION, "-PT1H", "longer than zero");
    refused(ParameterType.DURATION, "tomorrow", "not an ISO-8601 duration");
    assertThat(browserAccepts(ParameterType.DURATION, "PT24H")).isTrue();
    assertThat(browserAccepts(ParameterType.DURATION, "24h")).isFalse();
  }

  @Test
  void endpoints() {
    assertThat(parse(ParameterType.ENDPOINTS, " http://a:2379 ,, https://10.0.0.6:2379 "))
        .isEqualTo("http://a:2379,https://10.0.0.6:2379");
    refused(ParameterType.ENDPOINTS, "http://a", "not a client URL");
    refused(ParameterType.ENDPOINTS, "ftp://a:21", "not a client URL");
    refused(ParameterType.ENDPOINTS, "http://a:2379;rm -rf /", "is not a URL");
    refused(ParameterType.ENDPOINTS, " , ", "at least one client URL");
    assertThat(browserAccepts(ParameterType.ENDPOINTS, "http://a:2379, https://b:2379")).isTrue();
    assertThat(browserAccepts(ParameterType.ENDPOINTS, "etcd-0:2379")).isFalse();
  }

  @Test
  void hostsAndTheBrowserAgree() {
    for (String host : List.of("db1", "db1.example.org:2222", "10.0.0.5", "[::1]:22")) {
      assertThat(parse(ParameterType.HOST, host)).isEqualTo(host);
      assertThat(browserAccepts(ParameterType.HOST, host)).as(host).isTrue();
    }
    for (String host : List.of("db1;reboot", "a b", "db1:port", "[::1")) {
      refused(ParameterType.HOST, host, "is not host or host:port");
      assertThat(browserAccepts(ParameterType.HOST, host)).as(host).isFalse();
    }
  }

  @Test
  void paths() {
    assertThat(parse(ParameterType.PATH, "/var/lib/etcd")).isEqualTo("/var/lib/etcd");
    refused(ParameterType.PATH, "var/lib/etcd", "not an absolute path");
    refused(ParameterType.PATH, "//", "below / without '.' or '..' parts");
    refused(ParameterType.PATH, "/var/../etc", "without '.' or '..' parts");
    refused(ParameterType.PATH, "/var/./lib", "without '.' or '..' parts");
    assertThat(browserAccepts(ParameterType.PATH, "relative")).isFalse();
  }

  @Test
  void credentialsMustBeOfTheKindTheParameterNeeds() {
    RunbookParameter ssh = credential("credentialRef", CredentialKind.SSH, true, "");
    RunbookParameter s3 = credential("storeRef", CredentialKind.S3, false, "");
    assertThat(ParameterType.CREDENTIAL_REF.parse(ssh, "host-a", lookups)).isEqualTo("host-a");
    assertThat(ParameterType.CREDENTIAL_REF.parse(s3, "store", lookups)).isEqualTo("store");
    assertThatThrownBy(() -> ParameterType.CREDENTIAL_REF.parse(ssh, "etcd-tls", lookups))
        .hasMessage("credentials 'etcd-tls' are not ssh credentials: username and private-key-file are missing"
            + " (configure username and private-key-file under lifeboat.credentials.etcd-tls)");
    assertThatThrownBy(() -> ParameterType.CREDENTIAL_REF.parse(ssh, "nope", lookups))
        .hasMessageContaining("no credentials named 'nope'").hasMessageContaining("lifeboat.credentials.nope");

    // The form offers only credentials of that kind; a required one starts empty so the person chooses.
    assertThat(ParameterType.CREDENTIAL_REF.input(ssh, lookups).choices()).containsExactly(
        new Choice("", "(choose ssh credentials)"), new Choice("host-a", "host-a"), new Choice("host-b", "host-b"));
    assertThat(ParameterType.CREDENTIAL_REF.input(s3, lookups).choices()).containsExactly(
        new Choice("", "(none)"), new Choice("store", "store"));
  }

  @Test
  void backupsMustBeOfAnAcceptedKindAndAreOfferedNewestFirstWithAgeAndSource() {
    RunbookParameter parameter = backup("backupId", List.of("etcd-snapshot", "etcd-v2-dump"), "");
    lookups.add("20261128-120000.aaa", "etcd-snapshot", "aaa", 48);
    lookups.add("20261130-090000.bbb", "etcd-snapshot", "bbb", 3);
    lookups.add("20261130-110000.ctl", "juju-controller-backup", "ctl", 1);
    lookups.add("20261130-115930.ccc", "etcd-v2-dump", "ccc", 0);

    assertThat(ParameterType.BACKUP_ID.parse(parameter, "20261130-090000.bbb", lookups)).isEqualTo("20261130-090000.bbb");
    assertThatThrownBy(() -> ParameterType.BACKUP_ID.parse(parameter, "20261130-110000.ctl", lookups))
        .hasMessage("backup 20261130-110000.ctl is a juju-controller-backup;"
            + " this parameter takes etcd-snapshot or etcd-v2-dump");
    assertThatThrownBy(() -> ParameterType.BACKUP_ID.parse(
        backup("backupId", List.of("juju-controller-backup"), ""), "20261130-090000.bbb", lookups))
        .hasMessage("backup 20261130-090000.bbb is an etcd-snapshot; this parameter takes juju-controller-backup");

    assertThat(ParameterType.BACKUP_ID.input(parameter, lookups).choices()).containsExactly(
        new Choice("", "(choose a backup)"),
        new Choice("20261130-115930.ccc", "20261130-115930.ccc (just now, from ccc)"),
        new Choice("20261130-090000.bbb", "20261130-090000.bbb (3 h ago, from bbb)"),
        new Choice("20261128-120000.aaa", "20261128-120000.aaa (2 days ago, from aaa)"));
  }

  @Test
  void theLabelShowsTheSourceWhateverShapeTheCatalogueKeepsItIn() {
    Instant at = lookups.now.minusSeconds(600);
    Backup mapWithoutCluster = new Backup("x", "etcd-snapshot", "", "", 0, Map.of(), null,
        Map.of(), null, null, null, at, at, at);
    assertThat(ParameterType.source(mapWithoutCluster)).isEmpty();
    assertThat(ParameterType.backupLabel(mapWithoutCluster, lookups.now)).isEqualTo("x (10 min ago)");
    assertThat(ParameterType.age(null, lookups.now)).isEmpty();
    assertThat(ParameterType.age(lookups.now.minusSeconds(90 * 60), lookups.now)).isEqualTo("1 h ago");
  }

  @Test
  void declarationsSayWhatAReferenceMustPointAt() {
    assertThat(backup("backupId", List.of("etcd-snapshot"), "").kinds()).containsExactly("etcd-snapshot");
    assertThat(credential("credentialRef", CredentialKind.ETCD_CLIENT, false, "").kinds()).containsExactly("etcd-client");
    assertThat(required("host", ParameterType.HOST, "").kinds()).isEmpty();
    assertThatThrownBy(() -> required("backupId", ParameterType.BACKUP_ID, ""))
        .hasMessageContaining("must name the backup kinds it accepts");
    assertThatThrownBy(() -> optional("credentialRef", ParameterType.CREDENTIAL_REF, null, ""))
        .hasMessageContaining("must name the one credential kind");
    assertThatThrownBy(() -> new RunbookParameter("c", ParameterType.CREDENTIAL_REF, true, null, "", List.of("ftp")))
        .hasMessageContaining("no credential kind 'ftp' (known: ssh, etcd-client, s3)");
    assertThatThrownBy(() -> new RunbookParameter("h", ParameterType.HOST, true, null, "", List.of("ssh")))
        .hasMessageContaining("takes no kinds");
  }

  /** What the browser does with the input's pattern: the whole value must match. */
  private boolean browserAccepts(ParameterType type, String value) {
    return Pattern.compile(input(type).pattern()).matcher(value).matches();
  }
}
