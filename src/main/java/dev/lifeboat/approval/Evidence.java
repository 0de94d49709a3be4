package dev.lifeboat.approval;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an approver reads before a destructive step: what is on the target now and what will
 * replace it (side by side by fact name), the warnings, what happens to the existing data, every
 * command that will run on a host after the approval (rollback included), every parameter that
 * changes what runs or where, and who asked and why. {@code emptyProof} is set when the checks
 * proved the target holds nothing, so no approval was needed.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Evidence(
    String summary,
    Map<String, Object> target,
    Map<String, Object> replacement,
    List<String> warnings,
    Rollback rollback,
    List<PlannedCommand> commands,
    List<Setting> parameters,
    String emptyProof,
    String requestedBy,
    String reason) {

  /** What happens to the data on the target: kept at {@code savedTo}, or deleted without a copy. */
  public record Rollback(boolean keepsExistingData, String savedTo, String plan) {}

  /**
   * A command that will run after the approval, verbatim, in the order it runs. {@code phase} says
   * when (e.g. "stop", "rollback"); {@code operatorSupplied} marks free text the operator typed.
   */
  public record PlannedCommand(String phase, String where, String command, boolean operatorSupplied) {}

  /** A parameter that changes what runs or where, with the default it replaces (null: no default). */
  public record Setting(String name, String type, Object value, String defaultValue) {

    public boolean changed() {
      return defaultValue == null ? value != null : !defaultValue.equals(String.valueOf(value));
    }
  }

  /** One line of the side-by-side table: a fact's name, its value now and after the restore. */
  public record Row(String name, Object current, Object replacement) {}

  /** The facts of both sides, the target's order first; a fact only one side has leaves the other empty. */
  public List<Row> sideBySide() {
    Set<String> names = new LinkedHashSet<>();
    if (target != null) {
      names.addAll(target.keySet());
    }
    if (replacement != null) {
      names.addAll(replacement.keySet());
    }
    List<Row> rows = new ArrayList<>();
    for (String name : names) {
      rows.add(new Row(name, target == null ? null : target.get(name),
          replacement == null ? null : replacement.get(name)));
    }
    return rows;
  }

  public Evidence withReplacement(Map<String, Object> updated) {
    return new Evidence(summary, target, updated, warnings, rollback, commands, parameters, emptyProof, requestedBy,
        reason);
  }
}
