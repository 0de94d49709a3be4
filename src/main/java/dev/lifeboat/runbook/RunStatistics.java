package dev.lifeboat.runbook;

import java.util.EnumMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** How many runs there are in each status, for the overview; one indexed query. */
@Component
public class RunStatistics {

  private final JdbcClient jdbc;

  RunStatistics(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public Map<RunStatus, Long> countByStatus() {
    Map<RunStatus, Long> counts = new EnumMap<>(RunStatus.class);
    for (RunStatus status : RunStatus.values()) {
      counts.put(status, 0L);
    }
    jdbc.sql("select status, count(*) from runs group by status")
        .query((rs, n) -> counts.put(RunStatus.valueOf(rs.getString(1)), rs.getLong(2)))
        .list();
    return counts;
  }
}
