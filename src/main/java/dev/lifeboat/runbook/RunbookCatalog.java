package dev.lifeboat.runbook;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** Every runbook Lifeboat offers: each capability package declares its own as beans. */
@Component
public class RunbookCatalog {

  private final List<Runbook> runbooks;

  RunbookCatalog(List<Runbook> runbooks, ProcessModels models) {
    this.runbooks = runbooks.stream().sorted(Comparator.comparing(Runbook::id)).toList();
    for (Runbook runbook : this.runbooks) {
      models.model(runbook.id()); // fails start-up when a runbook has no process model
    }
  }

  public List<Runbook> all() {
    return runbooks;
  }

  public Optional<Runbook> find(String id) {
    return runbooks.stream().filter(r -> r.id().equals(id)).findFirst();
  }
}
