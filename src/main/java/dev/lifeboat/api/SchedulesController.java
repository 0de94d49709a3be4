package dev.lifeboat.api;

import dev.lifeboat.schedule.InvalidScheduleException;
import dev.lifeboat.schedule.Schedule;
import dev.lifeboat.schedule.ScheduleRequest;
import dev.lifeboat.schedule.ScheduleService;
import dev.lifeboat.schedule.Slot;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.net.URI;
import java.security.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Validated
@RequestMapping("/api/schedules")
class SchedulesController {

  private final ScheduleService schedules;

  SchedulesController(ScheduleService schedules) {
    this.schedules = schedules;
  }

  @GetMapping
  List<Schedule> list() {
    return schedules.list();
  }

  @PostMapping
  ResponseEntity<Schedule> create(@RequestBody ScheduleRequest request, Principal user) {
    Schedule schedule = schedules.create(request, user.getName());
    return ResponseEntity.created(URI.create("/api/schedules/" + schedule.id())).body(schedule);
  }

  @GetMapping("/{id}")
  Schedule get(@PathVariable String id) {
    return schedules.get(id);
  }

  @PutMapping("/{id}")
  Schedule update(@PathVariable String id, @RequestBody ScheduleRequest request, Principal user) {
    return schedules.update(id, request, user.getName());
  }

  @DeleteMapping("/{id}")
  ResponseEntity<Void> delete(@PathVariable String id, Principal user) {
    schedules.delete(id, user.getName());
    return ResponseEntity.noContent().build();
  }

  @PostMapping("/{id}/pause")
  Schedule pause(@PathVariable String id, Principal user) {
    return schedules.pause(id, user.getName());
  }

  @PostMapping("/{id}/resume")
  Schedule resume(@PathVariable String id, Principal user) {
    return schedules.resume(id, user.getName());
  }

  /** The latest slots: started (with the run), skipped, missed or failed, each with its reason. */
  @GetMapping("/{id}/slots")
  List<Slot> slots(@PathVariable String id, @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit) {
    return schedules.slots(id, limit);
  }

  /** The next slots of a cron expression in a zone, before it is saved. */
  @GetMapping("/preview")
  Map<String, Object> preview(@RequestParam String cron, @RequestParam(defaultValue = "UTC") String timeZone,
      @RequestParam(defaultValue = "5") @Min(1) @Max(50) int count) {
    List<Instant> slots;
    try {
      slots = schedules.preview(cron, timeZone, count);
    } catch (IllegalArgumentException e) {
      throw new InvalidScheduleException(List.of(e.getMessage()));
    }
    return Map.of("cron", cron, "timeZone", timeZone, "slots", slots);
  }
}
