package dev.lifeboat.runbook;

import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.model.bpmn.instance.Activity;
import io.camunda.zeebe.model.bpmn.instance.FlowNode;
import io.camunda.zeebe.model.bpmn.instance.Process;
import io.camunda.zeebe.model.bpmn.instance.SequenceFlow;
import io.camunda.zeebe.model.bpmn.instance.StartEvent;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeTaskDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/** The process models under bpmn/, read once: which tasks each has, in the order they run. */
@Component
public class ProcessModels {

  public static final String LOCATION = "classpath*:/bpmn/**/*.bpmn";

  private final Map<String, ProcessModel> models = new HashMap<>();

  public ProcessModels() {
    try {
      for (Resource resource : new PathMatchingResourcePatternResolver().getResources(LOCATION)) {
        try (InputStream in = resource.getInputStream()) {
          byte[] xml = in.readAllBytes();
          BpmnModelInstance instance = Bpmn.readModelFromStream(new java.io.ByteArrayInputStream(xml));
          for (Process process : instance.getModelElementsByType(Process.class)) {
            models.put(process.getId(), read(process, resource.getFilename(), xml));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the process models under bpmn/", e);
    }
  }

  public ProcessModel model(String processId) {
    ProcessModel model = models.get(processId);
    if (model == null) {
      throw new IllegalStateException("no process model with id " + processId + " under bpmn/");
    }
    return model;
  }

  public Iterable<ProcessModel> all() {
    return models.values();
  }

  private static ProcessModel read(Process process, String fileName, byte[] xml) {
    Map<String, Task> tasks = new LinkedHashMap<>();
    for (Activity activity : process.getChildElementsByType(Activity.class)) {
      tasks.put(activity.getId(), task(activity));
    }
    // Walk the sequence flows from the start event: the tasks met are the run's main path; tasks
    // reached only from boundary events (error handling) show up in a run only when they ran.
    List<String> mainPath = new ArrayList<>();
    Deque<FlowNode> queue = new ArrayDeque<>(process.getChildElementsByType(StartEvent.class));
    Set<String> seen = new HashSet<>();
    while (!queue.isEmpty()) {
      FlowNode node = queue.removeFirst();
      if (!seen.add(node.getId())) {
        continue;
      }
      if (tasks.containsKey(node.getId())) {
        mainPath.add(node.getId());
      }
      for (SequenceFlow flow : node.getOutgoing()) {
        queue.addLast(flow.getTarget());
      }
    }
    String name = process.getName() == null ? process.getId() : process.getName();
    return new ProcessModel(process.getId(), name, fileName, List.copyOf(mainPath), tasks, xml);
  }

  private static Task task(Activity activity) {
    ZeebeTaskDefinition definition = activity.getSingleExtensionElement(ZeebeTaskDefinition.class);
    String name = activity.getName() == null ? activity.getId() : activity.getName();
    return new Task(activity.getId(), name, definition == null ? null : definition.getType());
  }

  /** One process model. {@code xml} is the file as deployed, for drawing the diagram. */
  public record ProcessModel(
      String processId, String name, String fileName, List<String> mainPath, Map<String, Task> tasks, byte[] xml) {

    public String taskName(String elementId) {
      Task task = tasks.get(elementId);
      return task == null ? elementId : task.name();
    }
  }

  public record Task(String elementId, String name, String jobType) {}
}
