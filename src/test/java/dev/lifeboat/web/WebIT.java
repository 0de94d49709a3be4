package dev.lifeboat.web;

import static dev.lifeboat.testsupport.LifeboatApp.AUDITOR;
import static dev.lifeboat.testsupport.LifeboatApp.OPERATOR;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.archive.Sha256;
import dev.lifeboat.testsupport.Browser;
import dev.lifeboat.testsupport.EtcdProcess;
import dev.lifeboat.testsupport.Etcdctl;
import dev.lifeboat.testsupport.LifeboatApp;
import dev.lifeboat.testsupport.Servers;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The web UI in a real headless Chromium against a real Lifeboat and a real etcd: an operator
 * snapshots etcd from the generated form and watches it complete; the backup is downloaded,
 * deleted after the confirmation and uploaded again; an auditor finds the run, exports it and
 * verifies the trail, also after a row was altered in the database. Every page is kept as a
 * screenshot under target/screenshots/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebIT {

  Path temp;
  EtcdProcess etcd;
  LifeboatApp lifeboat;
  Browser browser;
  Path downloads;
  String runId;
  String backupId;

  @BeforeAll
  void start(@TempDir Path temp) throws Exception {
    this.temp = temp;
    etcd = EtcdProcess.startSingle(temp);
    for (int i = 0; i < 50; i++) {
      Etcdctl.put(etcd.clientEndpoints(), "/web-test/key-" + i, "value-" + i);
    }
    lifeboat = LifeboatApp.start(temp.resolve("lifeboat"), Map.of());
    downloads = Files.createDirectories(temp.resolve("downloads"));
    browser = Browser.open(lifeboat.baseUrl(), downloads);
  }

  @AfterAll
  void stop() {
    Servers.closeAll(browser, lifeboat, etcd);
  }

  @Test
  @Order(1)
  void operatorStartsASnapshotFromTheFormAndWatchesItComplete() {
    browser.go("/runs");
    assertThat(browser.path()).isEqualTo("/login");
    browser.screenshot("login");
    browser.login(OPERATOR, LifeboatApp.password(OPERATOR));
    assertThat(browser.path()).startsWith("/runs"); // back where the login interrupted
    browser.go("/");
    browser.screenshot("overview-empty");

    browser.follow(browser.driver().findElement(By.linkText("Runbooks")));
    browser.screenshot("runbooks");
    browser.follow(browser.driver().findElement(By.partialLinkText("Start etcd snapshot")));
    assertThat(browser.path()).isEqualTo("/runbooks/etcd-snapshot");

    // The browser checks before submitting: the required field is empty, then not a client URL.
    WebElement endpoints = browser.field("endpoints");
    assertThat(endpoints.getAttribute("required")).isNotNull();
    assertThat(browser.find("#help-endpoints").getText()).contains("Client URLs of the cluster");
    browser.find("#start-form button[type=submit]").click();
    assertThat(browser.path()).isEqualTo("/runbooks/etcd-snapshot");
    assertThat(browser.script("return arguments[0].validity.valueMissing", endpoints)).isEqualTo(true);
    endpoints.sendKeys("etcd-0:2379; rm -rf /");
    assertThat(browser.script("return arguments[0].validity.patternMismatch", endpoints)).isEqualTo(true);
    browser.screenshot("start-form-invalid");

    // The server checks too, and says what is wrong next to the field.
    browser.script("document.getElementById('start-form').noValidate = true");
    browser.follow(browser.find("#start-form button[type=submit]"));
    assertThat(browser.find("#error-endpoints").getText()).contains("endpoints").contains("is not a URL");
    assertThat(browser.field("endpoints").getAttribute("aria-invalid")).isEqualTo("true");
    browser.screenshot("start-form-server-error");

    browser.field("endpoints").clear();
    browser.field("endpoints").sendKeys(etcd.clientEndpoints());
    browser.field("notes").sendKeys("before the browser test upgrade");
    browser.follow(browser.find("#start-form button[type=submit]"));
    browser.waitFor(Duration.ofSeconds(10), d -> browser.path().startsWith("/runs/"));
    runId = browser.path().substring("/runs/".length());

    // htmx polls the live part until the run ends, then stops polling.
    browser.waitFor(Duration.ofMinutes(2), d -> browser.find("#live .run-status .status").getText().equals("completed"));
    assertThat(browser.find("#live").getAttribute("hx-trigger")).isNull();
    for (String step : List.of("Task_CheckCluster", "Task_TakeSnapshot", "Task_VerifyArchive", "Task_StoreBackup",
        "Task_CatalogueBackup")) {
      WebElement shape = browser.find(".bpmn-diagram .bpmn-shape[data-element-id='" + step + "']");
      assertThat(shape.getAttribute("data-state")).as(step).isEqualTo("COMPLETED");
      assertThat(shape.getAttribute("class")).contains("state-completed");
      assertThat(browser.find("#steps tr[data-element-id='" + step + "'] .status").getText()).isEqualTo("completed");
    }
    assertThat(browser.find(".bpmn-shape[data-element-id='Task_DiscardArchive']").getAttribute("data-state"))
        .isEqualTo("PENDING");
    assertThat(browser.find("#steps tr[data-element-id='Task_TakeSnapshot']").getText()).contains("100%");
    assertThat(browser.find("#initiator").getText()).isEqualTo(OPERATOR);
    assertThat(browser.driver().findElements(By.xpath("//button[normalize-space()='Cancel run']"))).isEmpty();
    backupId = browser.find("#outputs a[href^='/backups/']").getText();
    assertThat(backupId).matches("[0-9]{8}-[0-9]{6}\\.[0-9a-f]+");
    browser.screenshot("run-completed");

    browser.go("/runs");
    assertThat(browser.find("#runs-table").getText()).contains(runId.substring(0, 8)).contains("completed");
    browser.screenshot("runs");
    browser.go("/");
    browser.screenshot("overview");
  }

  @Test
  @Order(2)
  void operatorDownloadsDeletesAfterConfirmingAndUploadsTheBackupAgain() throws Exception {
    browser.go("/backups/" + backupId);
    String sha256 = browser.find("#backup-sha256").getText();
    assertThat(browser.find("#backup-facts").getText()).contains("before the browser test upgrade");
    browser.screenshot("backup");
    browser.driver().findElement(By.linkText("Download")).click();
    Path archive = browser.awaitDownload(".tar.gz", Duration.ofSeconds(30));
    try (InputStream in = Files.newInputStream(archive)) {
      assertThat(Sha256.of(in)).isEqualTo(sha256);
    }

    browser.go("/backups");
    browser.screenshot("backups");
    browser.follow(browser.driver().findElement(By.cssSelector("a[aria-label='Delete " + backupId + "']")));
    assertThat(browser.find("h1").getText()).contains(backupId);
    assertThat(browser.find("#confirm-delete").getText()).isEqualTo("Delete " + backupId);
    browser.screenshot("backup-delete-confirmation");
    browser.follow(browser.find("#confirm-delete"));
    browser.waitFor(Duration.ofSeconds(10), d -> browser.path().equals("/backups"));
    assertThat(browser.find(".notice").getText()).contains(backupId + " deleted");
    assertThat(lifeboat.get(OPERATOR, "/api/backups/" + backupId).status()).isEqualTo(404);

    browser.field("Archive (.tar.gz)").sendKeys(archive.toAbsolutePath().toString());
    new org.openqa.selenium.support.ui.Select(browser.field("Kind")).selectByValue("etcd-snapshot");
    browser.field("Expected sha256 (optional)").sendKeys(sha256);
    browser.follow(browser.find("#upload-form button[type=submit]"));
    browser.waitFor(Duration.ofSeconds(30), d -> browser.path().equals("/backups/" + backupId));
    assertThat(browser.find(".notice").getText()).contains("uploaded and verified");
    browser.screenshot("backup-uploaded");

    // The same archive again is refused, with the reason on the page.
    browser.go("/backups");
    browser.field("Archive (.tar.gz)").sendKeys(archive.toAbsolutePath().toString());
    new org.openqa.selenium.support.ui.Select(browser.field("Kind")).selectByValue("etcd-snapshot");
    browser.follow(browser.find("#upload-form button[type=submit]"));
    browser.waitFor(Duration.ofSeconds(30), d -> !d.findElements(By.cssSelector("[role=alert]")).isEmpty());
    assertThat(browser.find("[role=alert]").getText()).contains("already in the catalogue");
    browser.logout();
  }

  @Test
  @Order(3)
  void auditorFindsTheRunExportsItAndVerifiesTheTrailUntilARowIsAltered() throws Exception {
    browser.login(AUDITOR, LifeboatApp.password(AUDITOR));
    assertThat(browser.driver().findElements(By.linkText("Runbooks"))).isEmpty();
    browser.follow(browser.driver().findElement(By.linkText("Audit")));
    browser.screenshot("audit");

    browser.field("Person").sendKeys(OPERATOR);
    new org.openqa.selenium.support.ui.Select(browser.field("Action")).selectByValue("run.started");
    browser.follow(browser.find("form.filters button[type=submit]"));
    WebElement table = browser.find("#audit-table");
    assertThat(table.findElements(By.cssSelector("tbody tr"))).hasSize(1);
    browser.screenshot("audit-filtered");
    browser.follow(browser.driver().findElement(By.cssSelector("a[aria-label='Full story of run " + runId + "']")));
    assertThat(browser.find("#story-facts").getText()).contains(OPERATOR).contains("completed");
    assertThat(browser.find("body").getText()).contains("Take the snapshot").contains(etcd.clientEndpoints());
    assertThat(browser.find("#story-events").getText()).contains("run.started").contains("step.finished")
        .contains("run.finished");
    browser.screenshot("audit-run-story");

    browser.find("#export-run-csv").click();
    Path csv = browser.awaitDownload(".csv", Duration.ofSeconds(30));
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    assertThat(lines.getFirst()).startsWith("seq,time,actor,action,runId");
    assertThat(lines).anyMatch(line -> line.contains("run.started") && line.contains(runId) && line.contains(OPERATOR));
    assertThat(lines.subList(1, lines.size())).allMatch(line -> line.contains(runId));

    browser.go("/audit");
    browser.follow(browser.find("#verify"));
    browser.waitFor(Duration.ofSeconds(10), d -> browser.find("#verification").getText().startsWith("Valid"));
    browser.screenshot("audit-verified");

    // Someone with database access changes who started the run. The chain names that event.
    JdbcClient jdbc = lifeboat.context().getBean(JdbcClient.class);
    long seq = jdbc.sql("select seq from audit_events where action = 'run.started' and run_id = ?")
        .param(runId).query(Long.class).single();
    jdbc.sql("update audit_events set actor = 'mallory' where seq = ?").param(seq).update();
    browser.follow(browser.find("#verify"));
    browser.waitFor(Duration.ofSeconds(10), d -> browser.find("#verification").getText().startsWith("Broken"));
    WebElement verdict = browser.find("#verification");
    assertThat(verdict.getText()).contains("Broken at event " + seq).contains("does not match its contents");
    assertThat(verdict.getAttribute("class")).contains("error");
    browser.screenshot("audit-broken");
  }
}
