package dev.lifeboat.web;

import dev.lifeboat.notify.Deliveries;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** Notifications that were not delivered after every retry, for administrators (as GET /api/notifications/failures). */
@Controller
class NotificationPages {

  private static final int SHOWN = 200;

  private final Deliveries deliveries;

  NotificationPages(Deliveries deliveries) {
    this.deliveries = deliveries;
  }

  @GetMapping("/notifications")
  String failures(Model model) {
    model.addAttribute("failures", deliveries.failures(SHOWN));
    return "notifications";
  }
}
