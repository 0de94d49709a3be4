package dev.lifeboat.remote.internal;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import net.schmizz.sshj.common.Factory;
import net.schmizz.sshj.common.SSHRuntimeException;
import net.schmizz.sshj.common.SecurityUtils;
import net.schmizz.sshj.transport.cipher.Cipher;

/**
 * OpenSSH's {@code chacha20-poly1305@openssh.com} (PROTOCOL.chacha20poly1305) with the JDK's
 * ChaCha20, which the JIT compiles to vector instructions: SSHJ's own runs Bouncy Castle's in plain
 * Java, nine times slower, and was the busiest thread of a snapshot sent to a host as it was taken.
 * The wire format, and Poly1305 (from the same provider as SSHJ's), are unchanged.
 *
 * <p>The two 256-bit keys each get ChaCha20 with the packet's sequence number as nonce: the second
 * key encrypts the 4-byte packet length; the first, from block 1 on, the payload, and its block 0
 * is the packet's Poly1305 key. The JDK's ChaCha20 takes RFC 7539's 96-bit nonce and 32-bit counter
 * where OpenSSH uses the original 64-bit nonce and 64-bit counter: four zero bytes (the counter's
 * high half) then the 8-byte big-endian sequence number make the same key stream.
 */
final class ChaCha20Poly1305Cipher implements Cipher {

  static final String NAME = "chacha20-poly1305@openssh.com";
  private static final int KEY_SIZE = 32;
  private static final int LENGTH_SIZE = 4;
  private static final int TAG_SIZE = 16;
  private static final byte[] ZEROS = new byte[KEY_SIZE];

  /** Replaces SSHJ's factory of the same name in a cipher list. */
  static final Factory.Named<Cipher> FACTORY = new Factory.Named<>() {
    @Override
    public Cipher create() {
      return new ChaCha20Poly1305Cipher();
    }

    @Override
    public String getName() {
      return NAME;
    }

    @Override
    public String toString() {
      return NAME;
    }
  };

  private final byte[] nonce = new byte[12];
  private final byte[] encryptedLength = new byte[LENGTH_SIZE];
  private final byte[] tag = new byte[TAG_SIZE];
  private Mode mode;
  private SecretKeySpec payloadKey;
  private SecretKeySpec lengthKey;
  private javax.crypto.Cipher payload;
  private javax.crypto.Cipher length;
  private Mac poly1305;

  @Override
  public int getBlockSize() {
    return 2 * KEY_SIZE; // SSHJ derives this much key material: both keys
  }

  @Override
  public int getIVSize() {
    return 0;
  }

  @Override
  public int getAuthenticationTagSize() {
    return TAG_SIZE;
  }

  @Override
  public void init(Mode mode, byte[] key, byte[] iv) {
    this.mode = mode;
    payloadKey = new SecretKeySpec(Arrays.copyOfRange(key, 0, KEY_SIZE), "ChaCha20");
    lengthKey = new SecretKeySpec(Arrays.copyOfRange(key, KEY_SIZE, 2 * KEY_SIZE), "ChaCha20");
    try {
      payload = javax.crypto.Cipher.getInstance("ChaCha20");
      length = javax.crypto.Cipher.getInstance("ChaCha20");
      poly1305 = SecurityUtils.getMAC("POLY1305");
    } catch (GeneralSecurityException e) {
      throw new SSHRuntimeException(e);
    }
    setSequenceNumber(0);
  }

  @Override
  public void setSequenceNumber(long sequence) {
    for (int i = 0; i < 8; i++) {
      nonce[4 + i] = (byte) (sequence >>> (56 - 8 * i));
    }
    try {
      // A stream cipher encrypts and decrypts alike; DECRYPT_MODE because the JDK refuses to ENCRYPT twice
      // with one key and nonce, which OpenSSH's construction does by design (block 0, then block 1 on),
      // and strict key exchange starts every new key at sequence number 0 again.
      payload.init(javax.crypto.Cipher.DECRYPT_MODE, payloadKey, new ChaCha20ParameterSpec(nonce, 0));
      byte[] polyKey = payload.update(ZEROS);
      payload.init(javax.crypto.Cipher.DECRYPT_MODE, payloadKey, new ChaCha20ParameterSpec(nonce, 1));
      length.init(javax.crypto.Cipher.DECRYPT_MODE, lengthKey, new ChaCha20ParameterSpec(nonce, 0));
      poly1305.init(new SecretKeySpec(polyKey, "POLY1305"));
    } catch (GeneralSecurityException e) {
      throw new SSHRuntimeException(e);
    }
  }

  /** En- or decrypts the packet length, the 4 bytes at {@code data[0]}, in place. */
  @Override
  public void updateAAD(byte[] data, int offset, int length) {
    if (offset != 0 || length != LENGTH_SIZE) {
      throw new IllegalArgumentException("the packet length is 4 bytes at offset 0, not " + length + " at " + offset);
    }
    if (mode == Mode.Decrypt) {
      System.arraycopy(data, 0, encryptedLength, 0, LENGTH_SIZE);
    }
    try {
      this.length.update(data, 0, LENGTH_SIZE, data, 0);
    } catch (GeneralSecurityException e) {
      throw new SSHRuntimeException(e);
    }
  }

  @Override
  public void updateAAD(byte[] data) {
    updateAAD(data, 0, LENGTH_SIZE);
  }

  @Override
  public void updateWithAAD(byte[] input, int offset, int aadLen, int inputLen) {
    updateAAD(input, offset, aadLen);
    update(input, offset + aadLen, inputLen);
  }

  /**
   * En- or decrypts the payload at {@code input[offset]} in place (offset 4: after the length,
   * 0: none), the tag following it: written when encrypting, checked first when decrypting.
   */
  @Override
  public void update(byte[] input, int offset, int length) {
    if (offset != 0 && offset != LENGTH_SIZE) {
      throw new IllegalArgumentException("the payload starts at offset 0 or 4, not " + offset);
    }
    int end = offset + length;
    try {
      if (mode == Mode.Decrypt) {
        if (offset == LENGTH_SIZE) {
          poly1305.update(encryptedLength);
        }
        poly1305.update(input, offset, length);
        poly1305.doFinal(tag, 0);
        if (!MessageDigest.isEqual(tag, Arrays.copyOfRange(input, end, end + TAG_SIZE))) {
          throw new SSHRuntimeException("MAC Error");
        }
        payload.update(input, offset, length, input, offset);
      } else {
        payload.update(input, offset, length, input, offset);
        poly1305.update(input, 0, end);
        poly1305.doFinal(input, end);
      }
    } catch (GeneralSecurityException e) {
      throw new SSHRuntimeException(e);
    }
  }
}
