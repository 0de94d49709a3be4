package dev.lifeboat.web;

import dev.lifeboat.catalog.Backup;
import dev.lifeboat.runbook.Runbook;
import dev.lifeboat.runbook.RunbookParameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The start form of a runbook, generated from its declared parameters: an input per parameter
 * with the type's HTML5 checks (so most mistakes are caught before submitting), its default, its
 * help text, and the server's complaint about it after a refused submit.
 */
record StartForm(Runbook runbook, List<Field> fields, List<String> otherProblems) {

  /** Matches how ParameterValidator names a parameter in its problems: "... parameter 'name'...". */
  private static final Pattern NAMED = Pattern.compile("parameter '([^']+)'");

  record Option(String value, String label) {}

  record Field(String name, String control, String inputType, boolean required, String value, String help,
      String pattern, String patternHelp, String error, List<Option> options) {

    public String helpId() {
      return "help-" + name;
    }

    public String errorId() {
      return "error-" + name;
    }

    public String describedBy() {
      return error == null ? helpId() : helpId() + " " + errorId();
    }

    public boolean checked() {
      return "true".equalsIgnoreCase(value) || "yes".equalsIgnoreCase(value);
    }
  }

  static StartForm of(Runbook runbook, Map<String, String> values, List<String> problems,
      List<String> credentialNames, List<Backup> backups) {
    Map<String, String> errors = new LinkedHashMap<>();
    List<String> other = new ArrayList<>();
    for (String problem : problems) {
      Matcher m = NAMED.matcher(problem);
      if (m.find() && runbook.parameter(m.group(1)).isPresent()) {
        errors.merge(m.group(1), problem, (a, b) -> a + "; " + b);
      } else {
        other.add(problem);
      }
    }
    List<Field> fields = new ArrayList<>();
    for (RunbookParameter p : runbook.parameters()) {
      String value = values.containsKey(p.name()) ? values.get(p.name()) : p.defaultValue();
      fields.add(field(p, value == null ? "" : value, errors.get(p.name()), credentialNames, backups));
    }
    return new StartForm(runbook, fields, other);
  }

  private static Field field(RunbookParameter p, String value, String error, List<String> credentialNames,
      List<Backup> backups) {
    String help = p.description() == null ? "" : p.description();
    return switch (p.type()) {
      case BOOLEAN -> new Field(p.name(), "checkbox", "checkbox", false, value, help, null, null, error, List.of());
      case INTEGER -> new Field(p.name(), "input", "number", p.required(), value, help, null, null, error, List.of());
      case DURATION -> new Field(p.name(), "input", "text", p.required(), value, help,
          "P(\\d+D)?(T(\\d+H)?(\\d+M)?(\\d+(\\.\\d+)?S)?)?", "an ISO-8601 duration such as PT30M or PT24H", error,
          List.of());
      case ENDPOINTS -> new Field(p.name(), "input", "text", p.required(), value, help,
          "\\s*https?://[^,\\s]+:\\d+\\s*(,\\s*https?://[^,\\s]+:\\d+\\s*)*",
          "client URLs with port, comma-separated, such as https://10.0.0.5:2379", error, List.of());
      case HOST -> new Field(p.name(), "input", "text", p.required(), value, help,
          "[A-Za-z0-9._\\-]+(:[0-9]{1,5})?|\\[[0-9a-fA-F:]+\\](:[0-9]{1,5})?", "host or host:port", error, List.of());
      case PATH -> new Field(p.name(), "input", "text", p.required(), value, help, "/.*", "an absolute path", error,
          List.of());
      case CREDENTIAL_REF -> new Field(p.name(), "select", null, p.required(), value, help, null, null, error,
          options(p.required(), "(none)", credentialNames.stream().map(n -> new Option(n, n)).toList()));
      case BACKUP_ID -> new Field(p.name(), "select", null, p.required(), value, help, null, null, error,
          options(p.required(), "(choose a backup)", backups.stream()
              .map(b -> new Option(b.id(), b.id() + " (" + b.kind() + ")")).toList()));
      case STRING, COMMAND -> new Field(p.name(), "input", "text", p.required(), value, help, null, null, error,
          List.of());
    };
  }

  private static List<Option> options(boolean required, String emptyLabel, List<Option> choices) {
    List<Option> options = new ArrayList<>();
    // A required select still starts empty, so that "required" makes the person choose.
    options.add(new Option("", required ? emptyLabel : "(none)"));
    options.addAll(choices);
    return options;
  }
}
