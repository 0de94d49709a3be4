package dev.lifeboat.api;

import dev.lifeboat.retention.RetentionPreview;
import dev.lifeboat.retention.RetentionService;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class RetentionController {

  private final RetentionService retention;

  RetentionController(RetentionService retention) {
    this.retention = retention;
  }

  /** What backup-prune would keep (with reasons) and remove (with the rule) now. */
  @GetMapping("/api/retention/preview")
  RetentionPreview preview(@RequestParam(required = false) String kind, @RequestParam(required = false) String source) {
    return retention.preview(blank(kind), blank(source));
  }

  private static String blank(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
