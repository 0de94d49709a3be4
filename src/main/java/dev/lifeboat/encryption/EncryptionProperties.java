package dev.lifeboat.encryption;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * age encryption of archives. Without recipients encryption is off; without an identity archives
 * can be encrypted here but not decrypted (the identity may live only where restores run).
 *
 * @param ageRecipientsFile public keys, as {@code age -R} reads them: one {@code age1...} per
 *     line, {@code #} comments and blank lines ignored
 * @param ageIdentityFile secret keys, as {@code age -i} reads them: {@code AGE-SECRET-KEY-1...}
 *     lines (what {@code age-keygen -o} writes)
 */
@Validated
@ConfigurationProperties("lifeboat.encryption")
public record EncryptionProperties(Path ageRecipientsFile, Path ageIdentityFile) {}
