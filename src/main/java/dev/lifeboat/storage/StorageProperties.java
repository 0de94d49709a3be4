package dev.lifeboat.storage;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

@Validated
@ConfigurationProperties("lifeboat.storage")
public record StorageProperties(@DefaultValue Local local) {

  /** The local backup repository; defaults to {@code <data-dir>/backups}. */
  public record Local(@NotNull @DefaultValue("./lifeboat-data/backups") Path directory) {}
}
