package dev.lifeboat.encryption;

import com.exceptionfactory.jagged.RecipientStanzaReader;
import com.exceptionfactory.jagged.RecipientStanzaWriter;
import com.exceptionfactory.jagged.framework.stream.StandardDecryptingChannelFactory;
import com.exceptionfactory.jagged.framework.stream.StandardEncryptingChannelFactory;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * age encryption (age-encryption.org/v1, X25519 recipients) as stream wrappers, so an archive is
 * encrypted while it is written and decrypted while it is read, never whole in memory or on disk.
 * The output is what {@code age -r} writes and {@code age -d} reads.
 *
 * <p>Recipients are read and checked at start-up (a bad file stops Lifeboat). The identity file is
 * checked at start-up too, but its keys are read again for each decryption and not kept.
 */
@Component
public class AgeEncryption {

  private final List<String> recipients;
  private final Path identityFile;

  public AgeEncryption(EncryptionProperties properties) {
    this.recipients = properties.ageRecipientsFile() == null
        ? List.of()
        : AgeKeys.recipients(properties.ageRecipientsFile());
    this.identityFile = properties.ageIdentityFile();
    if (identityFile != null) {
      AgeKeys.identities(identityFile);
    }
  }

  /** Whether archives are to be encrypted: recipients are configured. */
  public boolean enabled() {
    return !recipients.isEmpty();
  }

  /** The public keys archives are encrypted to (not secret; fit for metadata and evidence). */
  public List<String> recipients() {
    return recipients;
  }

  /** Whether an identity is configured, so that {@link #decrypt} can work. */
  public boolean canDecrypt() {
    return identityFile != null;
  }

  /**
   * A stream that encrypts what is written to it into {@code ciphertext}. Closing it writes the
   * final chunk and closes {@code ciphertext}; an encryption that is not closed is incomplete and
   * will not decrypt.
   */
  public OutputStream encrypt(OutputStream ciphertext) throws IOException {
    if (!enabled()) {
      throw new IllegalStateException("age encryption is off: set lifeboat.encryption.age-recipients-file to a file"
          + " of age1... public keys to encrypt archives");
    }
    List<RecipientStanzaWriter> writers = recipients.stream()
        .map(recipient -> AgeKeys.writer(recipient, "recipient " + recipient)).toList();
    try {
      return Channels.newOutputStream(
          new StandardEncryptingChannelFactory().newEncryptingChannel(Channels.newChannel(ciphertext), writers));
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot start age encryption: " + e.getMessage(), e);
    }
  }

  /**
   * A stream of the plaintext of {@code ciphertext}. Reading fails with an IOException when no
   * configured identity matches a recipient, or the ciphertext was altered or cut short (age
   * authenticates every chunk and marks the last one, so a truncation is detected at the end).
   */
  public InputStream decrypt(InputStream ciphertext) throws IOException {
    if (identityFile == null) {
      throw new IllegalStateException("cannot decrypt an age-encrypted archive: no identity is configured; set"
          + " lifeboat.encryption.age-identity-file to the key file (AGE-SECRET-KEY-1... lines) whose public key"
          + " the archive was encrypted to");
    }
    List<RecipientStanzaReader> identities = AgeKeys.identities(identityFile);
    try {
      return new Plaintext(Channels.newInputStream(new StandardDecryptingChannelFactory()
          .newDecryptingChannel(Channels.newChannel(ciphertext), identities)));
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot decrypt: no identity in " + identityFile + " matches a recipient of this"
          + " archive, or its age header is damaged (" + e.getClass().getSimpleName() + ")", e);
    } catch (IOException e) {
      throw new IOException("cannot decrypt: not an age-encrypted stream, or its header is damaged ("
          + e.getMessage() + ")", e);
    }
  }

  /** Says what a failure while reading means: the ciphertext was damaged or cut short. */
  private static final class Plaintext extends FilterInputStream {

    Plaintext(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (IOException e) {
        throw damaged(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (IOException e) {
        throw damaged(e);
      }
    }

    private static IOException damaged(IOException e) {
      return new IOException("the age-encrypted archive is damaged or truncated: " + e.getMessage(), e);
    }
  }
}
