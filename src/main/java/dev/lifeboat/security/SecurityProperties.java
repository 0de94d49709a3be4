package dev.lifeboat.security;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Users of the embedded set-up. Passwords are in Spring's DelegatingPasswordEncoder form,
 * e.g. {@code {bcrypt}$2a$10$...}; {@code {noop}} is accepted for tests.
 */
@Validated
@ConfigurationProperties("lifeboat.security")
public record SecurityProperties(@DefaultValue List<@Valid User> users) {

  /** {@code email}: where notifications for this user's roles go (optional; see README, "Notifications"). */
  public record User(@NotBlank String username, @NotBlank String password, @NotEmpty Set<Role> roles,
      @Email String email) {}
}
