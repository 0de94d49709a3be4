package dev.lifeboat.deis;

import java.io.IOException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@link BodyLedger} in memory: the catalogue is a set of ids, the backup in progress one instant. */
final class InMemoryBodyLedger implements BodyLedger {

  final Map<String, Instant> claims = new HashMap<>();
  final Map<String, Set<String>> references = new HashMap<>();
  final Set<String> catalogued = new HashSet<>();
  Instant inProgressSince;

  @Override
  public synchronized void claim(Collection<String> bodies, Instant at) {
    bodies.forEach(body -> claims.put(body, at));
  }

  @Override
  public synchronized void reference(String backupId, Collection<String> bodies) {
    references.put(backupId, new LinkedHashSet<>(bodies));
  }

  @Override
  public synchronized void forget(String backupId) {
    if (!catalogued.contains(backupId)) {
      references.remove(backupId);
    }
  }

  @Override
  public synchronized Set<String> referenced() {
    Set<String> all = new HashSet<>();
    references.forEach((id, bodies) -> {
      if (catalogued.contains(id)) {
        all.addAll(bodies);
      }
    });
    return all;
  }

  @Override
  public synchronized List<String> unrecorded(String kind) {
    return catalogued.stream().filter(id -> !references.containsKey(id)).sorted().toList();
  }

  @Override
  public synchronized Optional<Instant> oldestInProgress(String kind) {
    return Optional.ofNullable(inProgressSince);
  }

  @Override
  public synchronized boolean removeUnclaimed(String body, Instant cutoff, Instant unclaimedSince, Removal remove)
      throws IOException {
    Instant claimed = claims.computeIfAbsent(body, b -> unclaimedSince);
    if (!claimed.isBefore(cutoff) || referenced().contains(body)) {
      return false;
    }
    remove.run();
    claims.remove(body);
    return true;
  }
}
