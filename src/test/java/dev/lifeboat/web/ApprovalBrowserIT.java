package dev.lifeboat.web;

import static dev.lifeboat.testsupport.LifeboatApp.ADMIN;
import static dev.lifeboat.testsupport.LifeboatApp.APPROVER;
import static dev.lifeboat.testsupport.LifeboatApp.OPERATOR;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.testsupport.Browser;
import dev.lifeboat.testsupport.EtcdProcess;
import dev.lifeboat.testsupport.EtcdService;
import dev.lifeboat.testsupport.Etcdctl;
import dev.lifeboat.testsupport.LifeboatApp;
import dev.lifeboat.testsupport.Servers;
import dev.lifeboat.testsupport.SshdProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * Four-eyes in the browser: the initiator of an etcd-restore sees the task as not theirs and a
 * forged decision is refused; a second person approves in the tasklist and the restore completes
 * on a real etcd member behind a real sshd.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApprovalBrowserIT {

  Path temp;
  SshdProcess sshd;
  EtcdProcess source;
  EtcdService target;
  LifeboatApp lifeboat;

  @BeforeAll
  void start(@TempDir Path temp) throws Exception {
    this.temp = temp;
    sshd = SshdProcess.start(temp.resolve("sshd"));
    source = EtcdProcess.startSingle(Files.createDirectories(temp.resolve("source")));
    for (int i = 0; i < 40; i++) {
      Etcdctl.put(source.clientEndpoints(), "/restored/key-" + i, "value-" + i);
    }
    target = EtcdService.start(temp.resolve("target"), "target");
    Etcdctl.put(target.clientUrl(), "/old/key", "old");
    lifeboat = LifeboatApp.start(temp.resolve("lifeboat"),
        sshd.lifeboatProperties("etcd-host", temp.resolve("known_hosts"), sshd.knownHostsLine()));
  }

  @AfterAll
  void stop() {
    Servers.closeAll(lifeboat, target, source, sshd);
  }

  @Test
  void initiatorCannotDecideAndASecondPersonApprovesInTheTasklist() throws Exception {
    String snapshot = lifeboat.startRun(OPERATOR, "etcd-snapshot", Map.of("endpoints", source.clientEndpoints()));
    String backupId = lifeboat.awaitRun(snapshot, Duration.ofMinutes(2), "COMPLETED").at("/outputs/backupId").asText();
    Map<String, Object> parameters = target.restoreParameters(sshd.host(), "etcd-host");
    parameters.put("backupId", backupId);
    parameters.put("reason", "browser drill");
    // Marked commands: the approver must see both, verbatim, in the API and on the page.
    String stop = ": stop-marker-7f3; " + target.stopCommand();
    String start = ": start-marker-9c1; " + target.startCommand();
    parameters.put("stopCommand", stop);
    parameters.put("startCommand", start);
    String runId = lifeboat.startRun(ADMIN, "etcd-restore", parameters);
    lifeboat.awaitRun(runId, Duration.ofMinutes(2), "WAITING_FOR_APPROVAL");

    try (Browser initiator = Browser.open(lifeboat.baseUrl(), Files.createDirectories(temp.resolve("dl-adam")))) {
      initiator.login(ADMIN, LifeboatApp.password(ADMIN));
      initiator.go("/tasks");
      var task = initiator.find("article.task[data-run-id='" + runId + "']");
      String taskId = task.getAttribute("data-task-id");
      assertThat(task.getText()).contains("Not yours to decide").contains("you started run");
      assertThat(task.findElements(By.xpath(".//button[normalize-space()='Approve']"))).isEmpty();
      initiator.screenshot("tasks-initiator");

      // A forged decision with a valid session and CSRF token is still refused by the service.
      initiator.script("""
          const token = document.querySelector("input[name='_csrf']").value;
          const form = document.createElement('form');
          form.method = 'post';
          form.action = '/tasks/' + arguments[0] + '/decide';
          for (const [name, value] of [['_csrf', token], ['decision', 'APPROVE'], ['comment', 'forged']]) {
            const input = document.createElement('input');
            input.type = 'hidden'; input.name = name; input.value = value;
            form.appendChild(input);
          }
          document.body.appendChild(form);
          form.submit();""", taskId);
      initiator.waitFor(Duration.ofSeconds(10), d -> initiator.path().endsWith("/decide"));
      assertThat(initiator.find("main").getText()).contains("you started run");
      initiator.screenshot("tasks-forged-decision");
      JsonNode run = lifeboat.get(ADMIN, "/api/runs/" + runId).json();
      assertThat(run.get("status").asText()).isEqualTo("WAITING_FOR_APPROVAL");
    }

    try (Browser approver = Browser.open(lifeboat.baseUrl(), Files.createDirectories(temp.resolve("dl-alice")))) {
      approver.login(APPROVER, LifeboatApp.password(APPROVER));
      approver.go("/tasks");
      var task = approver.find("article.task[data-run-id='" + runId + "']");
      assertThat(task.getText()).contains(backupId).contains("browser drill").contains(ADMIN);
      var commands = task.findElements(By.cssSelector("table.commands tr.operator-supplied code"));
      assertThat(commands.stream().map(c -> c.getText()).toList()).contains(stop, start);
      assertThat(task.findElement(By.cssSelector("table.side-by-side")).getText())
          .contains("Key count").contains("40").contains("1");
      JsonNode apiTask = null;
      for (JsonNode candidate : lifeboat.get(APPROVER, "/api/tasks").json()) {
        if (runId.equals(candidate.get("runId").asText())) {
          apiTask = candidate;
        }
      }
      assertThat(apiTask).isNotNull();
      assertThat(apiTask.at("/evidence/commands").findValuesAsText("command")).contains(stop, start);
      approver.screenshot("tasks-approver");
      task.findElement(By.tagName("textarea")).sendKeys("checked the target with the team");
      approver.follow(task.findElement(By.xpath(".//button[normalize-space()='Approve']")));
      approver.screenshot("tasks-after-approval");
    }

    JsonNode run = lifeboat.awaitRun(runId, Duration.ofMinutes(3), "COMPLETED", "FAILED", "REJECTED");
    assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("COMPLETED");
    assertThat(Etcdctl.countKeys(target.clientUrl(), "/restored/")).isEqualTo(40);
    assertThat(Etcdctl.countKeys(target.clientUrl(), "/old/")).isZero();
  }
}
