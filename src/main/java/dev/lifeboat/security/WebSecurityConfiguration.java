package dev.lifeboat.security;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.DelegatingAuthenticationFailureHandler;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;

/**
 * The web UI: everything that is neither /api nor /actuator. Form login at /login (or OpenID
 * Connect when configured), sessions with CSRF protection, and the same roles as the API, page by
 * page (README, "Web UI").
 */
@Configuration(proxyBeanMethods = false)
class WebSecurityConfiguration {

  private static final String OPERATOR = Role.OPERATOR.name();
  private static final String APPROVER = Role.APPROVER.name();
  private static final String AUDITOR = Role.AUDITOR.name();
  private static final String ADMIN = Role.ADMIN.name();
  /** Reached by a forward from the login's failure handler, which leaves the exception as a request attribute. */
  private static final String THROTTLED_PAGE = "/login/throttled";

  @Bean
  SecurityFilterChain web(HttpSecurity http, OidcProperties oidc,
      ObjectProvider<ClientRegistrationRepository> registrations) throws Exception {
    PathPatternRequestMatcher.Builder path = PathPatternRequestMatcher.withDefaults();
    http.securityMatcher(new NegatedRequestMatcher(new OrRequestMatcher(path.matcher("/api/**"), path.matcher("/actuator/**"))))
        .authorizeHttpRequests(auth -> auth
            .dispatcherTypeMatchers(DispatcherType.FORWARD, DispatcherType.ERROR).permitAll()
            .requestMatchers("/login", "/denied", "/css/**", "/js/**", "/webjars/**", "/favicon.ico").permitAll()
            .requestMatchers("/runbooks", "/runbooks/**").hasAnyRole(OPERATOR, ADMIN)
            .requestMatchers(HttpMethod.POST, "/runs/*/cancel", "/runs/*/resume").hasAnyRole(OPERATOR, ADMIN)
            .requestMatchers(HttpMethod.GET, "/", "/runs", "/runs/**").hasAnyRole(OPERATOR, APPROVER, AUDITOR, ADMIN)
            .requestMatchers(HttpMethod.POST, "/schedules", "/schedules/**", "/retention/prune").hasAnyRole(OPERATOR, ADMIN)
            .requestMatchers(HttpMethod.GET, "/schedules/new").hasAnyRole(OPERATOR, ADMIN)
            .requestMatchers(HttpMethod.GET, "/schedules", "/schedules/**", "/retention")
                .hasAnyRole(OPERATOR, APPROVER, AUDITOR, ADMIN)
            .requestMatchers("/tasks", "/tasks/**").hasAnyRole(APPROVER, ADMIN)
            .requestMatchers("/audit", "/audit/**").hasAnyRole(AUDITOR, ADMIN)
            .requestMatchers(HttpMethod.GET, "/backups/*/content", "/backups/*/delete").hasAnyRole(OPERATOR, ADMIN)
            .requestMatchers(HttpMethod.POST, "/backups", "/backups/**").hasAnyRole(OPERATOR, ADMIN)
            .requestMatchers(HttpMethod.GET, "/backups", "/backups/*").hasAnyRole(OPERATOR, APPROVER, AUDITOR, ADMIN)
            .anyRequest().hasRole(ADMIN))
        .formLogin(form -> form.loginPage("/login").defaultSuccessUrl("/", false).failureHandler(loginFailure()))
        .logout(logout -> logout.logoutUrl("/logout").logoutSuccessUrl("/login?logout"))
        .exceptionHandling(e -> e.accessDeniedPage("/denied").authenticationEntryPoint(loginOrHtmxRedirect()))
        .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
                + " form-action 'self'; frame-ancestors 'none'; base-uri 'self'")));
    if (oidc.enabled()) {
      http.oauth2Login(login -> login
          .loginPage("/login")
          .clientRegistrationRepository(registrations.getObject())
          .userInfoEndpoint(userInfo -> userInfo.userAuthoritiesMapper(new OidcRoleMapper(oidc)))
          .defaultSuccessUrl("/", false)
          .failureUrl("/login?error"));
    }
    return http.build();
  }

  /**
   * A wrong password goes back to /login?error. A login refused by the login throttle is
   * forwarded to /login/throttled, which shows the form again with status 429 and when to retry.
   */
  private static AuthenticationFailureHandler loginFailure() {
    SimpleUrlAuthenticationFailureHandler throttled = new SimpleUrlAuthenticationFailureHandler(THROTTLED_PAGE);
    throttled.setUseForward(true);
    LinkedHashMap<Class<? extends AuthenticationException>, AuthenticationFailureHandler> handlers = new LinkedHashMap<>();
    handlers.put(LoginThrottledException.class, throttled);
    return new DelegatingAuthenticationFailureHandler(handlers, new SimpleUrlAuthenticationFailureHandler("/login?error"));
  }

  /**
   * An htmx poll whose session has expired must not swap the login page into the run page: it
   * gets 401 and an HX-Redirect to /login, which htmx follows as a full page load.
   */
  private static AuthenticationEntryPoint loginOrHtmxRedirect() {
    LoginUrlAuthenticationEntryPoint login = new LoginUrlAuthenticationEntryPoint("/login");
    return (request, response, exception) -> {
      if ("true".equals(request.getHeader("HX-Request"))) {
        response.setHeader("HX-Redirect", request.getContextPath() + "/login");
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
      } else {
        login.commence(request, response, exception);
      }
    };
  }

  /** Discovers the provider from its issuer URI at start-up; only when OIDC is enabled. */
  @Bean
  @ConditionalOnProperty(name = "lifeboat.security.oidc.enabled", havingValue = "true")
  ClientRegistrationRepository oidcClientRegistrations(OidcProperties oidc) {
    if (oidc.issuerUri() == null || oidc.clientId() == null || oidc.clientSecretFile() == null) {
      throw new IllegalStateException("lifeboat.security.oidc.enabled=true needs issuer-uri, client-id and"
          + " client-secret-file (see README, \"Web UI\")");
    }
    String secret;
    try {
      secret = Files.readString(oidc.clientSecretFile()).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read lifeboat.security.oidc.client-secret-file "
          + oidc.clientSecretFile() + ": " + e.getMessage(), e);
    }
    ClientRegistration registration = ClientRegistrations.fromIssuerLocation(oidc.issuerUri())
        .registrationId(OidcProperties.REGISTRATION_ID)
        .clientId(oidc.clientId())
        .clientSecret(secret)
        .scope(oidc.scopes())
        .userNameAttributeName(oidc.usernameClaim())
        .clientName(oidc.displayName())
        .build();
    return new InMemoryClientRegistrationRepository(registration);
  }
}
