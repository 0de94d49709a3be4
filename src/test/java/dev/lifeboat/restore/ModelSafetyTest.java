package dev.lifeboat.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.model.bpmn.instance.Activity;
import io.camunda.zeebe.model.bpmn.instance.BoundaryEvent;
import io.camunda.zeebe.model.bpmn.instance.CallActivity;
import io.camunda.zeebe.model.bpmn.instance.EndEvent;
import io.camunda.zeebe.model.bpmn.instance.ErrorEventDefinition;
import io.camunda.zeebe.model.bpmn.instance.ExclusiveGateway;
import io.camunda.zeebe.model.bpmn.instance.FlowNode;
import io.camunda.zeebe.model.bpmn.instance.Process;
import io.camunda.zeebe.model.bpmn.instance.SequenceFlow;
import io.camunda.zeebe.model.bpmn.instance.ServiceTask;
import io.camunda.zeebe.model.bpmn.instance.StartEvent;
import io.camunda.zeebe.model.bpmn.instance.SubProcess;
import io.camunda.zeebe.model.bpmn.instance.UserTask;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeHeader;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeInput;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeIoMapping;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeTaskDefinition;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeTaskHeaders;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.camunda.bpm.model.xml.instance.ModelElementInstance;
import org.junit.jupiter.api.Test;

/**
 * The safety order of every model under bpmn/, checked on the models themselves: a task marked
 * destructive ({@code lifeboat.destructive=true}) is reached from a start event only through an
 * approval (a user task) or the default flow of Gateway_TargetProvenEmpty (taken only when the
 * checks proved the target empty), and sits in a scope whose error boundary leads to the rollback.
 */
class ModelSafetyTest {

  static final String DESTRUCTIVE = "lifeboat.destructive";
  static final String EMPTY_GATEWAY = "Gateway_TargetProvenEmpty";
  static final String ROLLBACK_TYPE = "restore.roll-back";

