package dev.lifeboat.runbook;

import dev.lifeboat.catalog.Backup;
import dev.lifeboat.catalog.BackupCatalog;
import dev.lifeboat.credentials.CredentialKind;
import dev.lifeboat.credentials.Credentials;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** Parameter look-ups against Lifeboat's configured credentials and its catalogue. */
@Component
class ConfiguredLookups implements ParameterLookups {

  /** The catalogue's own order: newest first, then by id. */
  static final Comparator<Backup> NEWEST_FIRST = Comparator
      .comparing(Backup::createdAt, Comparator.nullsLast(Comparator.reverseOrder()))
      .thenComparing(Backup::id);

  private final Credentials credentials;
  private final BackupCatalog catalog;
  private final Clock clock;

  ConfiguredLookups(Credentials credentials, BackupCatalog catalog, Clock clock) {
    this.credentials = credentials;
    this.catalog = catalog;
    this.clock = clock;
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
    return catalog.find(id);
  }

  @Override
  public List<Backup> backups(List<String> kinds, int limit) {
    return kinds.stream().flatMap(kind -> catalog.list(kind, limit, 0).stream())
        .sorted(NEWEST_FIRST).limit(limit).toList();
  }

  @Override
  public Instant now() {
    return clock.instant();
  }
}
