package dev.lifeboat.web;

import dev.lifeboat.security.OidcProperties;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;

@Controller
class LoginPages {

  private final OidcProperties oidc;

  LoginPages(OidcProperties oidc) {
    this.oidc = oidc;
  }

  @GetMapping("/login")
  String login(Model model) {
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
