package dev.lifeboat.runbook;

import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.model.bpmn.instance.Activity;
import io.camunda.zeebe.model.bpmn.instance.CallActivity;
import io.camunda.zeebe.model.bpmn.instance.ExclusiveGateway;
import io.camunda.zeebe.model.bpmn.instance.FlowNode;
import io.camunda.zeebe.model.bpmn.instance.Process;
import io.camunda.zeebe.model.bpmn.instance.SequenceFlow;
import io.camunda.zeebe.model.bpmn.instance.StartEvent;
import io.camunda.zeebe.model.bpmn.instance.SubProcess;
import io.camunda.zeebe.model.bpmn.instance.UserTask;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeCalledElement;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeTaskDefinition;
import org.camunda.bpm.model.xml.instance.ModelElementInstance;
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
    collectTasks(process, null, tasks);
    List<String> rootPath = new ArrayList<>();
    List<String> mainPath = new ArrayList<>();
    walk(process, tasks, rootPath, mainPath);
    String name = process.getName() == null ? process.getId() : process.getName();
    return new ProcessModel(process.getId(), name, fileName, List.copyOf(rootPath), List.copyOf(mainPath), tasks, xml);
  }

  private static void collectTasks(ModelElementInstance container, String scope, Map<String, Task> tasks) {
    for (Activity activity : container.getChildElementsByType(Activity.class)) {
      tasks.put(activity.getId(), task(activity, scope));
      if (activity instanceof SubProcess) {
        collectTasks(activity, activity.getId(), tasks);
      }
    }
  }

  /**
   * Walks the sequence flows from the start event of a process or sub-process: the activities met
   * are its path, in the order they run; a sub-process contributes its own tasks to the main path.
   * Activities reached only from boundary events or a gateway's default flow (the models' way out
   * when something is refused or rejected) show up in a run only when they ran.
   */
  private static void walk(ModelElementInstance container, Map<String, Task> tasks, List<String> path,
      List<String> mainPath) {
    Deque<FlowNode> queue = new ArrayDeque<>(container.getChildElementsByType(StartEvent.class));
    Set<String> seen = new HashSet<>();
    while (!queue.isEmpty()) {
      FlowNode node = queue.removeFirst();
      if (!seen.add(node.getId())) {
        continue;
      }
      if (tasks.containsKey(node.getId())) {
        path.add(node.getId());
        if (node instanceof SubProcess) {
          walk(node, tasks, new ArrayList<>(), mainPath);
        } else {
          mainPath.add(node.getId());
        }
      }
      SequenceFlow byDefault = node instanceof ExclusiveGateway gateway ? gateway.getDefault() : null;
      for (SequenceFlow flow : node.getOutgoing()) {
        if (flow != byDefault) {
          queue.addLast(flow.getTarget());
        }
      }
    }
  }

  private static Task task(Activity activity, String scope) {
    ZeebeTaskDefinition definition = activity.getSingleExtensionElement(ZeebeTaskDefinition.class);
    String name = activity.getName() == null ? activity.getId() : activity.getName();
    TaskKind kind = TaskKind.SERVICE;
    String calledProcess = null;
    if (activity instanceof UserTask) {
      kind = TaskKind.APPROVAL;
    } else if (activity instanceof SubProcess) {
      kind = TaskKind.SUB_PROCESS;
    } else if (activity instanceof CallActivity) {
      kind = TaskKind.CALL;
      ZeebeCalledElement called = activity.getSingleExtensionElement(ZeebeCalledElement.class);
      calledProcess = called == null ? null : called.getProcessId();
    }
    return new Task(activity.getId(), name, definition == null ? null : definition.getType(), kind, calledProcess, scope);
  }

  /**
   * The steps a run of {@code processId} goes through, in order, with called processes expanded
   * into their own steps: what a run shows as pending before it gets there.
   */
  public List<Task> steps(String processId) {
    return steps(processId, "");
  }

  /** The steps with their ids within the run: a called process's behind the call activity's path. */
  private List<Task> steps(String processId, String path) {
    List<Task> steps = new ArrayList<>();
    ProcessModel model = model(processId);
    for (String elementId : model.mainPath()) {
      Task task = model.tasks().get(elementId);
      if (task.kind() == TaskKind.CALL && task.calledProcess() != null && models.containsKey(task.calledProcess())) {
        steps.addAll(steps(task.calledProcess(), path + task.elementId() + "/"));
      } else {
        steps.add(path.isEmpty() ? task : task.at(path));
      }
    }
    return steps;
  }

  /**
   * Whether a run of {@code processId} can have this step, on any path (a rollback too): a task of
   * the model, or behind a call activity's id and '/' a step of the process it calls.
   */
  public boolean hasStep(String processId, String stepId) {
    ProcessModel model = model(processId);
    int slash = stepId.indexOf('/');
    if (slash < 0) {
      return model.tasks().containsKey(stepId);
    }
    Task call = model.tasks().get(stepId.substring(0, slash));
    return call != null && call.kind() == TaskKind.CALL && models.containsKey(call.calledProcess())
        && hasStep(call.calledProcess(), stepId.substring(slash + 1));
  }

  /** The steps an activity on the root path stands for: itself, a sub-process's tasks, a called process's steps. */
  public List<Task> stepsOf(String processId, String rootElementId) {
    ProcessModel model = model(processId);
    Task task = model.tasks().get(rootElementId);
    return switch (task.kind()) {
      case CALL -> task.calledProcess() != null && models.containsKey(task.calledProcess())
          ? steps(task.calledProcess(), rootElementId + "/") : List.of(task);
      case SUB_PROCESS -> model.tasks().values().stream()
          .filter(inner -> rootElementId.equals(inner.scope()) && model.mainPath().contains(inner.elementId()))
          .toList();
      default -> List.of(task);
    };
  }

  /**
   * One process model. {@code rootPath} holds the activities at the top level in the order they
   * run (where a resumed run can start); {@code mainPath} the same with sub-processes replaced by
   * their tasks. {@code xml} is the file as deployed, for drawing the diagram.
   */
  public record ProcessModel(String processId, String name, String fileName, List<String> rootPath,
      List<String> mainPath, Map<String, Task> tasks, byte[] xml) {

    public String taskName(String elementId) {
      Task task = tasks.get(elementId);
      return task == null ? elementId : task.name();
    }
  }

  /**
   * An activity of a model. {@code calledProcess} is the process a call activity starts.
   * APPROVAL marks a user task: a person decides there. {@code scope} is the enclosing sub-process, if any.
   */
  public record Task(String elementId, String name, String jobType, TaskKind kind, String calledProcess,
      String scope) {

    /** The same task as a step of a called process, behind {@code path} (call activity ids and '/'). */
    Task at(String path) {
      return new Task(path + elementId, name, jobType, kind, calledProcess, scope == null ? null : path + scope);
    }

    /** The element id in its own model, without the path of call activities that led to it. */
    public String localId() {
      return elementId.substring(elementId.lastIndexOf('/') + 1);
    }
  }

  public enum TaskKind {
    SERVICE,
    APPROVAL,
    SUB_PROCESS,
    CALL
  }
}