  @Test
  void everyModelUnderBpmnKeepsTheSafetyOrder() throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(Path.of("bpmn"))) {
      files = walk.filter(p -> p.toString().endsWith(".bpmn")).toList();
    }
    assertThat(files).isNotEmpty();
    List<String> problems = new ArrayList<>();
    int destructive = 0;
    for (Path file : files) {
      BpmnModelInstance model = read(file);
      problems.addAll(violations(file.toString(), model));
      destructive += destructiveTasks(model).size();
    }
    assertThat(problems).as("safety order of the models under bpmn/").isEmpty();
    assertThat(destructive).as("destructive tasks found (the check must have something to check)").isGreaterThan(0);
  }

  @Test
  void aDestructiveTaskReachableWithoutApprovalFailsWithItsIdAndPath() {
    BpmnModelInstance unsafe = Bpmn.createExecutableProcess("unsafe")
        .startEvent("StartEvent_Go")
        .serviceTask("Task_Check", t -> t.zeebeJobType("x.check"))
        .subProcess("SubProcess_Replace", sub -> sub.embeddedSubProcess().startEvent()
            .serviceTask("Task_Wipe", t -> t.zeebeJobType("x.wipe").zeebeTaskHeader(DESTRUCTIVE, "true"))
            .endEvent())
        .endEvent()
        .done();
    List<String> problems = violations("unsafe.bpmn", unsafe);
    assertThat(problems).anySatisfy(p -> assertThat(p).contains("Task_Wipe")
        .contains("StartEvent_Go -> Task_Check -> SubProcess_Replace").contains("without an approval"));
    assertThat(problems).anySatisfy(p -> assertThat(p).contains("Task_Wipe").contains("roll"));
  }

  @Test
  void aDestructiveTaskBehindAnApprovalInAProtectedScopePasses() {
    BpmnModelInstance safe = Bpmn.createExecutableProcess("safe")
        .startEvent("StartEvent_Go")
        .userTask("Task_Approve")
        .subProcess("SubProcess_Replace", sub -> sub.embeddedSubProcess().startEvent()
            .serviceTask("Task_Wipe", t -> t.zeebeJobType("x.wipe").zeebeTaskHeader(DESTRUCTIVE, "true")
                .zeebeTaskHeader("lifeboat.on-failure", "error"))
            .endEvent())
        .boundaryEvent("Event_Failed", b -> b.error())
        .serviceTask("Task_RollBack", t -> t.zeebeJobType(ROLLBACK_TYPE))
        .endEvent()
        .moveToActivity("SubProcess_Replace")
        .endEvent()
        .done();
    assertThat(violations("safe.bpmn", safe)).isEmpty();
  }

  static List<String> violations(String file, BpmnModelInstance model) {
    List<String> problems = new ArrayList<>();
    for (ServiceTask task : destructiveTasks(model)) {
      String where = file + ": destructive task " + task.getId();
      List<String> path = pathWithoutApproval(model, task);
      if (path != null) {
        problems.add(where + " is reachable without an approval: " + String.join(" -> ", path));
      }
      if (!"error".equals(header(task, "lifeboat.on-failure"))) {
        problems.add(where + " lacks the header lifeboat.on-failure=error, so its failure would not roll back");
      }
      if (!inRollbackScope(task)) {
        problems.add(where + " is not inside a sub-process whose error boundary leads to a " + ROLLBACK_TYPE
            + " task: a failure could not roll back");
      }
    }
    for (ExclusiveGateway gateway : model.getModelElementsByType(ExclusiveGateway.class)) {
      if (EMPTY_GATEWAY.equals(gateway.getId())) {
        boolean sound = gateway.getDefault() != null && gateway.getOutgoing().stream()
            .filter(flow -> flow != gateway.getDefault())
            .allMatch(flow -> flow.getTarget() instanceof UserTask && flow.getConditionExpression() != null
                && "=targetEmpty != true".equals(flow.getConditionExpression().getTextContent().strip()));
        if (!sound) {
          problems.add(file + ": " + EMPTY_GATEWAY + " must lead to an approval under '=targetEmpty != true'"
              + " and bypass it only by its default flow");
        }
      }
    }
    for (CallActivity call : model.getModelElementsByType(CallActivity.class)) {
      ZeebeIoMapping io = call.getSingleExtensionElement(ZeebeIoMapping.class);
      boolean hasPath = io != null && io.getInputs().stream().map(ZeebeInput::getTarget).anyMatch("stepPath"::equals);
      if (!hasPath) {
        problems.add(file + ": call activity " + call.getId() + " does not extend stepPath: its steps would collide"
            + " with another call of the same model (bpmn/tools/layout.py writes the input)");
      }
    }
    return problems;
  }

  static List<ServiceTask> destructiveTasks(BpmnModelInstance model) {
    return model.getModelElementsByType(ServiceTask.class).stream()
        .filter(task -> "true".equals(header(task, DESTRUCTIVE)))
        .toList();
  }

  /** Breadth-first from the start events, never through an approval nor the proven-empty bypass. */
  private static List<String> pathWithoutApproval(BpmnModelInstance model, FlowNode destination) {
    Map<FlowNode, FlowNode> previous = new HashMap<>();
    Deque<FlowNode> queue = new ArrayDeque<>();
    for (Process process : model.getModelElementsByType(Process.class)) {
      for (StartEvent start : process.getChildElementsByType(StartEvent.class)) {
        previous.put(start, start);
        queue.add(start);
      }
    }
    while (!queue.isEmpty()) {
      FlowNode node = queue.removeFirst();
      if (node == destination) {
        LinkedList<String> path = new LinkedList<>();
        for (FlowNode at = node; ; at = previous.get(at)) {
          path.addFirst(at.getId());
          if (previous.get(at) == at) {
            return path;
          }
        }
      }
      if (node instanceof UserTask) {
        continue;
      }
      for (FlowNode next : successors(model, node)) {
        if (!previous.containsKey(next)) {
          previous.put(next, node);
          queue.addLast(next);
        }
      }
    }
    return null;
  }

  private static List<FlowNode> successors(BpmnModelInstance model, FlowNode node) {
    List<FlowNode> next = new ArrayList<>();
    SequenceFlow bypass = node instanceof ExclusiveGateway gateway && EMPTY_GATEWAY.equals(gateway.getId())
        ? gateway.getDefault() : null;
    for (SequenceFlow flow : node.getOutgoing()) {
      if (flow != bypass) {
        next.add(flow.getTarget());
      }
    }
    if (node instanceof SubProcess sub) {
      next.addAll(sub.getChildElementsByType(StartEvent.class));
    }
    if (node instanceof EndEvent && node.getParentElement() instanceof SubProcess sub) {
      next.addAll(sub.getOutgoing().stream().map(SequenceFlow::getTarget).toList());
    }
    if (node instanceof Activity) {
      for (BoundaryEvent boundary : model.getModelElementsByType(BoundaryEvent.class)) {
        if (boundary.getAttachedTo() == node) {
          next.add(boundary);
        }
      }
    }
    return next;
  }

  private static boolean inRollbackScope(ServiceTask task) {
    for (ModelElementInstance parent = task.getParentElement(); parent instanceof SubProcess sub;
        parent = sub.getParentElement()) {
      Collection<BoundaryEvent> boundaries = sub.getModelInstance().getModelElementsByType(BoundaryEvent.class);
      for (BoundaryEvent boundary : boundaries) {
        boolean catchesErrors = boundary.getAttachedTo() == sub
            && boundary.getEventDefinitions().stream().anyMatch(d -> d instanceof ErrorEventDefinition);
        boolean rollsBack = boundary.getOutgoing().stream().anyMatch(flow -> flow.getTarget() instanceof ServiceTask target
            && ROLLBACK_TYPE.equals(target.getSingleExtensionElement(ZeebeTaskDefinition.class).getType()));
        if (catchesErrors && rollsBack) {
          return true;
        }
      }
    }
    return false;
  }

  private static String header(ServiceTask task, String key) {
    ZeebeTaskHeaders headers = task.getSingleExtensionElement(ZeebeTaskHeaders.class);
    if (headers == null) {
      return null;
    }
    return headers.getHeaders().stream().filter(h -> key.equals(h.getKey())).map(ZeebeHeader::getValue)
        .findFirst().orElse(null);
  }

  private static BpmnModelInstance read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return Bpmn.readModelFromStream(in);
    }
  }
}
