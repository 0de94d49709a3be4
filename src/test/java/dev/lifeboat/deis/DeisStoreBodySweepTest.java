package dev.lifeboat.deis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.catalog.BackupDeleted;
import dev.lifeboat.catalog.BackupPartsRemoved;
import dev.lifeboat.catalog.InMemoryBackupRepository;
import dev.lifeboat.encryption.AgeEncryption;
import dev.lifeboat.encryption.EncryptionProperties;
import dev.lifeboat.testsupport.MutableClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The sweep after a Deis store set is deleted: what no set references goes, what a run in progress relies on stays. */
class DeisStoreBodySweepTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T10:00:00Z"));
  private final InMemoryBackupRepository repository = new InMemoryBackupRepository();
  private final InMemoryBodyLedger ledger = new InMemoryBodyLedger();
  private final DeisStoreBodies bodies = new DeisStoreBodies(repository,
      new AgeEncryption(new EncryptionProperties(null, null)), ledger, clock);
  private final List<Object> events = new ArrayList<>();
  private final Map<String, List<String>> legacyManifests = new java.util.HashMap<>();

  private DeisStoreBodySweep sweep(Duration grace) {
    return new DeisStoreBodySweep(repository, ledger, id -> {
      List<String> shas = legacyManifests.get(id);
      if (shas == null) {
        throw new IOException("cannot read the manifest of " + id);
      }
      return shas;
    }, false, grace, clock, events::add);
  }

  private String body(String text) throws IOException {
    return bodies.write("run-1", out -> out.write(text.getBytes(StandardCharsets.UTF_8))).sha256();
  }

  /** A set catalogued now referencing these bodies (what writeManifest and the pipeline do). */
  private void catalogue(String backupId, String... shas) throws IOException {
    bodies.reference(backupId, List.of(shas));
    ledger.catalogued.add(backupId);
  }

  private void delete(String backupId) {
    ledger.catalogued.remove(backupId);
  }

  @Test
  void removesOnlyWhatNoCataloguedSetReferencesAndRecordsCountAndBytes() throws IOException {
    String shared = body("shared by both sets");
    String onlyOld = body("only in the old set");
    catalogue("old", shared, onlyOld);
    catalogue("new", shared);
    clock.advance(Duration.ofHours(25));
    delete("old");

    sweep(Duration.ofHours(24)).on(new BackupDeleted("old", DeisStoreManifest.KIND, "olivia", "x", 1, "c", "daily",
        "prune-1"));

    assertThat(bodies.stored(shared)).isTrue();
    assertThat(bodies.stored(onlyOld)).isFalse();
    assertThat(events).containsExactly(new BackupPartsRemoved("old", DeisStoreManifest.KIND, "olivia", "prune-1", 1,
        "only in the old set".length(), 0, null));
  }

  @Test
  void keepsUnreferencedBodiesWrittenWithinTheGrace() throws IOException {
    String orphan = body("a failed run's body");
    clock.advance(Duration.ofHours(1));
    assertThat(sweep(Duration.ofHours(24)).sweep()).isEqualTo(new DeisStoreBodySweep.Result(0, 0, 1));
    assertThat(bodies.stored(orphan)).isTrue();
    clock.advance(Duration.ofHours(24));
    assertThat(sweep(Duration.ofHours(24)).sweep().removed()).isEqualTo(1);
    assertThat(bodies.stored(orphan)).isFalse();
  }

  /**
   * The race: a run in progress reuses (holds) a body of the newest set; that set is deleted before
   * the run catalogues its own. The body survives (its claim is younger than the run's start), the
   * run's set is complete; a body only the deleted set had is removed all the same.
   */
  @Test
  void aBodyReusedByARunInProgressSurvivesTheDeletionOfTheSetThatHeldIt() throws IOException {
    String reused = body("an unchanged object");
    String dropped = body("an object deleted from the gateway since");
    catalogue("first", reused, dropped);
    clock.advance(Duration.ofDays(3));

    Instant runStarted = clock.instant();
    ledger.inProgressSince = runStarted; // the second run reserved its id
    clock.advance(Duration.ofMinutes(1));
    assertThat(bodies.holds(reused)).isTrue(); // its copy step references the body again, without downloading
    delete("first"); // meanwhile, by hand or by retention, on any instance
    DeisStoreBodySweep.Result result = sweep(Duration.ZERO).sweep();

    assertThat(bodies.stored(reused)).as("reused by the run in progress").isTrue();
    assertThat(bodies.stored(dropped)).as("referenced by nothing, relied on by nobody").isFalse();
    assertThat(result).isEqualTo(new DeisStoreBodySweep.Result(1, "an object deleted from the gateway since".length(),
        1));

    clock.advance(Duration.ofMinutes(1));
    catalogue("second", reused); // claims again, checks it is there: it is
    ledger.inProgressSince = null;
    clock.advance(Duration.ofDays(3));
    assertThat(sweep(Duration.ZERO).sweep().removed()).isZero();
    assertThat(bodies.stored(reused)).isTrue();

    delete("second");
    assertThat(sweep(Duration.ZERO).sweep().removed()).isEqualTo(1);
    assertThat(bodies.stored(reused)).isFalse();
  }

  @Test
  void aRunWhoseBodyWasSweptBeforeItClaimedItFailsWhenItRecordsItsSet() throws IOException {
    String body = body("gone before the run recorded its set");
    clock.advance(Duration.ofDays(2));
    sweep(Duration.ZERO).sweep();
    assertThatThrownBy(() -> bodies.reference("late", List.of(body)))
        .hasMessageContaining("no longer in the backup repository").hasMessageContaining("start the backup again");
  }

  @Test
  void setsCataloguedBeforeReferencesWereRecordedAreReadOnceAndAnUnreadableOneStopsTheSweep() throws IOException {
    String legacy = body("a body of a set from before V13");
    String orphan = body("referenced by nothing");
    ledger.catalogued.add("legacy");
    clock.advance(Duration.ofDays(2));

    assertThatThrownBy(() -> sweep(Duration.ZERO).sweep()).hasMessageContaining("cannot read the manifest of legacy");
    assertThat(bodies.stored(orphan)).as("nothing is removed before every set is known").isTrue();

    legacyManifests.put("legacy", List.of(legacy));
    assertThat(sweep(Duration.ZERO).sweep().removed()).isEqualTo(1);
    assertThat(bodies.stored(legacy)).isTrue();
    assertThat(bodies.stored(orphan)).isFalse();
    assertThat(ledger.references.get("legacy")).isEqualTo(Set.of(DeisStoreBodies.name(legacy)));
  }

  @Test
  void anotherKindsDeletionSweepsNothing() throws IOException {
    body("x");
    clock.advance(Duration.ofDays(2));
    sweep(Duration.ZERO).on(new BackupDeleted("etcd-1", "etcd-snapshot", "olivia", "x", 1));
    assertThat(events).isEmpty();
    assertThat(repository.list(DeisStoreBodies.PREFIX)).hasSize(1);
  }

  @Test
  void aFailedSweepIsRecordedNotThrown() {
    ledger.catalogued.add("unreadable");
    sweep(Duration.ZERO).on(new BackupDeleted("gone", DeisStoreManifest.KIND, "olivia", "x", 1));
    assertThat(events).singleElement().satisfies(e -> assertThat(((BackupPartsRemoved) e).problem())
        .contains("cannot read the manifest of unreadable"));
  }
}
