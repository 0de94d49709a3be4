package dev.lifeboat.security;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Optional OpenID Connect login for the web UI. Off unless {@code enabled}; the client secret is
 * read from a file, never written in configuration. {@code rolesClaim} names the ID token or
 * user-info claim that lists the user's groups or roles; {@code roleMapping} maps its values to
 * Lifeboat roles (a value equal to a role name, in any case, maps to that role without an entry).
 */
@ConfigurationProperties("lifeboat.security.oidc")
public record OidcProperties(
    @DefaultValue("false") boolean enabled,
    String issuerUri,
    String clientId,
    Path clientSecretFile,
    @DefaultValue({"openid", "profile", "email"}) List<String> scopes,
    @DefaultValue("roles") String rolesClaim,
    @DefaultValue("preferred_username") String usernameClaim,
    @DefaultValue Map<String, Role> roleMapping,
    @DefaultValue("Single sign-on") String displayName) {

  static final String REGISTRATION_ID = "oidc";
}
