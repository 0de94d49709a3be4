package dev.lifeboat.encryption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.exceptionfactory.jagged.x25519.X25519KeyPairGenerator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgeEncryptionTest {

  @TempDir
  Path temp;

  private KeyPair alice;
  private KeyPair bob;

  @BeforeEach
  void keys() throws GeneralSecurityException {
    alice = new X25519KeyPairGenerator().generateKeyPair();
    bob = new X25519KeyPairGenerator().generateKeyPair();
  }

  private Path file(String name, String... lines) throws IOException {
    return Files.writeString(temp.resolve(name), String.join("\n", lines) + "\n");
  }

  private AgeEncryption encryption(Path recipients, Path identity) {
    return new AgeEncryption(new EncryptionProperties(recipients, identity));
  }

  private static byte[] encrypt(AgeEncryption encryption, byte[] plaintext) throws IOException {
    ByteArrayOutputStream ciphertext = new ByteArrayOutputStream();
    try (OutputStream out = encryption.encrypt(ciphertext)) {
      for (int off = 0; off < plaintext.length; off += 10_000) {
        out.write(plaintext, off, Math.min(10_000, plaintext.length - off));
      }
    }
    return ciphertext.toByteArray();
  }

  private static byte[] decrypt(AgeEncryption encryption, byte[] ciphertext) throws IOException {
    try (InputStream in = encryption.decrypt(new ByteArrayInputStream(ciphertext))) {
      return in.readAllBytes();
    }
  }

  private static byte[] random(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }

  @Test
  void whatIsEncryptedForTwoRecipientsEitherIdentityDecrypts() throws IOException {
    Path recipients = file("recipients.txt", "# backups of prod", "", alice.getPublic().toString(),
        "   " + bob.getPublic().toString() + "  ", "# end");
    AgeEncryption encrypting = encryption(recipients, null);
    assertThat(encrypting.enabled()).isTrue();
    assertThat(encrypting.canDecrypt()).isFalse();
    assertThat(encrypting.recipients()).containsExactly(alice.getPublic().toString(), bob.getPublic().toString());

    byte[] plaintext = random(3 * 1024 * 1024 + 17); // many 64 KiB chunks and a short last one
    byte[] ciphertext = encrypt(encrypting, plaintext);
    assertThat(new String(ciphertext, 0, 22, StandardCharsets.US_ASCII)).isEqualTo("age-encryption.org/v1\n");

    AgeEncryption asAlice = encryption(null, file("alice.key", "# created: now", alice.getPrivate().toString()));
    AgeEncryption asBob = encryption(null, file("bob.key", bob.getPrivate().toString()));
    assertThat(asAlice.enabled()).isFalse();
    assertThat(decrypt(asAlice, ciphertext)).isEqualTo(plaintext);
    assertThat(decrypt(asBob, ciphertext)).isEqualTo(plaintext);
  }

  @Test
  void anEmptyArchiveRoundTripsToo() throws IOException {
    AgeEncryption both = encryption(file("r", alice.getPublic().toString()), file("k", alice.getPrivate().toString()));
    assertThat(decrypt(both, encrypt(both, new byte[0]))).isEmpty();
  }

  @Test
  void withoutRecipientsEncryptionIsOffAndSaysHowToTurnItOn() {
    AgeEncryption off = encryption(null, null);
    assertThat(off.enabled()).isFalse();
    assertThatThrownBy(() -> off.encrypt(new ByteArrayOutputStream()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("lifeboat.encryption.age-recipients-file");
  }

  @Test
  void withoutAnIdentityDecryptionRefusesSayingWhatToConfigure() throws IOException {
    AgeEncryption encryptOnly = encryption(file("r", alice.getPublic().toString()), null);
    byte[] ciphertext = encrypt(encryptOnly, "secret data".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> encryptOnly.decrypt(new ByteArrayInputStream(ciphertext)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("lifeboat.encryption.age-identity-file")
        .hasMessageContaining("AGE-SECRET-KEY-1");
  }

  @Test
  void theWrongIdentityIsRefused() throws IOException {
    byte[] ciphertext = encrypt(encryption(file("r", alice.getPublic().toString()), null), random(1000));
    AgeEncryption asBob = encryption(null, file("bob.key", bob.getPrivate().toString()));
    assertThatThrownBy(() -> decrypt(asBob, ciphertext))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no identity in")
        .hasMessageNotContaining(bob.getPrivate().toString());
  }

  @Test
  void aTruncatedOrAlteredCiphertextFails() throws IOException {
    AgeEncryption both = encryption(file("r", alice.getPublic().toString()), file("k", alice.getPrivate().toString()));
    byte[] ciphertext = encrypt(both, random(200_000));
    int headerAndFirstChunks = ciphertext.length - (200_000 - 3 * 65_536) - 16;

    // Cut inside the last chunk, and exactly at a chunk boundary (which only the last-chunk flag reveals).
    for (int length : new int[] {ciphertext.length - 1, ciphertext.length - 5000, headerAndFirstChunks}) {
      byte[] truncated = Arrays.copyOf(ciphertext, length);
      assertThatThrownBy(() -> decrypt(both, truncated)).as("cut at " + length)
          .isInstanceOf(IOException.class).hasMessageContaining("damaged or truncated");
    }
    byte[] altered = ciphertext.clone();
    altered[altered.length / 2] ^= 1;
    assertThatThrownBy(() -> decrypt(both, altered)).isInstanceOf(IOException.class)
        .hasMessageContaining("damaged or truncated");
    assertThatThrownBy(() -> decrypt(both, "not age at all".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IOException.class);
  }

  @Test
  void badKeyFilesStopStartUpNamingTheLineButNeverItsContent() throws IOException {
    String secret = alice.getPrivate().toString();
    assertThatThrownBy(() -> encryption(file("r1", "# ok", secret), null))
        .hasMessageContaining("r1 line 2 holds a secret key").hasMessageNotContaining(secret);
    assertThatThrownBy(() -> encryption(file("r2", "ssh-ed25519 AAAAC3Nz... user@host"), null))
        .hasMessageContaining("r2 line 1 is an SSH public key");
    assertThatThrownBy(() -> encryption(file("r3", "age1notreallyakey"), null))
        .hasMessageContaining("r3 line 1 is not a valid age recipient");
    assertThatThrownBy(() -> encryption(file("r4", "# only comments"), null))
        .hasMessageContaining("holds no recipient");
    assertThatThrownBy(() -> encryption(temp.resolve("missing.txt"), null))
        .hasMessageContaining("cannot read").hasMessageContaining("lifeboat.encryption.age-recipients-file");

    String damaged = secret.substring(0, secret.length() - 3) + "QQQ";
    assertThatThrownBy(() -> encryption(null, file("k1", damaged)))
        .hasMessageContaining("k1 line 1 is not a valid age identity").hasMessageNotContaining(damaged);
    assertThatThrownBy(() -> encryption(null, file("k2", alice.getPublic().toString())))
        .hasMessageContaining("k2 line 1 is not an age identity");
    assertThatThrownBy(() -> encryption(null, file("k3", "-----BEGIN OPENSSH PRIVATE KEY-----", "abc")))
        .hasMessageContaining("SSH or PEM private key");
    assertThatThrownBy(() -> encryption(null, file("k4", "age-encryption.org/v1", "-> scrypt ...")))
        .hasMessageContaining("passphrase-protected identity files are not supported");
  }
}
