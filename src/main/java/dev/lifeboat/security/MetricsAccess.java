package dev.lifeboat.security;

import jakarta.validation.constraints.NotNull;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.util.matcher.IpAddressMatcher;
import org.springframework.stereotype.Component;
import org.springframework.validation.annotation.Validated;

/**
 * Who may scrape {@code /actuator/prometheus}: anybody from {@code lifeboat.metrics.allowed-addresses}
 * (addresses or CIDR ranges; default the loopback interface), and users with any role from anywhere.
 */
@Component
class MetricsAccess {

  @Validated
  @ConfigurationProperties("lifeboat.metrics")
  record MetricsProperties(@NotNull @DefaultValue({"127.0.0.0/8", "::1"}) List<String> allowedAddresses) {}

  private final List<IpAddressMatcher> allowed;

  MetricsAccess(MetricsProperties properties) {
    this.allowed = properties.allowedAddresses().stream().map(String::strip).filter(a -> !a.isEmpty())
        .map(IpAddressMatcher::new).toList();
  }

  AuthorizationManager<RequestAuthorizationContext> access() {
    return (Supplier<Authentication> authentication, RequestAuthorizationContext context) -> {
      String address = context.getRequest().getRemoteAddr();
      if (allowed.stream().anyMatch(m -> m.matches(address))) {
        return new AuthorizationDecision(true);
      }
      Authentication user = authentication.get();
      boolean hasRole = user != null && user.isAuthenticated() && user.getAuthorities().stream()
          .map(GrantedAuthority::getAuthority)
          .anyMatch(a -> a.startsWith("ROLE_") && Role.isRole(a.substring(5)));
      return new AuthorizationDecision(hasRole);
    };
  }
}
