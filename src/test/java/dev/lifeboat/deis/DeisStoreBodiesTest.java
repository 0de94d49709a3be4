package dev.lifeboat.deis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.archive.Sha256;
import dev.lifeboat.catalog.InMemoryBackupRepository;
import dev.lifeboat.encryption.AgeEncryption;
import dev.lifeboat.encryption.EncryptionProperties;
import dev.lifeboat.testsupport.AgeTool;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bodies stored encrypted when recipients are configured: named by the plaintext's sha256 (dedup
 * still works), not holding the plaintext, decrypted by Debian's {@code age}; older plain bodies
 * still read.
 */
class DeisStoreBodiesTest {

  private static final String DUMP = "--\n-- PostgreSQL database cluster dump\n--\nCREATE ROLE lively_kite;\n";

  @TempDir
  Path temp;

  private Path keyFile;
  private Path recipients;
  private final InMemoryBackupRepository repository = new InMemoryBackupRepository();
  private final InMemoryBodyLedger ledger = new InMemoryBodyLedger();

  @BeforeEach
  void keys() throws IOException {
    keyFile = temp.resolve("key.txt");
    recipients = Files.writeString(temp.resolve("recipients.txt"), AgeTool.keygen(keyFile) + "\n");
  }

  private DeisStoreBodies bodies(Path recipientsFile, Path identityFile) {
    return new DeisStoreBodies(repository, new AgeEncryption(new EncryptionProperties(recipientsFile, identityFile)),
        ledger, Clock.systemUTC());
  }

  private static DeisStoreBodies.Body write(DeisStoreBodies bodies, byte[] bytes) throws IOException {
    return bodies.write("run-1", out -> out.write(bytes));
  }

  @Test
  void anEncryptedBodyHoldsNoPlaintextAgeDecryptsItAndItIsNamedByThePlaintext() throws Exception {
    DeisStoreBodies bodies = bodies(recipients, keyFile);
    byte[] object = new byte[300_000];
    new Random(5).nextBytes(object);
    byte[] dump = DUMP.getBytes(StandardCharsets.UTF_8);

    DeisStoreBodies.Body objectBody = write(bodies, object);
    DeisStoreBodies.Body dumpBody = write(bodies, dump);

    assertThat(objectBody.sha256()).isEqualTo(Sha256.of(new java.io.ByteArrayInputStream(object)));
    assertThat(objectBody.size()).isEqualTo(object.length);
    assertThat(repository.exists(DeisStoreBodies.name(dumpBody.sha256()))).as("no plain copy").isFalse();
    byte[] stored;
    try (InputStream in = repository.open(DeisStoreBodies.name(dumpBody.sha256()) + ".age")) {
      stored = in.readAllBytes();
    }
    assertThat(new String(stored, StandardCharsets.ISO_8859_1)).startsWith("age-encryption.org/v1\n")
        .doesNotContain("PostgreSQL database cluster dump");
    byte[] storedObject;
    try (InputStream in = repository.open(DeisStoreBodies.name(objectBody.sha256()) + ".age")) {
      storedObject = in.readAllBytes();
    }
    assertThat(indexOf(storedObject, java.util.Arrays.copyOfRange(object, 1000, 1064))).isEqualTo(-1);

    // Debian's age decrypts what Lifeboat stored.
    Path ciphertext = Files.write(temp.resolve("dump.age"), stored);
    Path decrypted = temp.resolve("dump.sql");
    AgeTool.Result result = AgeTool.age("-d", "-i", keyFile.toString(), "-o", decrypted.toString(),
        ciphertext.toString());
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(Files.readString(decrypted)).isEqualTo(DUMP);

    // Read back decrypted; the same bytes again are held already (dedup by the plaintext's sha256).
    try (InputStream in = bodies.open(objectBody.sha256())) {
      assertThat(in.readAllBytes()).isEqualTo(object);
    }
    assertThat(bodies.holds(objectBody.sha256())).isTrue();
    assertThat(write(bodies, object)).isEqualTo(objectBody);
    assertThat(repository.list(DeisStoreBodies.PREFIX)).hasSize(2);
  }

  @Test
  void withoutAnIdentityAnEncryptedBodyIsRefusedSayingWhatToConfigure() throws IOException {
    String sha = write(bodies(recipients, null), DUMP.getBytes(StandardCharsets.UTF_8)).sha256();
    DeisStoreBodies withoutIdentity = bodies(recipients, null);
    assertThatThrownBy(() -> withoutIdentity.open(sha)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no identity is configured").hasMessageContaining("lifeboat.encryption.age-identity-file");
    assertThat(withoutIdentity.unreadable(List.of(sha))).contains("1 part(s)")
        .contains("lifeboat.encryption.age-identity-file");
    assertThat(bodies(recipients, keyFile).unreadable(List.of(sha))).isNull();
  }

  @Test
  void plainBodiesFromBeforeEncryptionStillReadAndAreStoredAgainEncryptedWhenANewSetNeedsThem() throws IOException {
    byte[] dump = DUMP.getBytes(StandardCharsets.UTF_8);
    String sha = write(bodies(null, null), dump).sha256();
    DeisStoreBodies encrypting = bodies(recipients, keyFile);

    try (InputStream in = encrypting.open(sha)) {
      assertThat(in.readAllBytes()).isEqualTo(dump);
    }
    assertThat(encrypting.stored(sha)).isTrue();
    assertThat(encrypting.holds(sha)).as("a new set does not reference the plain copy").isFalse();
    write(encrypting, dump);
    assertThat(repository.exists(DeisStoreBodies.name(sha) + ".age")).isTrue();
    assertThat(encrypting.describe(sha)).endsWith(".age");
    assertThat(bodies(null, null).unreadable(List.of(sha))).as("the plain copy reads without a key").isNull();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Test
  void aPagesBodiesAreClaimedTogetherAfterTheyAreWrittenAndOneSweptMeanwhileIsNotHeld() throws IOException {
    DeisStoreBodies bodies = bodies(null, null);
    DeisStoreBodies.Body first = bodies.writeClaimingLater("run-1", out -> out.write(new byte[] {1}));
    DeisStoreBodies.Body second = bodies.writeClaimingLater("run-1", out -> out.write(new byte[] {2}));
    assertThat(ledger.claims).isEmpty();

    repository.delete(DeisStoreBodies.name(second.sha256())); // a sweep removed it before the claim
    assertThat(bodies.held(List.of(first.sha256(), second.sha256()))).containsExactly(first.sha256());
    assertThat(ledger.claims).containsOnlyKeys(DeisStoreBodies.name(first.sha256()),
        DeisStoreBodies.name(second.sha256()));
  }
}
