package dev.lifeboat.web;

import dev.lifeboat.runbook.StepStatus;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.model.bpmn.instance.Activity;
import io.camunda.zeebe.model.bpmn.instance.BaseElement;
import io.camunda.zeebe.model.bpmn.instance.BoundaryEvent;
import io.camunda.zeebe.model.bpmn.instance.BusinessRuleTask;
import io.camunda.zeebe.model.bpmn.instance.CallActivity;
import io.camunda.zeebe.model.bpmn.instance.CatchEvent;
import io.camunda.zeebe.model.bpmn.instance.CompensateEventDefinition;
import io.camunda.zeebe.model.bpmn.instance.ConditionalEventDefinition;
import io.camunda.zeebe.model.bpmn.instance.EndEvent;
import io.camunda.zeebe.model.bpmn.instance.ErrorEventDefinition;
import io.camunda.zeebe.model.bpmn.instance.EscalationEventDefinition;
import io.camunda.zeebe.model.bpmn.instance.Event;
import io.camunda.zeebe.model.bpmn.instance.EventBasedGateway;
import io.camunda.zeebe.model.bpmn.instance.EventDefinition;
import io.camunda.zeebe.model.bpmn.instance.FlowElement;
import io.camunda.zeebe.model.bpmn.instance.FlowNode;
import io.camunda.zeebe.model.bpmn.instance.Gateway;
import io.camunda.zeebe.model.bpmn.instance.InclusiveGateway;
import io.camunda.zeebe.model.bpmn.instance.Lane;
import io.camunda.zeebe.model.bpmn.instance.LinkEventDefinition;
import io.camunda.zeebe.model.bpmn.instance.ManualTask;
import io.camunda.zeebe.model.bpmn.instance.MessageEventDefinition;
import io.camunda.zeebe.model.bpmn.instance.MessageFlow;
import io.camunda.zeebe.model.bpmn.instance.MultiInstanceLoopCharacteristics;
import io.camunda.zeebe.model.bpmn.instance.ParallelGateway;
import io.camunda.zeebe.model.bpmn.instance.Participant;
import io.camunda.zeebe.model.bpmn.instance.ReceiveTask;
import io.camunda.zeebe.model.bpmn.instance.ScriptTask;
import io.camunda.zeebe.model.bpmn.instance.SendTask;
import io.camunda.zeebe.model.bpmn.instance.SequenceFlow;
import io.camunda.zeebe.model.bpmn.instance.ServiceTask;
import io.camunda.zeebe.model.bpmn.instance.SignalEventDefinition;
import io.camunda.zeebe.model.bpmn.instance.StartEvent;
import io.camunda.zeebe.model.bpmn.instance.SubProcess;
import io.camunda.zeebe.model.bpmn.instance.TerminateEventDefinition;
import io.camunda.zeebe.model.bpmn.instance.TextAnnotation;
import io.camunda.zeebe.model.bpmn.instance.ThrowEvent;
import io.camunda.zeebe.model.bpmn.instance.TimerEventDefinition;
import io.camunda.zeebe.model.bpmn.instance.UserTask;
import io.camunda.zeebe.model.bpmn.instance.bpmndi.BpmnEdge;
import io.camunda.zeebe.model.bpmn.instance.bpmndi.BpmnLabel;
import io.camunda.zeebe.model.bpmn.instance.bpmndi.BpmnPlane;
import io.camunda.zeebe.model.bpmn.instance.bpmndi.BpmnShape;
import io.camunda.zeebe.model.bpmn.instance.dc.Bounds;
import io.camunda.zeebe.model.bpmn.instance.di.DiagramElement;
import io.camunda.zeebe.model.bpmn.instance.di.Waypoint;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A process model's diagram as SVG, drawn from the BPMN file's own diagram interchange (shape
 * bounds, edge waypoints, label bounds), with each flow node coloured by its step's state.
 * Parsed once per model; {@link #render} only writes text.
 *
 * <p>Every plane is drawn: Camunda Modeler puts the inside of a collapsed sub-process on a plane
 * of its own, and those steps must be visible too. Planes are stacked below each other.
 */
final class BpmnDiagram {

  private static final double PAD = 12;
  private static final double PLANE_GAP = 40;
  private static final double CHAR_WIDTH = 6.4; // 12px sans-serif, average; good enough to wrap
  private static final double LINE_HEIGHT = 14;

  enum Kind { TASK, CALL_ACTIVITY, SUB_PROCESS, EVENT, GATEWAY, POOL, LANE, ANNOTATION, OTHER }

  record Box(double x, double y, double w, double h) {
    double right() {
      return x + w;
    }

    double bottom() {
      return y + h;
    }
  }

  record Point(double x, double y) {}

  /**
   * One drawn shape. {@code marker} is what distinguishes it within its kind: the task type
   * (user, service, ...), the event definition (timer, error, ...) or the gateway type.
   */
  record Shape(String elementId, String name, Kind kind, String marker, Box box, Box label, boolean flowNode,
      boolean expanded, String eventRole, boolean dashed, String loop) {}

  record Edge(String elementId, String name, List<Point> points, Box label, boolean messageFlow, boolean association) {}

  record Plane(String title, List<Shape> shapes, List<Edge> edges, Box extent) {}

  private final String processName;
  private final List<Plane> planes;
  private final Set<String> flowNodeIds;

  private BpmnDiagram(String processName, List<Plane> planes, Set<String> flowNodeIds) {
    this.processName = processName;
    this.planes = planes;
    this.flowNodeIds = flowNodeIds;
  }

  static BpmnDiagram parse(String processName, byte[] xml) {
    BpmnModelInstance model = Bpmn.readModelFromStream(new ByteArrayInputStream(xml));
    List<Plane> planes = new ArrayList<>();
    for (BpmnPlane plane : model.getModelElementsByType(BpmnPlane.class)) {
      List<Shape> shapes = new ArrayList<>();
      List<Edge> edges = new ArrayList<>();
      for (DiagramElement element : plane.getDiagramElements()) {
        if (element instanceof BpmnShape shape && shape.getBpmnElement() != null && shape.getBounds() != null) {
          shapes.add(shape(shape));
        } else if (element instanceof BpmnEdge edge && edge.getWaypoints() != null && !edge.getWaypoints().isEmpty()) {
          edges.add(edge(edge));
        }
      }
      if (shapes.isEmpty() && edges.isEmpty()) {
        continue;
      }
      BaseElement owner = plane.getBpmnElement();
      String title = planes.isEmpty() || owner == null ? null : "Inside " + nameOf(owner);
      planes.add(new Plane(title, drawingOrder(shapes), edges, extent(shapes, edges)));
    }
    Set<String> ids = new LinkedHashSet<>();
    for (FlowNode node : model.getModelElementsByType(FlowNode.class)) {
      ids.add(node.getId());
    }
    return new BpmnDiagram(processName, List.copyOf(planes), Set.copyOf(ids));
  }

  /** Ids of every flow node in the model, whether or not the file gives it a shape. */
  Set<String> flowNodeIds() {
    return flowNodeIds;
  }

  /** The SVG; {@code states} maps element ids to their step's state, missing ones are pending. */
  String render(Map<String, StepStatus> states) {
    double width = 0;
    double height = 0;
    for (Plane plane : planes) {
      width = Math.max(width, plane.extent().w() + 2 * PAD);
      height += plane.extent().h() + 2 * PAD + (plane.title() == null ? 0 : PLANE_GAP);
    }
    Svg svg = new Svg();
    svg.open("svg", "xmlns", "http://www.w3.org/2000/svg", "class", "bpmn-diagram", "role", "img",
        "viewBox", "0 0 " + num(width) + " " + num(height), "width", num(width), "height", num(height),
        "aria-labelledby", "bpmn-diagram-title", "font-family", "system-ui, sans-serif", "font-size", "12");
    svg.element("title", "Process diagram of " + processName + ", each step coloured by its state", "id",
        "bpmn-diagram-title");
    svg.raw("<defs><marker id=\"lb-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\""
        + " markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#38424f\"/></marker>"
        + "<marker id=\"lb-open-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\""
        + " markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#fff\""
        + " stroke=\"#38424f\"/></marker></defs>");
    double top = 0;
    for (Plane plane : planes) {
      double headline = plane.title() == null ? 0 : PLANE_GAP;
      double dx = PAD - plane.extent().x();
      double dy = top + PAD + headline - plane.extent().y();
      svg.open("g", "class", "plane", "transform", "translate(" + num(dx) + " " + num(dy) + ")");
      if (plane.title() != null) {
        svg.element("text", plane.title(), "x", num(plane.extent().x()), "y", num(plane.extent().y() - 16),
            "font-weight", "600", "font-size", "13");
      }
      drawPlane(svg, plane, states);
      svg.close("g");
      top += plane.extent().h() + 2 * PAD + headline;
    }
    svg.close("svg");
    return svg.toString();
  }

  private void drawPlane(Svg svg, Plane plane, Map<String, StepStatus> states) {
    // Containers first, then the flows, then the nodes, boundary events last so they sit on tasks.
    for (Shape shape : plane.shapes()) {
      if (shape.kind() == Kind.POOL || shape.kind() == Kind.LANE || (shape.kind() == Kind.SUB_PROCESS && shape.expanded())) {
        drawShape(svg, shape, states);
      }
    }
    for (Edge edge : plane.edges()) {
      drawEdge(svg, edge);
    }
    for (Shape shape : plane.shapes()) {
      if (!(shape.kind() == Kind.POOL || shape.kind() == Kind.LANE || (shape.kind() == Kind.SUB_PROCESS && shape.expanded()))) {
        drawShape(svg, shape, states);
      }
    }
  }

  private static List<Shape> drawingOrder(List<Shape> shapes) {
    List<Shape> ordered = new ArrayList<>();
    shapes.stream().filter(s -> !"boundary".equals(s.eventRole())).forEach(ordered::add);
    shapes.stream().filter(s -> "boundary".equals(s.eventRole())).forEach(ordered::add);
    return ordered;
  }

  private static void drawShape(Svg svg, Shape shape, Map<String, StepStatus> states) {
    StepStatus state = shape.flowNode() ? states.getOrDefault(shape.elementId(), StepStatus.PENDING) : null;
    Colours colours = Colours.of(state);
    Box b = shape.box();
    String stateName = state == null ? "" : state.name().toLowerCase(Locale.ROOT);
    svg.open("g", "class", "bpmn-shape kind-" + shape.kind().name().toLowerCase(Locale.ROOT)
        + (state == null ? "" : " state-" + stateName), "data-element-id", shape.elementId(),
        "data-state", state == null ? null : state.name());
    svg.element("title", (shape.name().isEmpty() ? shape.elementId() : shape.name())
        + (state == null ? "" : ": " + stateName));
    String dash = shape.dashed() ? "5 3" : null;
    switch (shape.kind()) {
      case TASK, CALL_ACTIVITY, SUB_PROCESS -> {
        svg.empty("rect", "x", num(b.x()), "y", num(b.y()), "width", num(b.w()), "height", num(b.h()),
            "rx", "10", "fill", shape.expanded() ? colours.fill() + "55" : colours.fill(), "stroke", colours.stroke(),
            "stroke-width", shape.kind() == Kind.CALL_ACTIVITY ? "4" : "2", "stroke-dasharray", dash);
        if (shape.expanded()) {
          wrappedText(svg, shape.name(), b.x() + 8, b.y() + 6, b.w() - 16, 2, false);
        } else {
          // Between the type marker and state badge at the top and the markers at the bottom.
          double top = b.y() + 18;
          double bottom = b.bottom() - (hasBottomMarker(shape) ? 20 : 6);
          int maxLines = Math.max(1, (int) ((bottom - top) / LINE_HEIGHT));
          int lines = Math.min(maxLines, wrap(shape.name(), charsFor(b.w() - 8), maxLines).size());
          double y = top + (bottom - top - lines * LINE_HEIGHT) / 2 - 2;
          wrappedText(svg, shape.name(), b.x() + 4, y, b.w() - 8, maxLines, true);
          taskMarker(svg, shape);
        }
        stateBadge(svg, state, b.right() - 11, b.y() + 11);
      }
      case EVENT -> {
        double r = Math.min(b.w(), b.h()) / 2;
        double cx = b.x() + b.w() / 2;
        double cy = b.y() + b.h() / 2;
        boolean end = "end".equals(shape.eventRole());
        svg.empty("circle", "cx", num(cx), "cy", num(cy), "r", num(r), "fill", colours.fill(), "stroke",
            colours.stroke(), "stroke-width", end ? "4" : "2", "stroke-dasharray", dash);
        if ("intermediate".equals(shape.eventRole()) || "boundary".equals(shape.eventRole())) {
          svg.empty("circle", "cx", num(cx), "cy", num(cy), "r", num(r - 3), "fill", "none", "stroke",
              colours.stroke(), "stroke-width", "1.5", "stroke-dasharray", dash);
        }
        eventMarker(svg, shape.marker(), cx, cy, r, end, colours.stroke());
        outsideLabel(svg, shape);
      }
      case GATEWAY -> {
        double cx = b.x() + b.w() / 2;
        double cy = b.y() + b.h() / 2;
        svg.empty("polygon", "points", num(cx) + "," + num(b.y()) + " " + num(b.right()) + "," + num(cy) + " "
            + num(cx) + "," + num(b.bottom()) + " " + num(b.x()) + "," + num(cy),
            "fill", colours.fill(), "stroke", colours.stroke(), "stroke-width", "2");
        gatewayMarker(svg, shape.marker(), cx, cy, b.w() / 4, colours.stroke());
        outsideLabel(svg, shape);
      }
      case POOL, LANE -> {
        svg.empty("rect", "x", num(b.x()), "y", num(b.y()), "width", num(b.w()), "height", num(b.h()),
            "fill", "none", "stroke", "#5f6b7a", "stroke-width", "1.5");
        svg.empty("line", "x1", num(b.x() + 30), "y1", num(b.y()), "x2", num(b.x() + 30), "y2", num(b.bottom()),
            "stroke", "#5f6b7a", "stroke-width", "1.5");
        double cx = b.x() + 15;
        double cy = b.y() + b.h() / 2;
        svg.element("text", shape.name(), "x", num(cx), "y", num(cy), "text-anchor", "middle",
            "dominant-baseline", "middle", "transform", "rotate(-90 " + num(cx) + " " + num(cy) + ")");
      }
      case ANNOTATION -> {
        svg.empty("path", "d", "M" + num(b.x() + 15) + "," + num(b.y()) + " H" + num(b.x()) + " V" + num(b.bottom())
            + " H" + num(b.x() + 15), "fill", "none", "stroke", "#5f6b7a", "stroke-width", "1.5");
        wrappedText(svg, shape.name(), b.x() + 6, b.y() + 4, b.w() - 8, Math.max(1, (int) (b.h() / LINE_HEIGHT)), false);
      }
      case OTHER -> {
        svg.empty("rect", "x", num(b.x()), "y", num(b.y()), "width", num(b.w()), "height", num(b.h()),
            "fill", colours.fill(), "stroke", colours.stroke(), "stroke-width", "1.5", "stroke-dasharray", "2 2");
        outsideLabel(svg, shape);
      }
      default -> throw new IllegalStateException("unhandled shape kind " + shape.kind());
    }
    svg.close("g");
  }

  private static void drawEdge(Svg svg, Edge edge) {
    StringBuilder points = new StringBuilder();
    for (Point p : edge.points()) {
      points.append(num(p.x())).append(',').append(num(p.y())).append(' ');
    }
    svg.open("g", "class", "bpmn-edge", "data-element-id", edge.elementId());
    svg.empty("polyline", "points", points.toString().strip(), "fill", "none", "stroke", "#38424f",
        "stroke-width", "1.5",
        "stroke-dasharray", edge.messageFlow() ? "6 4" : edge.association() ? "2 3" : null,
        "marker-end", edge.association() ? null : edge.messageFlow() ? "url(#lb-open-arrow)" : "url(#lb-arrow)");
    if (!edge.name().isEmpty()) {
      Box label = edge.label();
      if (label == null) {
        int middle = Math.max(0, edge.points().size() / 2 - 1);
        Point a = edge.points().get(middle);
        Point z = edge.points().get(Math.min(middle + 1, edge.points().size() - 1));
        label = new Box((a.x() + z.x()) / 2 + 4, (a.y() + z.y()) / 2 - 16, 90, 14);
      }
      wrappedText(svg, edge.name(), label.x(), label.y(), Math.max(label.w(), 60), 3, false);
    }
    svg.close("g");
  }

  /** Event and gateway names sit outside the shape: in the label bounds, or centred below. */
  private static void outsideLabel(Svg svg, Shape shape) {
    if (shape.name().isEmpty()) {
      return;
    }
    Box b = shape.box();
    Box label = shape.label() != null ? shape.label() : new Box(b.x() + b.w() / 2 - 50, b.bottom() + 4, 100, 30);
    wrappedText(svg, shape.name(), label.x(), label.y(), Math.max(label.w(), 80), 3, true);
  }

  private static void taskMarker(Svg svg, Shape shape) {
    Box b = shape.box();
    double x = b.x() + 8;
    double y = b.y() + 8;
    String stroke = "#38424f";
    switch (shape.marker()) {
      case "user" -> {
        svg.empty("circle", "cx", num(x + 5), "cy", num(y + 3), "r", "3", "fill", "none", "stroke", stroke);
        svg.empty("path", "d", "M" + num(x) + "," + num(y + 12) + " q5,-8 10,0", "fill", "none", "stroke", stroke);
      }
      case "service" -> svg.empty("circle", "cx", num(x + 5), "cy", num(y + 5), "r", "4", "fill", "none",
          "stroke", stroke, "stroke-width", "2.5", "stroke-dasharray", "2 1.2");
      case "script", "business-rule", "manual", "send", "receive" -> svg.empty("rect", "x", num(x), "y", num(y),
          "width", "10", "height", "8", "fill", "send".equals(shape.marker()) ? stroke : "none", "stroke", stroke);
      default -> {
        // plain task: no marker
      }
    }
    double bottom = b.bottom() - 6;
    double cx = b.x() + b.w() / 2;
    if (shape.kind() != Kind.TASK) {
      svg.empty("rect", "x", num(cx - 7), "y", num(bottom - 14), "width", "14", "height", "14", "fill", "none",
          "stroke", stroke);
      svg.empty("path", "d", "M" + num(cx - 4) + "," + num(bottom - 7) + " h8 M" + num(cx) + "," + num(bottom - 11)
          + " v8", "stroke", stroke);
    }
    if (shape.loop() != null) {
      double lx = cx + (shape.kind() == Kind.TASK ? -5 : 12);
      String d = "parallel".equals(shape.loop())
          ? "M" + num(lx) + "," + num(bottom - 12) + " v12 M" + num(lx + 5) + "," + num(bottom - 12) + " v12 M"
              + num(lx + 10) + "," + num(bottom - 12) + " v12"
          : "M" + num(lx) + "," + num(bottom - 12) + " h10 M" + num(lx) + "," + num(bottom - 7) + " h10 M"
              + num(lx) + "," + num(bottom - 2) + " h10";
      svg.empty("path", "d", d, "stroke", stroke, "stroke-width", "1.5");
    }
  }

  private static void eventMarker(Svg svg, String marker, double cx, double cy, double r, boolean filled, String stroke) {
    double s = r * 0.55;
    String fill = filled ? stroke : "none";
    switch (marker) {
      case "timer" -> {
        svg.empty("circle", "cx", num(cx), "cy", num(cy), "r", num(s), "fill", "#fff", "stroke", stroke);
        svg.empty("path", "d", "M" + num(cx) + "," + num(cy - s * 0.8) + " L" + num(cx) + "," + num(cy) + " L"
            + num(cx + s * 0.6) + "," + num(cy + s * 0.3), "fill", "none", "stroke", stroke);
      }
      case "error" -> svg.empty("polygon", "points", num(cx - s) + "," + num(cy + s) + " " + num(cx - s * 0.4) + ","
          + num(cy - s) + " " + num(cx + s * 0.2) + "," + num(cy + s * 0.1) + " " + num(cx + s) + "," + num(cy - s)
          + " " + num(cx + s * 0.4) + "," + num(cy + s) + " " + num(cx - s * 0.2) + "," + num(cy - s * 0.1),
          "fill", fill, "stroke", stroke);
      case "message" -> {
        svg.empty("rect", "x", num(cx - s), "y", num(cy - s * 0.65), "width", num(2 * s), "height", num(1.3 * s),
            "fill", filled ? stroke : "#fff", "stroke", stroke);
        svg.empty("path", "d", "M" + num(cx - s) + "," + num(cy - s * 0.65) + " L" + num(cx) + "," + num(cy) + " L"
            + num(cx + s) + "," + num(cy - s * 0.65), "fill", "none", "stroke", filled ? "#fff" : stroke);
      }
      case "signal" -> svg.empty("polygon", "points", num(cx) + "," + num(cy - s) + " " + num(cx + s) + ","
          + num(cy + s * 0.7) + " " + num(cx - s) + "," + num(cy + s * 0.7), "fill", fill, "stroke", stroke);
      case "escalation" -> svg.empty("polygon", "points", num(cx) + "," + num(cy - s) + " " + num(cx + s * 0.7) + ","
          + num(cy + s) + " " + num(cx) + "," + num(cy + s * 0.3) + " " + num(cx - s * 0.7) + "," + num(cy + s),
          "fill", fill, "stroke", stroke);
      case "terminate" -> svg.empty("circle", "cx", num(cx), "cy", num(cy), "r", num(s), "fill", stroke);
      case "compensate", "link", "conditional" -> svg.element("text", marker.substring(0, 1).toUpperCase(Locale.ROOT),
          "x", num(cx), "y", num(cy), "text-anchor", "middle", "dominant-baseline", "central", "font-weight", "700",
          "fill", stroke);
      default -> {
        // none event: the circle says it all
      }
    }
  }

  private static void gatewayMarker(Svg svg, String marker, double cx, double cy, double s, String stroke) {
    switch (marker) {
      case "exclusive" -> svg.empty("path", "d", "M" + num(cx - s * 0.7) + "," + num(cy - s * 0.7) + " L"
          + num(cx + s * 0.7) + "," + num(cy + s * 0.7) + " M" + num(cx + s * 0.7) + "," + num(cy - s * 0.7) + " L"
          + num(cx - s * 0.7) + "," + num(cy + s * 0.7), "stroke", stroke, "stroke-width", "3");
      case "parallel" -> svg.empty("path", "d", "M" + num(cx) + "," + num(cy - s) + " V" + num(cy + s) + " M"
          + num(cx - s) + "," + num(cy) + " H" + num(cx + s), "stroke", stroke, "stroke-width", "3");
      case "inclusive" -> svg.empty("circle", "cx", num(cx), "cy", num(cy), "r", num(s * 0.8), "fill", "none",
          "stroke", stroke, "stroke-width", "2.5");
      case "event-based" -> {
        svg.empty("circle", "cx", num(cx), "cy", num(cy), "r", num(s * 0.9), "fill", "none", "stroke", stroke);
        svg.empty("circle", "cx", num(cx), "cy", num(cy), "r", num(s * 0.7), "fill", "none", "stroke", stroke);
      }
      default -> {
        // complex or unknown: the diamond alone
      }
    }
  }

  /** A small symbol per state, so that colour is never the only signal. */
  private static void stateBadge(Svg svg, StepStatus state, double cx, double cy) {
    if (state == null || state == StepStatus.PENDING) {
      return;
    }
    Colours colours = Colours.of(state);
    String symbol = switch (state) {
      case COMPLETED -> "\u2713";
      case RUNNING -> "\u25B6";
      case WAITING -> "\u2026";
      case FAILED -> "\u2715";
      case PENDING -> "";
    };
    svg.empty("circle", "cx", num(cx), "cy", num(cy), "r", "8", "fill", colours.stroke());
    svg.element("text", symbol, "x", num(cx), "y", num(cy), "text-anchor", "middle", "dominant-baseline", "central",
        "font-size", "10", "fill", "#fff", "font-weight", "700", "aria-hidden", "true");
  }

  /** Words wrapped to the width; when they do not fit in {@code maxLines}, the last line ends in an ellipsis. */
  private static void wrappedText(Svg svg, String text, double x, double y, double width, int maxLines, boolean centred) {
    if (text == null || text.isBlank()) {
      return;
    }
    List<String> lines = wrap(text, charsFor(width), maxLines);
    double lineX = centred ? x + width / 2 : x;
    svg.open("text", "x", num(lineX), "y", num(y), "text-anchor", centred ? "middle" : null, "fill", "#1d2530");
    for (int i = 0; i < lines.size(); i++) {
      svg.element("tspan", lines.get(i), "x", num(lineX), "dy", i == 0 ? "1em" : num(LINE_HEIGHT));
    }
    svg.close("text");
  }

  private static int charsFor(double width) {
    return Math.max(4, (int) (width / CHAR_WIDTH));
  }

  private static boolean hasBottomMarker(Shape shape) {
    return shape.kind() != Kind.TASK || shape.loop() != null;
  }

  static List<String> wrap(String text, int maxChars, int maxLines) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.strip().split("\\s+")) {
      while (word.length() > maxChars) { // a very long word is cut, never allowed to overflow
        if (!line.isEmpty()) {
          lines.add(line.toString());
          line.setLength(0);
        }
        lines.add(word.substring(0, maxChars - 1) + "-");
        word = word.substring(maxChars - 1);
      }
      if (line.isEmpty()) {
        line.append(word);
      } else if (line.length() + 1 + word.length() <= maxChars) {
        line.append(' ').append(word);
      } else {
        lines.add(line.toString());
        line.setLength(0);
        line.append(word);
      }
    }
    if (!line.isEmpty()) {
      lines.add(line.toString());
    }
    if (lines.size() > maxLines) {
      List<String> kept = new ArrayList<>(lines.subList(0, maxLines));
      String last = kept.get(maxLines - 1);
      kept.set(maxLines - 1, (last.length() >= maxChars ? last.substring(0, maxChars - 1) : last) + "\u2026");
      return kept;
    }
    return lines;
  }

  private static Shape shape(BpmnShape di) {
    BaseElement element = di.getBpmnElement();
    Box box = box(di.getBounds());
    Box label = labelBox(di.getBpmnLabel());
    boolean flowNode = element instanceof FlowNode;
    boolean expanded = Boolean.TRUE.equals(di.isExpanded());
    String name = nameOf(element);
    if (element instanceof TextAnnotation annotation) {
      String text = annotation.getText() == null ? "" : annotation.getText().getTextContent();
      return new Shape(element.getId(), text, Kind.ANNOTATION, "", box, null, false, false, null, false, null);
    }
    if (element instanceof Participant) {
      return new Shape(element.getId(), name, Kind.POOL, "", box, label, false, false, null, false, null);
    }
    if (element instanceof Lane) {
      return new Shape(element.getId(), name, Kind.LANE, "", box, label, false, false, null, false, null);
    }
    if (element instanceof Event event) {
      String role = event instanceof StartEvent ? "start" : event instanceof EndEvent ? "end"
          : event instanceof BoundaryEvent ? "boundary" : "intermediate";
      boolean dashed = event instanceof BoundaryEvent boundary && !boundary.cancelActivity()
          || event instanceof StartEvent start && !start.isInterrupting();
      return new Shape(element.getId(), name, Kind.EVENT, eventMarker(event), box, label, true, false, role, dashed, null);
    }
    if (element instanceof Gateway) {
      String marker = element instanceof ParallelGateway ? "parallel" : element instanceof InclusiveGateway ? "inclusive"
          : element instanceof EventBasedGateway ? "event-based"
          : element instanceof io.camunda.zeebe.model.bpmn.instance.ExclusiveGateway ? "exclusive" : "complex";
      return new Shape(element.getId(), name, Kind.GATEWAY, marker, box, label, true, false, null, false, null);
    }
    if (element instanceof Activity activity) {
      String loop = null;
      if (activity.getLoopCharacteristics() instanceof MultiInstanceLoopCharacteristics multi) {
        loop = multi.isSequential() ? "sequential" : "parallel";
      }
      if (element instanceof CallActivity) {
        return new Shape(element.getId(), name, Kind.CALL_ACTIVITY, "", box, label, true, false, null, false, loop);
      }
      if (element instanceof SubProcess sub) {
        return new Shape(element.getId(), name, Kind.SUB_PROCESS, "", box, label, true, expanded, null,
            sub.triggeredByEvent(), loop);
      }
      String marker = element instanceof UserTask ? "user" : element instanceof ServiceTask ? "service"
          : element instanceof ScriptTask ? "script" : element instanceof BusinessRuleTask ? "business-rule"
          : element instanceof ManualTask ? "manual" : element instanceof SendTask ? "send"
          : element instanceof ReceiveTask ? "receive" : "";
      return new Shape(element.getId(), name, Kind.TASK, marker, box, label, true, false, null, false, loop);
    }
    return new Shape(element.getId(), name, Kind.OTHER, "", box, label, flowNode, false, null, false, null);
  }

  private static String eventMarker(Event event) {
    Collection<EventDefinition> definitions = event instanceof CatchEvent c ? c.getEventDefinitions()
        : event instanceof ThrowEvent t ? t.getEventDefinitions() : List.of();
    for (EventDefinition definition : definitions) {
      if (definition instanceof TimerEventDefinition) {
        return "timer";
      } else if (definition instanceof ErrorEventDefinition) {
        return "error";
      } else if (definition instanceof MessageEventDefinition) {
        return "message";
      } else if (definition instanceof SignalEventDefinition) {
        return "signal";
      } else if (definition instanceof EscalationEventDefinition) {
        return "escalation";
      } else if (definition instanceof TerminateEventDefinition) {
        return "terminate";
      } else if (definition instanceof CompensateEventDefinition) {
        return "compensate";
      } else if (definition instanceof LinkEventDefinition) {
        return "link";
      } else if (definition instanceof ConditionalEventDefinition) {
        return "conditional";
      }
    }
    return "";
  }

  private static Edge edge(BpmnEdge di) {
    BaseElement element = di.getBpmnElement();
    List<Point> points = new ArrayList<>();
    for (Waypoint waypoint : di.getWaypoints()) {
      points.add(new Point(waypoint.getX(), waypoint.getY()));
    }
    String name = element instanceof SequenceFlow || element instanceof MessageFlow ? nameOf(element) : "";
    String id = element == null ? di.getId() : element.getId();
    boolean association = element != null && !(element instanceof SequenceFlow) && !(element instanceof MessageFlow);
    return new Edge(id, name, points, labelBox(di.getBpmnLabel()), element instanceof MessageFlow, association);
  }

  private static String nameOf(BaseElement element) {
    String name = element instanceof FlowElement f ? f.getName()
        : element instanceof Participant p ? p.getName()
        : element instanceof Lane l ? l.getName()
        : element instanceof MessageFlow m ? m.getName() : null;
    if (name == null && element instanceof io.camunda.zeebe.model.bpmn.instance.Process process) {
      name = process.getName();
    }
    return name == null ? "" : name.strip();
  }

  private static Box box(Bounds bounds) {
    return new Box(bounds.getX(), bounds.getY(), bounds.getWidth(), bounds.getHeight());
  }

  private static Box labelBox(BpmnLabel label) {
    return label == null || label.getBounds() == null ? null : box(label.getBounds());
  }

  /** The area the plane's drawing covers, outside labels included. */
  private static Box extent(List<Shape> shapes, List<Edge> edges) {
    double minX = Double.MAX_VALUE;
    double minY = Double.MAX_VALUE;
    double maxX = -Double.MAX_VALUE;
    double maxY = -Double.MAX_VALUE;
    List<Box> boxes = new ArrayList<>();
    for (Shape shape : shapes) {
      boxes.add(shape.box());
      if (shape.kind() == Kind.EVENT || shape.kind() == Kind.GATEWAY || shape.kind() == Kind.OTHER) {
        Box b = shape.box();
        boxes.add(shape.label() != null ? shape.label() : new Box(b.x() + b.w() / 2 - 50, b.bottom(), 100, 4 + 3 * LINE_HEIGHT));
      }
    }
    for (Edge edge : edges) {
      edge.points().forEach(p -> boxes.add(new Box(p.x(), p.y(), 0, 0)));
      if (edge.label() != null) {
        boxes.add(edge.label());
      }
    }
    for (Box b : boxes) {
      minX = Math.min(minX, b.x());
      minY = Math.min(minY, b.y());
      maxX = Math.max(maxX, b.right());
      maxY = Math.max(maxY, b.bottom());
    }
    return new Box(minX, minY, maxX - minX, maxY - minY);
  }

  private static String num(double value) {
    long rounded = Math.round(value);
    return Math.abs(value - rounded) < 0.05 ? Long.toString(rounded) : String.format(Locale.ROOT, "%.1f", value);
  }

  /** State colours: fill and stroke; the CSS classes on each shape repeat the state for styling. */
  record Colours(String fill, String stroke) {
    static Colours of(StepStatus state) {
      if (state == null) {
        return new Colours("#ffffff", "#5f6b7a");
      }
      return switch (state) {
        case COMPLETED -> new Colours("#d3f0da", "#1a7f37");
        case RUNNING -> new Colours("#d6e6ff", "#1f5fbf");
        case WAITING -> new Colours("#fff0c2", "#9a6700");
        case FAILED -> new Colours("#fbd5d5", "#b42318");
        case PENDING -> new Colours("#ffffff", "#5f6b7a");
      };
    }
  }

  /** Just enough of an XML writer: attributes with null values are left out, text is escaped. */
  private static final class Svg {
    private final StringBuilder out = new StringBuilder(4096);

    void open(String name, String... attributes) {
      out.append('<').append(name);
      attributes(attributes);
      out.append('>');
    }

    void empty(String name, String... attributes) {
      out.append('<').append(name);
      attributes(attributes);
      out.append("/>");
    }

    void element(String name, String text, String... attributes) {
      open(name, attributes);
      out.append(escape(text));
      close(name);
    }

    void close(String name) {
      out.append("</").append(name).append('>');
    }

    void raw(String xml) {
      out.append(xml);
    }

    private void attributes(String... attributes) {
      for (int i = 0; i < attributes.length; i += 2) {
        if (attributes[i + 1] != null) {
          out.append(' ').append(attributes[i]).append("=\"").append(escape(attributes[i + 1])).append('"');
        }
      }
    }

    private static String escape(String text) {
      StringBuilder escaped = new StringBuilder(text.length());
      for (char c : text.toCharArray()) {
        switch (c) {
          case '&' -> escaped.append("&amp;");
          case '<' -> escaped.append("&lt;");
          case '>' -> escaped.append("&gt;");
          case '"' -> escaped.append("&quot;");
          default -> escaped.append(c);
        }
      }
      return escaped.toString();
    }

    @Override
    public String toString() {
      return out.toString();
    }
  }
}
