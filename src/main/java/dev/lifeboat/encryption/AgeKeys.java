package dev.lifeboat.encryption;

import com.exceptionfactory.jagged.RecipientStanzaReader;
import com.exceptionfactory.jagged.RecipientStanzaWriter;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaReaderFactory;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaWriterFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads age key files the way the age tool does. Messages name the file and the line, never what
 * the line holds: a secret key pasted into the wrong file must not end up in a log.
 */
final class AgeKeys {

  private static final String SECRET_KEY_PREFIX = "AGE-SECRET-KEY-1";

  private AgeKeys() {}

  /** The recipients of {@code file} (age1... public keys), checked. */
  static List<String> recipients(Path file) {
    List<String> recipients = new ArrayList<>();
    List<String> lines = read(file, "lifeboat.encryption.age-recipients-file");
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String where = file + " line " + (i + 1);
      if (line.toUpperCase().startsWith(SECRET_KEY_PREFIX)) {
        throw new IllegalStateException(where + " holds a secret key: the recipients file takes public keys"
            + " (age1..., which 'age-keygen -y' prints for a key file); keep the secret key out of it");
      }
      if (line.startsWith("ssh-") || line.startsWith("ecdsa-")) {
        throw new IllegalStateException(where + " is an SSH public key: only age X25519 recipients (age1...) are"
            + " supported");
      }
      if (!line.startsWith("age1")) {
        throw new IllegalStateException(where + " is not an age recipient (expected a public key age1...)");
      }
      writer(line, where);
      recipients.add(line);
    }
    if (recipients.isEmpty()) {
      throw new IllegalStateException(file + " holds no recipient (age1... lines): add one, or unset"
          + " lifeboat.encryption.age-recipients-file to turn encryption off");
    }
    return List.copyOf(recipients);
  }

  static RecipientStanzaWriter writer(String recipient, String where) {
    try {
      return X25519RecipientStanzaWriterFactory.newRecipientStanzaWriter(recipient);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IllegalStateException(where + " is not a valid age recipient (a damaged or truncated age1... key)");
    }
  }

  /** The identities of {@code file} (AGE-SECRET-KEY-1... lines), ready to decrypt. */
  static List<RecipientStanzaReader> identities(Path file) {
    List<RecipientStanzaReader> readers = new ArrayList<>();
    List<String> lines = read(file, "lifeboat.encryption.age-identity-file");
    if (!lines.isEmpty() && lines.getFirst().startsWith("age-encryption.org/")) {
      throw new IllegalStateException(file + " is itself age-encrypted: passphrase-protected identity files are"
          + " not supported; give Lifeboat the decrypted key file (readable by Lifeboat only)");
    }
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String where = file + " line " + (i + 1);
      if (line.startsWith("-----BEGIN")) {
        throw new IllegalStateException(where + " starts an SSH or PEM private key: only age X25519 identities"
            + " (AGE-SECRET-KEY-1...) are supported");
      }
      if (!line.toUpperCase().startsWith(SECRET_KEY_PREFIX)) {
        throw new IllegalStateException(where + " is not an age identity (expected AGE-SECRET-KEY-1...)");
      }
      try {
        readers.add(X25519RecipientStanzaReaderFactory.newRecipientStanzaReader(line));
      } catch (GeneralSecurityException | RuntimeException e) {
        throw new IllegalStateException(where + " is not a valid age identity (a damaged or truncated key)");
      }
    }
    if (readers.isEmpty()) {
      throw new IllegalStateException(file + " holds no identity (AGE-SECRET-KEY-1... line; 'age-keygen -o "
          + file.getFileName() + "' writes one)");
    }
    return readers;
  }

  private static List<String> read(Path file, String property) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file + " (" + property + "): "
          + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
    }
  }
}
