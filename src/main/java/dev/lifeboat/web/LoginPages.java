package dev.lifeboat.web;

import dev.lifeboat.security.LoginThrottledException;
import dev.lifeboat.security.OidcProperties;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.WebAttributes;
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

  /**
   * The login form again, with status 429 and when to retry, for a login the login throttle
   * refused: the form login's failure handler forwards here (WebSecurityConfiguration).
   */
  @RequestMapping("/login/throttled")
  String throttled(HttpServletRequest request, HttpServletResponse response, Model model) {
    if (!(request.getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION) instanceof LoginThrottledException throttled)) {
      return "redirect:/login";
    }
    response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
    response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(throttled.retryAfterSeconds()));
    model.addAttribute("retryAfter", throttled.retryAfterSeconds());
    model.addAttribute("retryAt", throttled.retryAt());
    return login(model);
  }

  /** Spring Security forwards here with status 403 when a role does not allow a page or action. */
  @RequestMapping("/denied")
  String denied() {
    return "denied";
  }
}
