package dev.lifeboat.runbook;

import dev.lifeboat.catalog.Backup;
import dev.lifeboat.credentials.CredentialKind;
import dev.lifeboat.credentials.Credentials;
import dev.lifeboat.credentials.CredentialsProperties;
import dev.lifeboat.credentials.CredentialsProperties.Credential;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Look-ups over real {@link Credentials} from a configuration given here and an in-memory catalogue. */
final class FakeLookups implements ParameterLookups {

  final Instant now = Instant.parse("2026-11-30T12:00:00Z");
  final List<Backup> backups = new ArrayList<>();
  private final Credentials credentials;

  FakeLookups(Map<String, Credential> configured) {
    this.credentials = new Credentials(new CredentialsProperties(configured));
  }

  static Credential ssh() {
    return new Credential("ubuntu", Path.of("/etc/lifeboat/keys/host"), null, null, null, null);
  }

  static Credential etcdTls() {
    Path dir = Path.of("/etc/lifeboat/etcd");
    return new Credential(null, null, null, dir.resolve("ca.crt"), dir.resolve("client.crt"), dir.resolve("client.key"));
  }

  /** Catalogues a backup of {@code kind} taken {@code hoursAgo} hours before {@link #now}. */
  Backup add(String id, String kind, String clusterId, long hoursAgo) {
    Instant at = now.minusSeconds(hoursAgo * 3600);
    Backup backup = new Backup(id, kind, clusterId, "0".repeat(64), 1024, Map.of(), "/b/" + id,
        Map.of(), null, "olivia", null, at, at, at);
    backups.add(backup);
    return backup;
  }

  @Override
  public Optional<String> credentialProblem(String ref, CredentialKind kind) {
    return credentials.problem(ref, kind);
  }

  @Override
  public List<String> credentialNames(CredentialKind kind) {
    return credentials.names(kind);
  }

  @Override
  public Optional<Backup> backup(String id) {
    return backups.stream().filter(b -> b.id().equals(id)).findFirst();
  }

  @Override
  public List<Backup> backups(List<String> kinds, int limit) {
    return backups.stream().filter(b -> kinds.contains(b.kind())).sorted(ConfiguredLookups.NEWEST_FIRST)
        .limit(limit).toList();
  }

  @Override
  public Instant now() {
    return now;
  }
}
