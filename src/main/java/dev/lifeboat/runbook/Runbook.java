package dev.lifeboat.runbook;

import java.util.List;
import java.util.Optional;

/**
 * A runbook as operators see it: the BPMN process it runs (id = process id = file name under
 * bpmn/), what it does, the parameters it takes and the outputs it promises.
 */
public record Runbook(
    String id, String name, String description, List<RunbookParameter> parameters, List<String> outputs) {

  public Optional<RunbookParameter> parameter(String name) {
    return parameters.stream().filter(p -> p.name().equals(name)).findFirst();
  }
}
