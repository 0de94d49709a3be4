package dev.lifeboat.web;

import dev.lifeboat.runbook.ProcessModels;
import dev.lifeboat.runbook.ProcessModels.ProcessModel;
import dev.lifeboat.runbook.Run;
import dev.lifeboat.runbook.Step;
import dev.lifeboat.runbook.StepStatus;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/** Each process model's diagram, parsed once and drawn for a run with its steps' states. */
@Component
class RunDiagrams {

  private final ProcessModels models;
  private final Map<String, BpmnDiagram> diagrams = new ConcurrentHashMap<>();

  RunDiagrams(ProcessModels models) {
    this.models = models;
  }

  String svg(Run run) {
    Map<String, StepStatus> states = new HashMap<>();
    for (Step step : run.steps()) {
      int slash = step.elementId().indexOf('/');
      if (slash < 0) {
        states.put(step.elementId(), step.status());
      } else if (step.status() != StepStatus.PENDING) {
        // A called model's step colours the call activity that leads to it, the most telling state winning.
        states.merge(step.elementId().substring(0, slash), step.status(), RunDiagrams::telling);
      }
    }
    return diagram(run.runbook()).render(states);
  }

  private static StepStatus telling(StepStatus a, StepStatus b) {
    for (StepStatus first : new StepStatus[] {StepStatus.FAILED, StepStatus.WAITING, StepStatus.RUNNING}) {
      if (a == first || b == first) {
        return first;
      }
    }
    return a;
  }

  String svg(String processId) {
    return diagram(processId).render(Map.of());
  }

  private BpmnDiagram diagram(String processId) {
    return diagrams.computeIfAbsent(processId, id -> {
      ProcessModel model = models.model(id);
      return BpmnDiagram.parse(model.name(), model.xml());
    });
  }
}
