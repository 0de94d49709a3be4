package dev.lifeboat.runbook;

import dev.lifeboat.credentials.CredentialKind;
import java.util.List;

/**
 * One declared parameter; {@code defaultValue} is the text form, parsed like user input.
 * {@code kinds} says what a reference must point at: for {@link ParameterType#BACKUP_ID} the
 * catalogue kinds it accepts, for {@link ParameterType#CREDENTIAL_REF} the one credential kind it
 * needs; other types have none.
 */
public record RunbookParameter(
    String name, ParameterType type, boolean required, String defaultValue, String description, List<String> kinds) {

  public RunbookParameter {
    kinds = kinds == null ? List.of() : List.copyOf(kinds);
    switch (type) {
      case BACKUP_ID -> {
        if (kinds.isEmpty()) {
          throw new IllegalArgumentException("backup parameter '" + name + "' must name the backup kinds it accepts"
              + " (RunbookParameter.backup)");
        }
      }
      case CREDENTIAL_REF -> {
        if (kinds.size() != 1) {
          throw new IllegalArgumentException("credential parameter '" + name + "' must name the one credential kind"
              + " it needs (RunbookParameter.credential)");
        }
        CredentialKind.of(kinds.getFirst());
      }
      default -> {
        if (!kinds.isEmpty()) {
          throw new IllegalArgumentException("parameter '" + name + "' of type " + type + " takes no kinds");
        }
      }
    }
  }

  public static RunbookParameter required(String name, ParameterType type, String description) {
    return new RunbookParameter(name, type, true, null, description, List.of());
  }

  public static RunbookParameter optional(
      String name, ParameterType type, String defaultValue, String description) {
    return new RunbookParameter(name, type, false, defaultValue, description, List.of());
  }

  /** A required catalogued backup of one of {@code kinds}, e.g. {@code List.of("etcd-snapshot")}. */
  public static RunbookParameter backup(String name, List<String> kinds, String description) {
    return new RunbookParameter(name, ParameterType.BACKUP_ID, true, null, description, kinds);
  }

  /** The name of configured credentials of {@code kind}; an optional one may be left empty for none. */
  public static RunbookParameter credential(String name, CredentialKind kind, boolean required, String description) {
    return new RunbookParameter(name, ParameterType.CREDENTIAL_REF, required, null, description, List.of(kind.id()));
  }

  /** The credential kind a {@link ParameterType#CREDENTIAL_REF} parameter needs. */
  CredentialKind credentialKind() {
    return CredentialKind.of(kinds.getFirst());
  }
}
