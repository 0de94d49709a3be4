package dev.lifeboat.runbook;

import static dev.lifeboat.testsupport.LifeboatApp.AUDITOR;
import static dev.lifeboat.testsupport.LifeboatApp.OPERATOR;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.testsupport.Browser;
import dev.lifeboat.testsupport.FreePorts;
import dev.lifeboat.testsupport.LifeboatApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;

/**
 * On H2, and in a real Chromium: the run page links each step's output and its steps table fits
 * the page however long a message is (screenshots under target/screenshots/).
 */
class StepOutputIT extends StepOutputSuite {

  private static final String LONG_MESSAGE = "restored into /var/lib/etcd/member-with-a-rather-long-directory-name/"
      + "snap/db-" + "0123456789abcdef".repeat(12) + " as member etcd-0 (http://10.0.0.5:2380) with cluster token "
      + "lifeboat-" + "f".repeat(64) + ", checked against " + "sha256:" + "a".repeat(64);

  Browser browser;

  @Override
  Map<String, String> databaseProperties() {
    return Map.of();
  }

  @AfterAll
  void closeBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  @Test
  void theRunPageLinksTheOutputAndItsStepsTableFitsThePage(@TempDir Path downloads) throws Exception {
    // A run of its own: the other tests write this step's output of the suite's run.
    String pageRun = lifeboat.startRun(OPERATOR, "etcd-snapshot", Map.of("endpoints", "http://127.0.0.1:" + FreePorts.next()));
    lifeboat.awaitRun(pageRun, Duration.ofMinutes(2), "FAILED");
    RunRepository repository = lifeboat.context().getBean(RunRepository.class);
    StepContext step = new StepContext(pageRun, report -> repository.stepReport(pageRun, STEP, report), Clock.systemUTC(),
        StepContext.Timer.VIRTUAL_THREADS, repository.outputSoFar(pageRun, STEP));
    step.output("$ etcdctl snapshot restore /var/lib/etcd.lifeboat/snapshot.db --data-dir /var/lib/etcd");
    step.output("{\"level\":\"info\",\"msg\":\"restoring snapshot\",\"path\":\"" + "/x".repeat(120) + "\"}");
    step.message(LONG_MESSAGE);
    step.finish();

    browser = Browser.open(lifeboat.baseUrl(), Files.createDirectories(downloads));
    browser.login(AUDITOR, LifeboatApp.password(AUDITOR));
    for (int width : new int[] {1400, 900}) {
      browser.driver().manage().window().setSize(new Dimension(width, 1000));
      browser.go("/runs/" + pageRun);
      WebElement row = browser.find("#steps tr[data-element-id='" + STEP + "']");
      assertThat(row.getText()).contains("restored into /var/lib/etcd");
      assertThat(browser.script("return document.documentElement.scrollWidth <= document.documentElement.clientWidth"))
          .as("the page does not scroll sideways at %d px", width).isEqualTo(true);
      assertThat(browser.script("return document.getElementById('steps').getBoundingClientRect().right"
          + " <= document.getElementById('main').getBoundingClientRect().right"))
          .as("the steps table ends inside the page at %d px", width).isEqualTo(true);
      browser.screenshot("run-long-message-" + width);
    }
    browser.driver().manage().window().setSize(new Dimension(1400, 1000));

    WebElement link = browser.find("#steps tr[data-element-id='" + STEP + "']")
        .findElement(By.partialLinkText("output ("));
    assertThat(link.getAttribute("aria-label")).startsWith("output (").endsWith(" of Check the cluster");
    browser.follow(link);
    assertThat(browser.path()).isEqualTo("/runs/" + pageRun + "/output?step=" + STEP);
    assertThat(browser.find("h1").getText()).isEqualTo("Output of Check the cluster");
    assertThat(browser.find("#output").getText()).startsWith("$ etcdctl snapshot restore")
        .contains("\"msg\":\"restoring snapshot\"");
    assertThat(browser.find("#output-facts").getText()).contains("bytes");
    assertThat(browser.find("#live").getAttribute("hx-trigger")).as("the run is over: no polling").isNull();
    browser.screenshot("step-output");

    browser.follow(browser.driver().findElement(By.linkText("Run " + pageRun.substring(0, 8))));
    assertThat(browser.path()).isEqualTo("/runs/" + pageRun);
    browser.waitFor(Duration.ofSeconds(5), d -> browser.find("#steps").isDisplayed());
  }
}
