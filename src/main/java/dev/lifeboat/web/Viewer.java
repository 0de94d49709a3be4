package dev.lifeboat.web;

import dev.lifeboat.security.Role;
import java.util.Arrays;
import org.springframework.security.core.Authentication;

/** What the logged-in person may do, for showing only the buttons they can use. */
final class Viewer {

  private Viewer() {}

  static boolean hasAny(Authentication user, Role... roles) {
    return user != null && user.getAuthorities().stream()
        .anyMatch(a -> Arrays.stream(roles).anyMatch(r -> r.authority().equals(a.getAuthority())));
  }

  static boolean operates(Authentication user) {
    return hasAny(user, Role.OPERATOR, Role.ADMIN);
  }
}
