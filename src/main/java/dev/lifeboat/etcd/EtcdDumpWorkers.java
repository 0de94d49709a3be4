package dev.lifeboat.etcd;

import dev.lifeboat.runbook.StepRunner;
import io.camunda.client.annotation.JobWorker;
import io.camunda.client.api.response.ActivatedJob;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/** The etcd steps of etcd-dump; verifying, storing and cataloguing are the backup pipeline's. */
@Component
public class EtcdDumpWorkers {

  private static final long SIX_HOURS = 6 * 60 * 60 * 1000L;

  private final StepRunner steps;
  private final EtcdDumpService dumps;

  EtcdDumpWorkers(StepRunner steps, EtcdDumpService dumps) {
    this.steps = steps;
    this.dumps = dumps;
  }

  @JobWorker(type = "etcd.check-dump", autoComplete = false)
  public void checkDump(ActivatedJob job) {
    steps.run(job, step -> {
      EtcdDumpService.DumpRequest request = job.getVariablesAsType(EtcdDumpService.DumpRequest.class);
      ClusterState cluster = dumps.check(request);
      step.message(cluster.summary() + "; key spaces " + request.spaces());
      return Map.of("cluster", cluster.asVariables());
    });
  }

  @JobWorker(type = "etcd.take-dump", autoComplete = false, timeout = SIX_HOURS)
  public void takeDump(ActivatedJob job) {
    steps.run(job, step -> {
      EtcdDumpService.DumpRequest request = job.getVariablesAsType(EtcdDumpService.DumpRequest.class);
      EtcdDumpService.TakenDump taken = dumps.take(request, (done, total) -> step.progress(done, total, "keys"));
      step.message(taken.keyCount() + " keys " + taken.keyCounts() + " at revision " + taken.revision()
          + ", archive " + taken.archive().size() + " bytes, sha256 " + taken.archive().sha256());
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("archive", taken.archive());
      out.put("keyCount", taken.keyCount());
      out.put("revision", taken.revision());
      return out;
    });
  }
}
