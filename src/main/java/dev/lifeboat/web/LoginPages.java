package dev.lifeboat.web;

import dev.lifeboat.security.OidcProperties;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

@Controller
class LoginPages {

  private final OidcProperties oidc;

  LoginPages(OidcProperties oidc) {
    this.oidc = oidc;
  }

  /** Spring Security sends {@code ?error} after a refused login and {@code ?logout} after logging out. */
  @GetMapping("/login")
  String login(@RequestParam(required = false) String error, @RequestParam(required = false) String logout,
      Model model) {
    model.addAttribute("loginFailed", error != null);
    model.addAttribute("loggedOut", logout != null);
    model.addAttribute("oidc", oidc.enabled());
    model.addAttribute("oidcName", oidc.displayName());
    return "login";
  }

  /** Spring Security forwards here with status 403 when a role does not allow a page or action. */
  @RequestMapping("/denied")
  String denied() {
    return "denied";
  }
}
