package dev.lifeboat.security;

import static dev.lifeboat.testsupport.LifeboatApp.ADMIN;
import static dev.lifeboat.testsupport.LifeboatApp.APPROVER;
import static dev.lifeboat.testsupport.LifeboatApp.AUDITOR;
import static dev.lifeboat.testsupport.LifeboatApp.OPERATOR;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.testsupport.LifeboatApp;
import dev.lifeboat.testsupport.LifeboatApp.Response;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Every endpoint, every role: who gets in, who gets 401, who gets 403 with a reason. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityIT {

  private static final String BACKUP = "/api/backups/20260101-000000.abc";
  private static final String OUTPUT = "/api/runs/x/output?step=Task_CheckCluster";
  private static final Map<String, Object> START = Map.of("runbook", "etcd-snapshot",
      "parameters", Map.of("endpoints", "http://127.0.0.1:1"));

  LifeboatApp lifeboat;

  @BeforeAll
  void start(@TempDir Path temp) {
    lifeboat = LifeboatApp.start(temp, Map.of());
  }

  @AfterAll
  void stop() {
    lifeboat.close();
  }

  @Test
  void anonymousRequestsGet401ExceptHealth() {
    for (Function<String, Response> call : calls()) {
      Response response = call.apply(null);
      assertThat(response.status()).as(response.toString()).isEqualTo(401);
    }
    assertThat(lifeboat.get(null, "/actuator/health").status()).isEqualTo(200);
    assertThat(lifeboat.get(null, "/actuator/health").body()).contains("UP");
  }

  @Test
  void wrongPasswordIs401() {
    var response = lifeboat.get("olivia:wrong", "/api/runs");
    assertThat(response.status()).isEqualTo(401);
  }

  @Test
  void auditorReadsButChangesNothingAndCannotDownloadData() {
    assertThat(lifeboat.get(AUDITOR, "/api/runs").status()).isEqualTo(200);
    assertThat(lifeboat.get(AUDITOR, OUTPUT).status()).isEqualTo(404); // may look; there is no such run
    assertThat(lifeboat.get(AUDITOR, "/api/runbooks").status()).isEqualTo(200);
    assertThat(lifeboat.get(AUDITOR, "/api/backups").status()).isEqualTo(200);
    assertForbidden(lifeboat.post(AUDITOR, "/api/runs", START));
    assertForbidden(lifeboat.get(AUDITOR, BACKUP + "/content"));
    assertForbidden(lifeboat.delete(AUDITOR, BACKUP));
    assertForbidden(lifeboat.postBytes(AUDITOR, "/api/backups", new byte[] {1}));
    assertForbidden(lifeboat.post(AUDITOR, "/api/runs/x/cancel", Map.of()));
    assertForbidden(lifeboat.get(AUDITOR, "/api/tasks"));
    assertThat(lifeboat.get(AUDITOR, "/api/audit").status()).isEqualTo(200);
    assertThat(lifeboat.get(AUDITOR, "/api/audit/export?format=json").status()).isEqualTo(200);
    assertThat(lifeboat.get(AUDITOR, "/api/audit/verify").status()).isEqualTo(200);
  }

  @Test
  void approverDecidesButDoesNotStartRunsOrTouchBackups() {
    assertThat(lifeboat.get(APPROVER, "/api/runs").status()).isEqualTo(200);
    assertThat(lifeboat.get(APPROVER, OUTPUT).status()).isEqualTo(404);
    assertForbidden(lifeboat.post(APPROVER, "/api/runs", START));
    assertForbidden(lifeboat.delete(APPROVER, BACKUP));
    assertForbidden(lifeboat.get(APPROVER, BACKUP + "/content"));
    assertForbidden(lifeboat.get(APPROVER, "/api/audit"));
    assertForbidden(lifeboat.get(APPROVER, "/api/audit/export?format=csv"));
    assertForbidden(lifeboat.get(APPROVER, "/api/audit/verify"));
  }

  @Test
  void operatorRunsAndHandlesBackupsButNeitherApprovesNorAudits() {
    assertThat(lifeboat.post(OPERATOR, "/api/runs", START).status()).isEqualTo(201);
    assertThat(lifeboat.get(OPERATOR, OUTPUT).status()).isEqualTo(404);
    assertThat(lifeboat.get(OPERATOR, BACKUP + "/content").status()).isEqualTo(404);
    assertThat(lifeboat.delete(OPERATOR, BACKUP).status()).isEqualTo(404);
    assertForbidden(lifeboat.get(OPERATOR, "/api/tasks"));
    assertForbidden(lifeboat.get(OPERATOR, "/api/audit"));
    assertForbidden(lifeboat.get(OPERATOR, "/api/audit/export?format=json"));
    assertForbidden(lifeboat.get(OPERATOR, "/api/audit/verify"));
  }

  @Test
  void adminMayDoEverything() {
    assertThat(lifeboat.post(ADMIN, "/api/runs", START).status()).isEqualTo(201);
    assertThat(lifeboat.get(ADMIN, BACKUP + "/content").status()).isEqualTo(404);
    assertThat(lifeboat.get(ADMIN, "/api/runs").status()).isEqualTo(200);
    assertThat(lifeboat.get(ADMIN, OUTPUT).status()).isEqualTo(404);
    assertThat(lifeboat.get(ADMIN, "/api/audit").status()).isEqualTo(200);
    assertThat(lifeboat.get(ADMIN, "/api/audit/verify").status()).isEqualTo(200);
  }

  private static void assertForbidden(Response response) {
    assertThat(response.status()).as(response.toString()).isEqualTo(403);
    assertThat(response.body()).contains("your role does not allow");
  }

  private java.util.List<Function<String, Response>> calls() {
    return java.util.List.of(
        u -> lifeboat.get(u, "/api/runbooks"),
        u -> lifeboat.get(u, "/api/runs"),
        u -> lifeboat.get(u, "/api/runs/x"),
        u -> lifeboat.get(u, OUTPUT),
        u -> lifeboat.post(u, "/api/runs", START),
        u -> lifeboat.post(u, "/api/runs/x/cancel", Map.of()),
        u -> lifeboat.get(u, "/api/backups"),
        u -> lifeboat.get(u, BACKUP),
        u -> lifeboat.get(u, BACKUP + "/content"),
        u -> lifeboat.postBytes(u, "/api/backups", new byte[] {1}),
        u -> lifeboat.delete(u, BACKUP),
        u -> lifeboat.get(u, "/api/tasks"),
        u -> lifeboat.get(u, "/api/audit"),
        u -> lifeboat.get(u, "/api/audit/export?format=csv"),
        u -> lifeboat.get(u, "/api/audit/verify"));
  }
}
