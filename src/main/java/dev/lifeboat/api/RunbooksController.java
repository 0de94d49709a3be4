package dev.lifeboat.api;

import dev.lifeboat.runbook.Runbook;
import dev.lifeboat.runbook.RunbookCatalog;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/runbooks")
class RunbooksController {

  private final RunbookCatalog runbooks;

  RunbooksController(RunbookCatalog runbooks) {
    this.runbooks = runbooks;
  }

  @GetMapping
  List<Runbook> list() {
    return runbooks.all();
  }
}
