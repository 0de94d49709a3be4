package dev.lifeboat.web;

import dev.lifeboat.runbook.ParameterInput;
import dev.lifeboat.runbook.ParameterInput.Choice;
import dev.lifeboat.runbook.Runbook;
import dev.lifeboat.runbook.RunbookParameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The start form of a runbook, generated from its declared parameters: an input per parameter as
 * its type describes it (HTML5 checks, so most mistakes are caught before submitting, or the
 * choices it offers), its default, its help text, and the server's complaint about it after a
 * refused submit.
 */
record StartForm(Runbook runbook, List<Field> fields, List<String> otherProblems) {

  /** Matches how ParameterValidator names a parameter in its problems: "... parameter 'name'...". */
  private static final Pattern NAMED = Pattern.compile("parameter '([^']+)'");

  record Field(String name, String control, String inputType, boolean required, String value, String help,
      String pattern, String patternHelp, String error, List<Choice> options) {

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
      Function<RunbookParameter, ParameterInput> inputs) {
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
      fields.add(field(p, inputs.apply(p), value == null ? "" : value, errors.get(p.name())));
    }
    return new StartForm(runbook, fields, other);
  }

  private static Field field(RunbookParameter p, ParameterInput input, String value, String error) {
    String help = p.description() == null ? "" : p.description();
    String control = switch (input.type()) {
      case "checkbox", "select" -> input.type();
      default -> "input";
    };
    boolean required = p.required() && !"checkbox".equals(control);
    return new Field(p.name(), control, input.type(), required, value, help, input.pattern(), input.patternHelp(),
        error, input.choices());
  }
}
