package dev.lifeboat.api;

import dev.lifeboat.notify.Deliveries;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Validated
class NotificationsController {

  private final Deliveries deliveries;

  NotificationsController(Deliveries deliveries) {
    this.deliveries = deliveries;
  }

  /** Notifications that were not delivered after every retry, newest first (ADMIN). */
  @GetMapping("/api/notifications/failures")
  List<Deliveries.Failure> failures(@RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit) {
    return deliveries.failures(limit);
  }
}
