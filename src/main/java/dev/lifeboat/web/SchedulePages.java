package dev.lifeboat.web;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.retention.RetentionPolicy;
import dev.lifeboat.retention.RetentionService;
import dev.lifeboat.runbook.RunService;
import dev.lifeboat.runbook.RunbookCatalog;
import dev.lifeboat.schedule.InvalidScheduleException;
import dev.lifeboat.schedule.Schedule;
import dev.lifeboat.schedule.ScheduleRequest;
import dev.lifeboat.schedule.ScheduleService;
import java.security.Principal;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Schedules (list, create, edit with the next five slots, pause, resume, delete) and the retention preview. */
@Controller
class SchedulePages {

  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};
  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm:ss z");

  private final ScheduleService schedules;
  private final RunbookCatalog runbooks;
  private final RetentionService retention;
  private final RunService runs;
  private final ObjectMapper json;

  SchedulePages(ScheduleService schedules, RunbookCatalog runbooks, RetentionService retention, RunService runs,
      ObjectMapper json) {
    this.schedules = schedules;
    this.runbooks = runbooks;
    this.retention = retention;
    this.runs = runs;
    this.json = json;
  }

  /** The form's fields as typed, so a refused form comes back as it was. */
  record Form(String name, String runbook, String parameters, String cron, String timeZone, String keepDaily,
      String keepWeekly, String keepMonthly, String keepOnDemand, Boolean verifyAfterBackup, Boolean paused) {

    static Form blank() {
      return new Form("", "", "{}", "30 2 * * *", "UTC", "P7D", "P4W", "P3M", "1", false, false);
    }
  }

  @GetMapping("/schedules")
  String list(Model model) {
    model.addAttribute("schedules", schedules.list());
    return "schedules";
  }

  @GetMapping("/schedules/new")
  String create(Model model) {
    return form(model, Form.blank(), null, List.of());
  }

  @GetMapping("/schedules/{id}")
  String edit(@PathVariable String id, Model model) throws Exception {
    Schedule s = schedules.get(id);
    Form form = new Form(s.name(), s.runbook(), json.writerWithDefaultPrettyPrinter().writeValueAsString(s.parameters()),
        s.cron(), s.timeZone(), s.retention().keepDaily(), s.retention().keepWeekly(), s.retention().keepMonthly(),
        Integer.toString(s.retention().keepOnDemand()), s.verifyAfterBackup(), s.paused());
    model.addAttribute("slots", schedules.slots(id, 10));
    return form(model, form, s, List.of());
  }

  @PostMapping("/schedules")
  String save(@RequestParam(required = false) String id, Form form, Principal user, Model model,
      RedirectAttributes redirect) {
    Schedule existing = id == null || id.isBlank() ? null : schedules.get(id);
    try {
      ScheduleRequest request = request(form);
      Schedule saved = existing == null ? schedules.create(request, user.getName())
          : schedules.update(id, request, user.getName());
      redirect.addFlashAttribute("notice", "Schedule " + saved.name() + " saved; next run "
          + (saved.nextRunAt() == null ? "none (paused)" : saved.nextRunAt()));
      return "redirect:/schedules";
    } catch (InvalidScheduleException e) {
      return form(model, form, existing, e.problems());
    } catch (IllegalArgumentException e) {
      return form(model, form, existing, List.of(e.getMessage()));
    }
  }

  @PostMapping("/schedules/{id}/pause")
  String pause(@PathVariable String id, Principal user, RedirectAttributes redirect) {
    redirect.addFlashAttribute("notice", "Schedule " + schedules.pause(id, user.getName()).name() + " paused");
    return "redirect:/schedules";
  }

  @PostMapping("/schedules/{id}/resume")
  String resume(@PathVariable String id, Principal user, RedirectAttributes redirect) {
    redirect.addFlashAttribute("notice", "Schedule " + schedules.resume(id, user.getName()).name() + " resumed");
    return "redirect:/schedules";
  }

  @PostMapping("/schedules/{id}/delete")
  String delete(@PathVariable String id, Principal user, RedirectAttributes redirect) {
    String name = schedules.get(id).name();
    schedules.delete(id, user.getName());
    redirect.addFlashAttribute("notice", "Schedule " + name + " deleted");
    return "redirect:/schedules";
  }

  /** The next five slots of what is typed, in its zone (htmx swaps this into the form). */
  @GetMapping("/schedules/preview")
  String preview(@RequestParam(defaultValue = "") String cron, @RequestParam(defaultValue = "UTC") String timeZone,
      Model model) {
    try {
      ZoneId zone = ZoneId.of(timeZone.isBlank() ? "UTC" : timeZone.strip());
      model.addAttribute("slots", schedules.preview(cron, timeZone, 5).stream()
          .map(slot -> LOCAL.format(slot.atZone(zone)) + " (" + slot + ")").toList());
    } catch (RuntimeException e) {
      model.addAttribute("previewError", e.getMessage());
    }
    return "schedule-form :: preview";
  }

  @GetMapping("/retention")
  String retention(@RequestParam(required = false) String kind, @RequestParam(required = false) String source,
      Model model) {
    model.addAttribute("preview", retention.preview(blank(kind), blank(source)));
    model.addAttribute("kind", kind);
    model.addAttribute("source", source);
    return "retention";
  }

  @PostMapping("/retention/prune")
  String prune(@RequestParam(required = false) String kind, @RequestParam(required = false) String source,
      Principal user) {
    Map<String, Object> parameters = new LinkedHashMap<>();
    if (blank(kind) != null) {
      parameters.put("kind", kind);
    }
    if (blank(source) != null) {
      parameters.put("source", source);
    }
    return "redirect:/runs/" + runs.start("backup-prune", parameters, user.getName()).id();
  }

  private String form(Model model, Form form, Schedule existing, List<String> errors) {
    model.addAttribute("form", form);
    model.addAttribute("schedule", existing);
    model.addAttribute("errors", errors);
    model.addAttribute("runbooks", runbooks.all());
    model.addAttribute("zones", List.of("UTC", "Europe/Berlin", "Europe/London", "America/New_York",
        "America/Los_Angeles", "Asia/Tokyo", "Australia/Sydney"));
    return "schedule-form";
  }

  private ScheduleRequest request(Form form) {
    Map<String, Object> parameters;
    try {
      parameters = form.parameters() == null || form.parameters().isBlank() ? Map.of()
          : json.readValue(form.parameters(), MAP);
    } catch (Exception e) {
      throw new InvalidScheduleException(List.of("parameters: not a JSON object, e.g. {\"endpoints\": \"http://10.0.0.5:2379\"}"));
    }
    Integer onDemand;
    try {
      onDemand = form.keepOnDemand() == null || form.keepOnDemand().isBlank() ? null
          : Integer.valueOf(form.keepOnDemand().strip());
    } catch (NumberFormatException e) {
      throw new InvalidScheduleException(List.of("retention.keepOnDemand: a whole number"));
    }
    return new ScheduleRequest(form.name(), form.runbook(), parameters, form.cron(), form.timeZone(),
        new RetentionPolicy(form.keepDaily(), form.keepWeekly(), form.keepMonthly(), onDemand),
        Boolean.TRUE.equals(form.verifyAfterBackup()), Boolean.TRUE.equals(form.paused()));
  }

  private static String blank(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
