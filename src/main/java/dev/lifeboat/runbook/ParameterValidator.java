package dev.lifeboat.runbook;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Checks a run's parameters against its runbook's declaration before anything starts, and turns
 * them into typed values (booleans, numbers, ISO durations) with defaults filled in. The start
 * form asks it how to present each parameter, so the form and the API share each type's code.
 */
@Component
public class ParameterValidator {

  private final ParameterLookups lookups;

  ParameterValidator(ParameterLookups lookups) {
    this.lookups = lookups;
  }

  public Map<String, Object> validate(Runbook runbook, Map<String, ?> given) {
    Map<String, ?> input = given == null ? Map.of() : given;
    List<String> problems = new ArrayList<>();
    for (String name : input.keySet()) {
      if (runbook.parameter(name).isEmpty()) {
        problems.add("unknown parameter '" + name + "' (this runbook takes: "
            + String.join(", ", runbook.parameters().stream().map(RunbookParameter::name).toList()) + ")");
      }
    }
    Map<String, Object> values = new LinkedHashMap<>();
    for (RunbookParameter parameter : runbook.parameters()) {
      Object raw = input.get(parameter.name());
      String text = raw == null ? null : String.valueOf(raw).strip();
      if (text == null || text.isEmpty()) {
        if (parameter.required()) {
          problems.add("missing required parameter '" + parameter.name() + "': " + parameter.description());
          continue;
        }
        text = parameter.defaultValue();
        if (text == null) {
          continue;
        }
      }
      try {
        values.put(parameter.name(), parameter.type().parse(parameter, text, lookups));
      } catch (IllegalArgumentException e) {
        problems.add("parameter '" + parameter.name() + "': " + e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidParametersException(runbook.id(), problems);
    }
    return values;
  }

  /** How the start form asks for {@code parameter}: input type and pattern, or the choices it offers. */
  public ParameterInput input(RunbookParameter parameter) {
    return parameter.type().input(parameter, lookups);
  }
}
