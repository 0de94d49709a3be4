package dev.lifeboat.remote.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hierynomus.sshj.transport.cipher.ChachaPolyCiphers;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.common.SSHRuntimeException;
import net.schmizz.sshj.transport.cipher.Cipher;
import org.junit.jupiter.api.Test;

/**
 * The JDK-based chacha20-poly1305@openssh.com against SSHJ's own (Bouncy Castle's ChaCha): each
 * must read what the other wrote, byte for byte. The suite's SSH tests then talk to OpenSSH with it.
 */
class ChaCha20Poly1305CipherTest {

  static {
    new DefaultConfig(); // registers Bouncy Castle, as a connection does
  }

  private static final byte[] KEY = new byte[64];

  static {
    new Random(7).nextBytes(KEY);
  }

  private static Cipher ours(Cipher.Mode mode) {
    Cipher cipher = ChaCha20Poly1305Cipher.FACTORY.create();
    cipher.init(mode, KEY, new byte[0]);
    return cipher;
  }

  private static Cipher sshjs(Cipher.Mode mode) {
    Cipher cipher = ChachaPolyCiphers.CHACHA_POLY_OPENSSH().create();
    cipher.init(mode, KEY, new byte[0]);
    return cipher;
  }

  /** A packet as the transport lays it out: length, payload, room for the tag. */
  private static byte[] packet(int payloadSize, long seed) {
    byte[] packet = new byte[4 + payloadSize + 16];
    packet[0] = (byte) (payloadSize >>> 24);
    packet[1] = (byte) (payloadSize >>> 16);
    packet[2] = (byte) (payloadSize >>> 8);
    packet[3] = (byte) payloadSize;
    byte[] payload = new byte[payloadSize];
    new Random(seed).nextBytes(payload);
    System.arraycopy(payload, 0, packet, 4, payloadSize);
    return packet;
  }

  private static void encrypt(Cipher cipher, long sequence, byte[] packet) {
    cipher.setSequenceNumber(sequence);
    cipher.updateWithAAD(packet, 0, 4, packet.length - 20);
  }

  private static void decrypt(Cipher cipher, long sequence, byte[] packet) {
    cipher.setSequenceNumber(sequence);
    cipher.updateAAD(packet, 0, 4);
    cipher.update(packet, 4, packet.length - 20);
  }

  // Sequence numbers as a connection meets them, 0 again after a strict key exchange, and the wrap.
  private static final List<Long> SEQUENCES = List.of(0L, 1L, 2L, 0L, 1L, 255L, 256L, 65_537L, 0xffff_ffffL);

  @Test
  void writesWhatSshjsOwnWritesAndReadsIt() {
    Cipher oursOut = ours(Cipher.Mode.Encrypt);
    Cipher theirsOut = sshjs(Cipher.Mode.Encrypt);
    Cipher oursIn = ours(Cipher.Mode.Decrypt);
    Cipher theirsIn = sshjs(Cipher.Mode.Decrypt);
    for (int i = 0; i < SEQUENCES.size(); i++) {
      long sequence = SEQUENCES.get(i);
      int size = List.of(12, 28, 32_768, 4_092, 60, 1, 100_000, 16, 44).get(i);
      byte[] plain = packet(size, i);
      byte[] byUs = plain.clone();
      byte[] byThem = plain.clone();
      encrypt(oursOut, sequence, byUs);
      encrypt(theirsOut, sequence, byThem);
      assertThat(byUs).as("packet %d (sequence %d) as sent", i, sequence).isEqualTo(byThem);
      assertThat(Arrays.copyOfRange(byUs, 4, 4 + size)).isNotEqualTo(Arrays.copyOfRange(plain, 4, 4 + size));

      decrypt(theirsIn, sequence, byUs);
      decrypt(oursIn, sequence, byThem);
      assertThat(Arrays.copyOf(byUs, 4 + size)).as("SSHJ's reading ours").isEqualTo(Arrays.copyOf(plain, 4 + size));
      assertThat(Arrays.copyOf(byThem, 4 + size)).as("ours reading SSHJ's").isEqualTo(Arrays.copyOf(plain, 4 + size));
    }
  }

  @Test
  void aChangedByteOrAnotherSequenceNumberIsAMacError() {
    byte[] sent = packet(300, 1);
    encrypt(ours(Cipher.Mode.Encrypt), 5, sent);

    byte[] flipped = sent.clone();
    flipped[100] ^= 1;
    assertThatThrownBy(() -> decrypt(ours(Cipher.Mode.Decrypt), 5, flipped))
        .isInstanceOf(SSHRuntimeException.class).hasMessageContaining("MAC Error");

    byte[] longer = sent.clone();
    longer[3] ^= 1; // the encrypted length is authenticated too
    assertThatThrownBy(() -> decrypt(ours(Cipher.Mode.Decrypt), 5, longer))
        .isInstanceOf(SSHRuntimeException.class).hasMessageContaining("MAC Error");

    assertThatThrownBy(() -> decrypt(ours(Cipher.Mode.Decrypt), 6, sent.clone()))
        .isInstanceOf(SSHRuntimeException.class).hasMessageContaining("MAC Error");
  }

  @Test
  void connectionsOfferItFirstInPlaceOfSshjsOwn() {
    var ciphers = SshConnector.config().getCipherFactories();
    assertThat(ciphers.getFirst()).isSameAs(ChaCha20Poly1305Cipher.FACTORY);
    assertThat(ciphers).extracting(cipher -> cipher.getName()).doesNotHaveDuplicates()
        .contains("chacha20-poly1305@openssh.com", "aes128-gcm@openssh.com", "aes256-ctr");
  }
}
