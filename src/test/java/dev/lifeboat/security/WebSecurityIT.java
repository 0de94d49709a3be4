package dev.lifeboat.security;

import static dev.lifeboat.testsupport.LifeboatApp.ADMIN;
import static dev.lifeboat.testsupport.LifeboatApp.APPROVER;
import static dev.lifeboat.testsupport.LifeboatApp.AUDITOR;
import static dev.lifeboat.testsupport.LifeboatApp.OPERATOR;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.testsupport.FreePorts;
import dev.lifeboat.testsupport.LifeboatApp;
import dev.lifeboat.testsupport.WebSession;
import dev.lifeboat.testsupport.WebSession.Page;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.web.ServerProperties;

/**
 * The web UI's security, page by page and role by role: anonymous visitors are sent to /login,
 * a role that may not see a page gets the 403 page, forms without the CSRF token are refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebSecurityIT {

  private static final List<String> USERS = List.of(OPERATOR, APPROVER, AUDITOR, ADMIN);
  private static final Set<String> EVERYONE = Set.copyOf(USERS);
  private static final Set<String> OPERATORS = Set.of(OPERATOR, ADMIN);
  private static final String NO_BACKUP = "/backups/20260101-000000.abc";

  LifeboatApp lifeboat;
  String runId;
  Map<String, WebSession> sessions = new LinkedHashMap<>();

  @BeforeAll
  void start(@TempDir Path temp) {
    lifeboat = LifeboatApp.start(temp, Map.of());
    // A run that fails fast (nothing listens there), for the run pages.
    runId = lifeboat.startRun(OPERATOR, "etcd-snapshot", Map.of("endpoints", "http://127.0.0.1:" + FreePorts.next()));
    for (String user : USERS) {
      sessions.put(user, WebSession.loggedIn(lifeboat, user));
    }
  }

  @AfterAll
  void stop() {
    lifeboat.close();
  }

  /** Each page and who may open it; everyone else gets 403, anonymous visitors the login page. */
  Map<String, Set<String>> pages() {
    Map<String, Set<String>> pages = new LinkedHashMap<>();
    pages.put("/", EVERYONE);
    pages.put("/notifications", Set.of(ADMIN));
    pages.put("/runbooks", OPERATORS);
    pages.put("/runbooks/etcd-snapshot", OPERATORS);
    pages.put("/runs", EVERYONE);
    pages.put("/runs?status=FAILED&runbook=etcd-snapshot&page=0", EVERYONE);
    pages.put("/runs/" + runId, EVERYONE);
    pages.put("/runs/" + runId + "/live", EVERYONE);
    pages.put("/runs/" + runId + "/output?step=Task_CheckCluster", EVERYONE);
    pages.put("/runs/" + runId + "/output/live?step=Task_CheckCluster", EVERYONE);
    pages.put("/backups", EVERYONE);
    pages.put("/tasks", Set.of(APPROVER, ADMIN));
    pages.put("/audit", Set.of(AUDITOR, ADMIN));
    pages.put("/audit?actor=olivia&action=run.started&from=2026-01-01T00:00", Set.of(AUDITOR, ADMIN));
    pages.put("/audit/verify", Set.of(AUDITOR, ADMIN));
    pages.put("/audit/export?format=csv", Set.of(AUDITOR, ADMIN));
    pages.put("/audit/export?format=json&runId=" + runId, Set.of(AUDITOR, ADMIN));
    pages.put("/audit/runs/" + runId, Set.of(AUDITOR, ADMIN));
    return pages;
  }

  @Test
  void anonymousVisitorsAreSentToTheLoginPage() {
    WebSession anonymous = new WebSession(lifeboat.baseUrl());
    for (String page : pages().keySet()) {
      Page response = anonymous.get(page);
      assertThat(response.status()).as(page).isEqualTo(302);
      assertThat(response.location()).as(page).endsWith("/login");
    }
    for (String page : List.of("/tasks", "/audit", NO_BACKUP, NO_BACKUP + "/content")) {
      assertThat(anonymous.get(page).location()).as(page).endsWith("/login");
    }
    Page login = anonymous.get("/login");
    assertThat(login.status()).isEqualTo(200);
    assertThat(login.body()).contains("<label for=\"username\">", "<label for=\"password\">", "name=\"_csrf\"");
    assertThat(anonymous.get("/css/lifeboat.css").status()).isEqualTo(200);
    assertThat(anonymous.get("/webjars/htmx.org/dist/htmx.min.js").status()).isEqualTo(200);
  }

  @Test
  void eachPageOpensForItsRolesAndShowsTheOthersA403Page() {
    pages().forEach((page, allowed) -> {
      for (String user : USERS) {
        Page response = sessions.get(user).get(page);
        if (allowed.contains(user)) {
          assertThat(response.status()).as(user + " GET " + page + ": " + response).isEqualTo(200);
          assertThat(response.body()).as(user + " GET " + page).doesNotContain("Not allowed");
        } else {
          assertForbidden(user + " GET " + page, response);
        }
      }
    });
  }

  @Test
  void backupPagesCheckRolesBeforeLookingUpTheBackup() {
    for (String user : USERS) {
      Page details = sessions.get(user).get(NO_BACKUP);
      assertThat(details.status()).as(user).isEqualTo(404); // anyone may look; there is none
      assertThat(details.body()).contains("20260101-000000.abc");
      for (String page : List.of(NO_BACKUP + "/content", NO_BACKUP + "/delete")) {
        Page response = sessions.get(user).get(page);
        if (OPERATORS.contains(user)) {
          assertThat(response.status()).as(user + " " + page).isEqualTo(404);
        } else {
          assertForbidden(user + " " + page, response);
        }
      }
    }
    assertForbidden("auditor delete", sessions.get(AUDITOR).post(NO_BACKUP + "/delete", Map.of(), true));
    assertForbidden("approver delete", sessions.get(APPROVER).post(NO_BACKUP + "/delete", Map.of(), true));
    assertThat(sessions.get(OPERATOR).post(NO_BACKUP + "/delete", Map.of(), true).status()).isEqualTo(404);
  }

  @Test
  void onlyApproversPostDecisionsAndOnlyWithTheToken() {
    Map<String, String> approve = Map.of("decision", "APPROVE", "comment", "ok");
    for (String user : List.of(OPERATOR, AUDITOR)) {
      assertForbidden(user + " decide", sessions.get(user).post("/tasks/1/decide", approve, true));
    }
    assertForbidden("approver without token", sessions.get(APPROVER).post("/tasks/1/decide", approve, false));
    assertThat(sessions.get(APPROVER).post("/tasks/1/decide", approve, true).status()).isEqualTo(404);
  }

  @Test
  void onlyOperatorsStartAndCancelRuns() {
    Map<String, String> form = Map.of("endpoints", "http://127.0.0.1:" + FreePorts.next());
    for (String user : List.of(APPROVER, AUDITOR)) {
      assertForbidden(user + " start", sessions.get(user).post("/runbooks/etcd-snapshot", form, true));
      assertForbidden(user + " cancel", sessions.get(user).post("/runs/" + runId + "/cancel", Map.of(), true));
    }
    Page started = sessions.get(OPERATOR).post("/runbooks/etcd-snapshot", form, true);
    assertThat(started.status()).as(started.toString()).isEqualTo(302);
    assertThat(started.location()).contains("/runs/");
  }

  @Test
  void formsWithoutTheCsrfTokenAreRefused() {
    WebSession operator = sessions.get(OPERATOR);
    Map<String, String> form = Map.of("endpoints", "http://127.0.0.1:" + FreePorts.next());
    int before = lifeboat.get(ADMIN, "/api/runs").json().size();
    assertForbidden("start without token", operator.post("/runbooks/etcd-snapshot", form, false));
    assertForbidden("cancel without token", operator.post("/runs/" + runId + "/cancel", Map.of(), false));
    assertForbidden("delete without token", operator.post(NO_BACKUP + "/delete", Map.of(), false));
    assertThat(lifeboat.get(ADMIN, "/api/runs").json().size()).isEqualTo(before);
    // A login form posted from elsewhere (no token) does not log anybody in.
    WebSession forged = new WebSession(lifeboat.baseUrl());
    Page login = forged.post("/login", Map.of("username", OPERATOR, "password", LifeboatApp.password(OPERATOR)), false);
    assertThat(login.status()).isEqualTo(403);
    assertThat(forged.get("/").location()).endsWith("/login");
  }

  @Test
  void wrongPasswordStaysOnTheLoginPageAndLogoutEndsTheSession() {
    WebSession wrong = new WebSession(lifeboat.baseUrl());
    Page refused = wrong.login(OPERATOR, "nope");
    assertThat(refused.location()).endsWith("/login?error");
    assertThat(wrong.get("/login?error").body()).contains("Wrong user name or password");

    WebSession session = WebSession.loggedIn(lifeboat, OPERATOR);
    assertThat(session.get("/").status()).isEqualTo(200);
    Page logout = session.post("/logout", Map.of(), true);
    assertThat(logout.location()).endsWith("/login?logout");
    assertThat(session.get("/").location()).endsWith("/login");
  }

  @Test
  void anExpiredSessionMakesHtmxPollsLoadTheLoginPage() {
    Page poll = new WebSession(lifeboat.baseUrl()).get("/runs/" + runId + "/live", Map.of("HX-Request", "true"));
    assertThat(poll.status()).isEqualTo(401);
    assertThat(poll.headers().get("hx-redirect")).isEqualTo("/login");
  }

  @Test
  void sessionsTimeOutAfterThirtyMinutesByDefault() {
    ServerProperties server = lifeboat.context().getBean(ServerProperties.class);
    assertThat(server.getServlet().getSession().getTimeout()).isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  void theApiStaysHttpBasicAndIgnoresWebSessions() {
    // The UI's session cookie is no API credential: the API answers 401 without Basic.
    Page api = sessions.get(ADMIN).get("/api/runs");
    assertThat(api.status()).isEqualTo(401);
    assertThat(lifeboat.get(ADMIN, "/api/runs").status()).isEqualTo(200);
  }

  private static void assertForbidden(String what, Page response) {
    assertThat(response.status()).as(what + ": " + response).isEqualTo(403);
    assertThat(response.body()).as(what).contains("Not allowed");
  }
}
