package dev.lifeboat.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.runbook.StepStatus;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.model.bpmn.instance.FlowNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Every model under bpmn/ (and a sample with every kind of element) renders as well-formed SVG
 * in which every flow node has a shape, coloured by its state. The SVGs are kept under
 * target/diagrams/ to look at.
 */
class BpmnDiagramTest {

  static Stream<Path> models() throws IOException {
    List<Path> models;
    try (Stream<Path> files = Files.walk(Path.of("bpmn"))) {
      models = files.filter(p -> p.toString().endsWith(".bpmn")).sorted().toList();
    }
    assertThat(models).isNotEmpty();
    return Stream.concat(models.stream(), Stream.of(Path.of("src/test/resources/diagram-samples/all-shapes.bpmn")));
  }

  @ParameterizedTest
  @MethodSource("models")
  void everyFlowNodeHasAShapeInEveryState(Path file) throws Exception {
    byte[] xml = Files.readAllBytes(file);
    BpmnModelInstance model = Bpmn.readModelFromStream(new ByteArrayInputStream(xml));
    List<String> nodes = model.getModelElementsByType(FlowNode.class).stream().map(FlowNode::getId).toList();
    BpmnDiagram diagram = BpmnDiagram.parse(file.getFileName().toString(), xml);
    assertThat(diagram.flowNodeIds()).containsExactlyInAnyOrderElementsOf(nodes);

    // Cycle through the states so that every state is drawn somewhere in every model.
    StepStatus[] cycle = StepStatus.values();
    Map<String, StepStatus> states = new HashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      states.put(nodes.get(i), cycle[i % cycle.length]);
    }
    String svg = diagram.render(states);
    Path out = Path.of("target/diagrams/" + file.getFileName().toString().replace(".bpmn", ".svg"));
    Files.createDirectories(out.getParent());
    Files.writeString(out, svg);

    Document document = parse(svg);
    for (String node : nodes) {
      NodeList shapes = (NodeList) XPathFactory.newInstance().newXPath()
          .evaluate("//*[@class and contains(@class,'bpmn-shape') and @data-element-id='" + node + "']", document,
              XPathConstants.NODESET);
      assertThat(shapes.getLength()).as("shapes drawn for flow node %s in %s", node, file).isEqualTo(1);
      Element shape = (Element) shapes.item(0);
      assertThat(shape.getAttribute("data-state")).as(node).isEqualTo(states.get(node).name());
      assertThat(shape.getAttribute("class")).contains("state-" + states.get(node).name().toLowerCase());
      // The drawn outline carries the state's colour (fill of the first drawn element).
      Element outline = (Element) shape.getElementsByTagName("*").item(1);
      assertThat(outline.getAttribute("fill")).as(node).startsWith(BpmnDiagram.Colours.of(states.get(node)).fill());
    }
    Element root = document.getDocumentElement();
    String[] viewBox = root.getAttribute("viewBox").split(" ");
    assertThat(Double.parseDouble(viewBox[2])).isPositive();
    assertThat(Double.parseDouble(viewBox[3])).isPositive();
  }

  @Test
  void drawsEachKindOfElementDistinctly() throws Exception {
    byte[] xml = Files.readAllBytes(Path.of("src/test/resources/diagram-samples/all-shapes.bpmn"));
    String svg = BpmnDiagram.parse("all shapes", xml).render(Map.of("Task_Approve", StepStatus.WAITING,
        "Task_CountKeys", StepStatus.FAILED));
    Document document = parse(svg);
    assertThat(kindOf(document, "Task_Approve")).isEqualTo("kind-task");
    assertThat(kindOf(document, "Activity_Snapshot")).isEqualTo("kind-call_activity");
    assertThat(kindOf(document, "Gateway_Approved")).isEqualTo("kind-gateway");
    assertThat(kindOf(document, "Event_ApprovalExpired")).isEqualTo("kind-event");
    assertThat(kindOf(document, "SubProcess_Restore")).isEqualTo("kind-sub_process");
    assertThat(svg).contains("Inside Verify keys and revision"); // the collapsed sub-process's own plane
    assertThat(svg).contains("Done &amp; verified");
    assertThat(svg).contains("approved"); // a sequence flow's name
    // Names are wrapped inside the task and cut with an ellipsis when they do not fit.
    assertThat(svg).contains("Approve the");
    assertThat(svg).contains("\u2026");
  }

  @Test
  void wrapsWordsAndCutsWhatDoesNotFit() {
    assertThat(BpmnDiagram.wrap("Check etcd's snapshot hash", 14, 3)).containsExactly("Check etcd's", "snapshot hash");
    assertThat(BpmnDiagram.wrap("one two three four five six", 9, 2)).containsExactly("one two", "three\u2026");
    assertThat(BpmnDiagram.wrap("abcdefghijklmnopqrstuvwxyz", 10, 5)).allSatisfy(line -> assertThat(line).hasSizeLessThanOrEqualTo(10));
  }

  private static String kindOf(Document document, String elementId) throws Exception {
    Element shape = (Element) XPathFactory.newInstance().newXPath()
        .evaluate("//*[@data-element-id='" + elementId + "']", document, XPathConstants.NODE);
    for (String cls : shape.getAttribute("class").split(" ")) {
      if (cls.startsWith("kind-")) {
        return cls;
      }
    }
    return null;
  }

  private static Document parse(String svg) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(false);
    return factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }
}
