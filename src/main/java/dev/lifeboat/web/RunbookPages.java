package dev.lifeboat.web;

import dev.lifeboat.runbook.InvalidParametersException;
import dev.lifeboat.runbook.ParameterValidator;
import dev.lifeboat.runbook.Run;
import dev.lifeboat.runbook.RunService;
import dev.lifeboat.runbook.Runbook;
import dev.lifeboat.runbook.RunbookCatalog;
import dev.lifeboat.runbook.RunbookParameter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.http.HttpStatus;

/** The runbook catalogue and each runbook's start form. */
@Controller
class RunbookPages {

  private final RunbookCatalog runbooks;
  private final RunService runs;
  private final ParameterValidator parameters;
  private final RunDiagrams diagrams;

  RunbookPages(RunbookCatalog runbooks, RunService runs, ParameterValidator parameters, RunDiagrams diagrams) {
    this.runbooks = runbooks;
    this.runs = runs;
    this.parameters = parameters;
    this.diagrams = diagrams;
  }

  @GetMapping("/runbooks")
  String list(Model model) {
    model.addAttribute("runbooks", runbooks.all());
    return "runbooks";
  }

  @GetMapping("/runbooks/{id}")
  String form(@PathVariable String id, Model model) {
    Runbook runbook = find(id);
    return form(model, StartForm.of(runbook, Map.of(), List.of(), parameters::input));
  }

  @PostMapping("/runbooks/{id}")
  String start(@PathVariable String id, HttpServletRequest request, HttpServletResponse response, Principal user,
      Model model) {
    Runbook runbook = find(id);
    Map<String, String> values = new LinkedHashMap<>();
    for (RunbookParameter parameter : runbook.parameters()) {
      String[] given = request.getParameterValues(parameter.name());
      // A checkbox sends a hidden "false" and, when ticked, "true" after it: the last one counts.
      if (given != null && given.length > 0 && !given[given.length - 1].isBlank()) {
        values.put(parameter.name(), given[given.length - 1]);
      }
    }
    try {
      Run run = runs.start(runbook.id(), values, user.getName());
      return "redirect:/runs/" + run.id();
    } catch (InvalidParametersException e) {
      response.setStatus(HttpStatus.BAD_REQUEST.value());
      return form(model, StartForm.of(runbook, values, e.problems(), parameters::input));
    }
  }

  private String form(Model model, StartForm form) {
    model.addAttribute("form", form);
    model.addAttribute("diagram", diagrams.svg(form.runbook().id()));
    return "runbook-start";
  }

  private Runbook find(String id) {
    return runbooks.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
        "there is no runbook '" + id + "'"));
  }
}
