package dev.lifeboat.testsupport;

import java.io.IOException;
import java.net.CookieManager;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser-like session against the web UI without a browser: cookies, form login, the CSRF
 * token taken from the last page, redirects not followed (so tests see them).
 */
public final class WebSession {

  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

  private final String baseUrl;
  private final HttpClient http;
  private String csrf;

  public WebSession(String baseUrl) {
    this(baseUrl, null);
  }

  /** A session from {@code localAddress} (e.g. 127.0.0.2: any 127/8 address is loopback), or the default one when null. */
  public WebSession(String baseUrl, InetAddress localAddress) {
    this.baseUrl = baseUrl;
    HttpClient.Builder http = HttpClient.newBuilder()
        .cookieHandler(new CookieManager())
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(5));
    if (localAddress != null) {
      http.localAddress(localAddress);
    }
    this.http = http.build();
  }

  /** Logs in through the login form; fails the test unless it lands on the overview. */
  public static WebSession loggedIn(LifeboatApp app, String user) {
    WebSession session = new WebSession(app.baseUrl());
    Page login = session.login(user, LifeboatApp.password(user));
    if (login.status() != 302 || !login.location().endsWith("/")) {
      throw new AssertionError("login as " + user + " -> " + login.status() + " " + login.location());
    }
    return session;
  }

  public Page login(String user, String password) {
    get("/login");
    Page response = post("/login", Map.of("username", user, "password", password), true);
    if (response.status() == 302 && !response.location().contains("error")) {
      get("/"); // a login issues a new CSRF token; pick it up
    }
    return response;
  }

  public Page get(String path) {
    return get(path, Map.of());
  }

  public Page get(String path, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).GET();
    headers.forEach(request::header);
    return send(request);
  }

  /** A form POST, with the session's CSRF token when {@code withCsrf}. */
  public Page post(String path, Map<String, String> form, boolean withCsrf) {
    Map<String, String> fields = new LinkedHashMap<>(form);
    if (withCsrf) {
      if (csrf == null) {
        get("/login");
      }
      fields.put("_csrf", csrf);
    }
    String body = fields.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private Page send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      Matcher m = CSRF.matcher(response.body());
      if (m.find()) {
        csrf = m.group(1);
      }
      return new Page(response.statusCode(), response.body(), response.headers().firstValue("Location").orElse(""),
          response.headers().map().entrySet().stream()
              .collect(Collectors.toMap(Map.Entry::getKey, e -> String.join(",", e.getValue()))));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public record Page(int status, String body, String location, Map<String, String> headers) {
    @Override
    public String toString() {
      return status + (location.isEmpty() ? "" : " -> " + location) + ": "
          + (body.length() > 300 ? body.substring(0, 300) + "…" : body);
    }
  }
}
