package dev.lifeboat.security;

import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.authority.mapping.GrantedAuthoritiesMapper;
import org.springframework.security.oauth2.core.oidc.user.OidcUserAuthority;

/**
 * Turns the identity provider's roles claim into Lifeboat roles. Only mapped values count: a user
 * whose claim names nothing Lifeboat knows logs in but may open no page (403), which is safer
 * than guessing.
 */
final class OidcRoleMapper implements GrantedAuthoritiesMapper {

  private final String claim;
  private final Map<String, Role> mapping;

  OidcRoleMapper(OidcProperties properties) {
    this.claim = properties.rolesClaim();
    this.mapping = properties.roleMapping();
  }

  @Override
  public Collection<? extends GrantedAuthority> mapAuthorities(Collection<? extends GrantedAuthority> authorities) {
    Set<GrantedAuthority> mapped = new LinkedHashSet<>();
    for (GrantedAuthority authority : authorities) {
      if (authority instanceof OidcUserAuthority oidc) {
        Object value = oidc.getUserInfo() != null && oidc.getUserInfo().getClaim(claim) != null
            ? oidc.getUserInfo().getClaim(claim)
            : oidc.getIdToken().getClaim(claim);
        roles(value).forEach(role -> mapped.add(new SimpleGrantedAuthority(role.authority())));
      }
    }
    return mapped;
  }

  Set<Role> roles(Object claimValue) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    if (claimValue instanceof Collection<?> values) {
      values.forEach(v -> add(roles, String.valueOf(v)));
    } else if (claimValue instanceof String text) {
      // Some providers send one space- or comma-separated string instead of an array.
      for (String v : text.split("[,\\s]+")) {
        add(roles, v);
      }
    }
    return roles;
  }

  private void add(Set<Role> roles, String value) {
    Role role = mapping.get(value);
    if (role == null) {
      for (Role candidate : Role.values()) {
        if (candidate.name().equals(value.toUpperCase(Locale.ROOT))) {
          role = candidate;
        }
      }
    }
    if (role != null) {
      roles.add(role);
    }
  }
}
