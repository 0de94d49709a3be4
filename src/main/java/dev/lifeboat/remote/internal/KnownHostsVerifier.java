package dev.lifeboat.remote.internal;

import java.io.File;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;

/** known_hosts verification that remembers why it refused, so the message can show the offered fingerprint. */
final class KnownHostsVerifier extends OpenSSHKnownHosts {

  private volatile String refusal;

  KnownHostsVerifier(File knownHosts) throws IOException {
    super(knownHosts);
  }

  @Override
  protected boolean hostKeyUnverifiableAction(String hostname, PublicKey key) {
    refusal = "is not in " + getFile() + ": the host offered " + describe(key) + ". If that is the host's key (check"
        + " with 'ssh-keygen -lf' on the host), add it to the known-hosts file (for example with ssh-keyscan)";
    return false;
  }

  @Override
  protected boolean hostKeyChangedAction(String hostname, PublicKey key) {
    refusal = "offered " + describe(key) + ", which differs from the key listed in " + getFile()
        + ". The host may have been reinstalled, or someone is intercepting the connection; verify before"
        + " replacing the entry";
    return false;
  }

  String refusal() {
    return refusal;
  }

  static String describe(PublicKey key) {
    return KeyType.fromKey(key) + " key " + fingerprint(key);
  }

  /** The fingerprint as OpenSSH prints it: {@code SHA256:} and unpadded base64. */
  static String fingerprint(PublicKey key) {
    try {
      byte[] blob = new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
      return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
