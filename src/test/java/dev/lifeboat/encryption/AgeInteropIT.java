package dev.lifeboat.encryption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.testsupport.AgeTool;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lifeboat's age encryption against Debian's age: each side decrypts what the other encrypted. */
class AgeInteropIT {

  @TempDir
  Path temp;

  private Path keyFile;
  private String recipient;
  private Path recipientsFile;
  private Path plaintext;

  @BeforeEach
  void keysAndData() throws IOException {
    keyFile = temp.resolve("key.txt");
    recipient = AgeTool.keygen(keyFile); // "# created: ...", "# public key: ...", AGE-SECRET-KEY-1...
    recipientsFile = Files.writeString(temp.resolve("recipients.txt"),
        "# the backup key\n" + recipient + "\n\n");
    byte[] bytes = new byte[5 * 1024 * 1024 + 123];
    new Random(42).nextBytes(bytes);
    plaintext = Files.write(temp.resolve("archive.tar.gz"), bytes);
  }

  private AgeEncryption lifeboat() {
    return new AgeEncryption(new EncryptionProperties(recipientsFile, keyFile));
  }

  private Path lifeboatEncrypts() throws IOException {
    Path ciphertext = temp.resolve("by-lifeboat.age");
    try (OutputStream out = lifeboat().encrypt(Files.newOutputStream(ciphertext))) {
      Files.copy(plaintext, out);
    }
    return ciphertext;
  }

  @Test
  void whatLifeboatEncryptsAgeDecryptsWithTheKeyFile() throws IOException {
    Path ciphertext = lifeboatEncrypts();
    Path decrypted = temp.resolve("decrypted-by-age");
    AgeTool.Result result = AgeTool.age("-d", "-i", keyFile.toString(), "-o", decrypted.toString(),
        ciphertext.toString());
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(decrypted).hasSameBinaryContentAs(plaintext);
  }

  @Test
  void whatAgeEncryptsForTheRecipientLifeboatDecrypts() throws IOException {
    Path byRecipient = temp.resolve("by-age-r.age");
    assertThat(AgeTool.age("-r", recipient, "-o", byRecipient.toString(), plaintext.toString()).exitCode()).isZero();
    // The same recipients file that Lifeboat reads, read by age -R.
    Path byFile = temp.resolve("by-age-R.age");
    assertThat(AgeTool.age("-R", recipientsFile.toString(), "-o", byFile.toString(), plaintext.toString())
        .exitCode()).isZero();
    for (Path ciphertext : new Path[] {byRecipient, byFile}) {
      Path decrypted = temp.resolve(ciphertext.getFileName() + ".plain");
      try (InputStream in = lifeboat().decrypt(Files.newInputStream(ciphertext))) {
        Files.copy(in, decrypted);
      }
      assertThat(decrypted).hasSameBinaryContentAs(plaintext);
    }
  }

  @Test
  void aTruncatedCiphertextFailsOnBothSides() throws IOException {
    Path byAge = temp.resolve("by-age.age");
    assertThat(AgeTool.age("-r", recipient, "-o", byAge.toString(), plaintext.toString()).exitCode()).isZero();
    byte[] full = Files.readAllBytes(byAge);
    Path truncated = Files.write(temp.resolve("truncated.age"), Arrays.copyOf(full, full.length - 1000));
    assertThatThrownBy(() -> {
      try (InputStream in = lifeboat().decrypt(Files.newInputStream(truncated))) {
        in.transferTo(OutputStream.nullOutputStream());
      }
    }).isInstanceOf(IOException.class).hasMessageContaining("damaged or truncated");

    byte[] ours = Files.readAllBytes(lifeboatEncrypts());
    Path oursTruncated = Files.write(temp.resolve("ours-truncated.age"), Arrays.copyOf(ours, ours.length - 1000));
    AgeTool.Result result = AgeTool.age("-d", "-i", keyFile.toString(), "-o", temp.resolve("x").toString(),
        oursTruncated.toString());
    assertThat(result.exitCode()).isNotZero();
  }

  @Test
  void anotherKeyCannotDecrypt() throws IOException {
    Path otherKey = temp.resolve("other.txt");
    AgeTool.keygen(otherKey);
    Path ciphertext = lifeboatEncrypts();
    AgeEncryption withOtherKey = new AgeEncryption(new EncryptionProperties(null, otherKey));
    assertThatThrownBy(() -> withOtherKey.decrypt(Files.newInputStream(ciphertext)))
        .isInstanceOf(IOException.class).hasMessageContaining("no identity in " + otherKey);
    assertThat(AgeTool.age("-d", "-i", otherKey.toString(), ciphertext.toString()).exitCode()).isNotZero();
  }
}
