package dev.lifeboat.deis;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The Deis runbooks.
 *
 * @param bodyGrace how long a body of a Deis store set that no catalogued set references is kept
 *     after a run last wrote or reused it, on top of what backups in progress rely on (it also
 *     covers clock differences between Lifeboat instances)
 */
@Validated
@ConfigurationProperties("lifeboat.deis")
record DeisProperties(@NotNull @DefaultValue("PT24H") Duration bodyGrace) {}
