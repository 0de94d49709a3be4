package dev.lifeboat.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.www.BasicAuthenticationEntryPoint;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Who may call what. Scripts use HTTP Basic on /api; everything but the health probe needs a
 * login. Rules are by role, endpoint by endpoint (see README, "Roles").
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

  private static final String OPERATOR = Role.OPERATOR.name();
  private static final String ADMIN = Role.ADMIN.name();
  private static final String APPROVER = Role.APPROVER.name();
  private static final String AUDITOR = Role.AUDITOR.name();

  @Bean
  SecurityFilterChain api(HttpSecurity http, ObjectMapper json, MetricsAccess metrics) throws Exception {
    http.securityMatcher("/api/**", "/actuator/**")
        .authorizeHttpRequests(auth -> auth
            .requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**").permitAll()
            .requestMatchers(HttpMethod.GET, "/actuator/prometheus").access(metrics.access())
            .requestMatchers(HttpMethod.POST, "/api/schedules", "/api/schedules/*/pause", "/api/schedules/*/resume")
                .hasAnyRole(OPERATOR, ADMIN)
            .requestMatchers(HttpMethod.PUT, "/api/schedules/*").hasAnyRole(OPERATOR, ADMIN)
            .requestMatchers(HttpMethod.DELETE, "/api/schedules/*").hasAnyRole(OPERATOR, ADMIN)
            .requestMatchers(HttpMethod.GET, "/api/backups/*/content").hasAnyRole(OPERATOR, ADMIN)
            .requestMatchers(HttpMethod.POST, "/api/backups").hasAnyRole(OPERATOR, ADMIN)
            .requestMatchers(HttpMethod.DELETE, "/api/backups/*").hasAnyRole(OPERATOR, ADMIN)
            // A platform's own view of its backups (/api/<platform>/backups) follows the same rules.
            .requestMatchers(HttpMethod.GET, "/api/*/backups/*/content").hasAnyRole(OPERATOR, ADMIN)
            .requestMatchers(HttpMethod.POST, "/api/*/backups").hasAnyRole(OPERATOR, ADMIN)
            .requestMatchers(HttpMethod.DELETE, "/api/*/backups/*").hasAnyRole(OPERATOR, ADMIN)
            .requestMatchers(HttpMethod.POST, "/api/runs", "/api/runs/*/cancel", "/api/runs/*/resume")
                .hasAnyRole(OPERATOR, ADMIN)
            .requestMatchers("/api/tasks", "/api/tasks/**").hasAnyRole(APPROVER, ADMIN)
            .requestMatchers("/api/audit", "/api/audit/**").hasAnyRole(AUDITOR, ADMIN)
            .requestMatchers("/api/notifications/**").hasRole(ADMIN)
            .requestMatchers(HttpMethod.GET, "/api/**").hasAnyRole(OPERATOR, APPROVER, AUDITOR, ADMIN)
            .anyRequest().hasRole(ADMIN))
        .httpBasic(basic -> basic.authenticationEntryPoint(unauthorizedOrThrottled(json)))
        .csrf(csrf -> csrf.disable()) // stateless Basic auth: no cookie to forge requests with
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .exceptionHandling(e -> e.accessDeniedHandler(forbidden(json)));
    return http.build();
  }

  private static AccessDeniedHandler forbidden(ObjectMapper json) {
    return (request, response, denied) -> {
      response.setStatus(HttpServletResponse.SC_FORBIDDEN);
      response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
      json.writeValue(response.getOutputStream(), Map.of(
          "type", "about:blank",
          "title", "Forbidden",
          "status", 403,
          "detail", "your role does not allow " + request.getMethod() + " " + request.getRequestURI()
              + " (see README, \"Roles\")",
          "instance", request.getRequestURI()));
    };
  }

  /**
   * HTTP Basic's answer to a refused login: 401 with the Basic challenge as before, or, when the
   * login throttle refused it, 429 with Retry-After and a problem detail saying when to retry.
   */
  private static AuthenticationEntryPoint unauthorizedOrThrottled(ObjectMapper json) {
    BasicAuthenticationEntryPoint basic = new BasicAuthenticationEntryPoint();
    basic.setRealmName("Realm");
    return (request, response, exception) -> {
      if (!(exception instanceof LoginThrottledException throttled)) {
        basic.commence(request, response, exception);
        return;
      }
      response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
      response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(throttled.retryAfterSeconds()));
      response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
      Map<String, Object> problem = new LinkedHashMap<>();
      problem.put("type", "about:blank");
      problem.put("title", "Too Many Requests");
      problem.put("status", HttpStatus.TOO_MANY_REQUESTS.value());
      problem.put("detail", "too many failed logins for this user name or from this address; try again in "
          + throttled.retryAfterSeconds() + " s, after " + throttled.retryAt() + " (see README, \"Login throttling\")");
      problem.put("instance", request.getRequestURI());
      problem.put("retryAfter", throttled.retryAfterSeconds());
      problem.put("retryAt", throttled.retryAt().toString());
      json.writeValue(response.getOutputStream(), problem);
    };
  }

  @Bean
  PasswordEncoder passwordEncoder() {
    return PasswordEncoderFactories.createDelegatingPasswordEncoder();
  }

  @Bean
  UserAccounts userAccounts(SecurityProperties properties, JdbcClient jdbc, PasswordEncoder encoder, Clock clock) {
    return new UserAccounts(properties, jdbc, encoder, clock);
  }

  /**
   * The one authentication provider of the form login and HTTP Basic: users and passwords from
   * {@link UserAccounts}, behind the login throttle.
   */
  @Bean
  AuthenticationProvider passwordLogins(UserAccounts accounts, PasswordEncoder encoder, LoginThrottle throttle) {
    DaoAuthenticationProvider passwords = new DaoAuthenticationProvider(accounts::loadUserByUsername);
    passwords.setPasswordEncoder(encoder);
    return new ThrottledAuthenticationProvider(passwords, throttle);
  }

  @Bean
  LoginThrottle loginThrottle(LoginThrottleProperties properties, JdbcClient jdbc,
      PlatformTransactionManager transactions, Clock clock, ApplicationEventPublisher events) {
    return new LoginThrottle(jdbc, transactions, new LoginThrottlePolicy(properties), clock, events);
  }

  @Bean
  FirstAdmin firstAdmin(UserAccounts accounts, ApplicationEventPublisher events) {
    return new FirstAdmin(accounts, events);
  }

  static final class FirstAdmin {
    private final UserAccounts accounts;
    private final ApplicationEventPublisher events;

    FirstAdmin(UserAccounts accounts, ApplicationEventPublisher events) {
      this.accounts = accounts;
      this.events = events;
    }

    /** Then the users are settled; the audit trail compares them with the last start's. */
    @EventListener(ApplicationReadyEvent.class)
    void create() {
      accounts.createFirstAdminIfNobodyCanLogIn();
      events.publishEvent(new UsersConfigured(accounts.roster()));
    }
  }
}
