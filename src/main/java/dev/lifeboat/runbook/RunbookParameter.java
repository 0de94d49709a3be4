package dev.lifeboat.runbook;

/** One declared parameter; {@code defaultValue} is the text form, parsed like user input. */
public record RunbookParameter(
    String name, ParameterType type, boolean required, String defaultValue, String description) {

  public static RunbookParameter required(String name, ParameterType type, String description) {
    return new RunbookParameter(name, type, true, null, description);
  }

  public static RunbookParameter optional(
      String name, ParameterType type, String defaultValue, String description) {
    return new RunbookParameter(name, type, false, defaultValue, description);
  }
}
