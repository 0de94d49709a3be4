package dev.lifeboat.runbook;

import java.util.ArrayList;
import java.util.List;

/**
 * How the start form asks for a parameter: an HTML input type ({@code text}, {@code number},
 * {@code checkbox}) with the pattern the browser checks before submitting and what it means, or
 * {@code select} with its choices.
 */
public record ParameterInput(String type, String pattern, String patternHelp, List<Choice> choices) {

  public record Choice(String value, String label) {}

  static ParameterInput text() {
    return new ParameterInput("text", null, null, List.of());
  }

  static ParameterInput text(String pattern, String patternHelp) {
    return new ParameterInput("text", pattern, patternHelp, List.of());
  }

  static ParameterInput number() {
    return new ParameterInput("number", null, null, List.of());
  }

  static ParameterInput checkbox() {
    return new ParameterInput("checkbox", null, null, List.of());
  }

  /** A select that starts empty, so that "required" makes the person choose; optional ones say "(none)". */
  static ParameterInput select(boolean required, String emptyLabel, List<Choice> choices) {
    List<Choice> all = new ArrayList<>();
    all.add(new Choice("", required ? emptyLabel : "(none)"));
    all.addAll(choices);
    return new ParameterInput("select", null, null, List.copyOf(all));
  }
}
