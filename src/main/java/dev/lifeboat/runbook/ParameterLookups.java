package dev.lifeboat.runbook;

import dev.lifeboat.catalog.Backup;
import dev.lifeboat.credentials.CredentialKind;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What parameter types consult: the configured credentials and the backup catalogue. */
interface ParameterLookups {

  /** Why {@code ref} cannot serve as {@code kind} credentials (field names, never values); empty when it can. */
  Optional<String> credentialProblem(String ref, CredentialKind kind);

  /** Names of the configured credentials that have what {@code kind} needs. */
  List<String> credentialNames(CredentialKind kind);

  Optional<Backup> backup(String id);

  /** Backups of any of {@code kinds}, newest first, at most {@code limit}. */
  List<Backup> backups(List<String> kinds, int limit);

  Instant now();
}
