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
    return login(null, null, model);
  }

  /** Spring Security forwards here with status 403 when a role does not allow a page or action. */
  @RequestMapping("/denied")
  String denied() {
    return "denied";
  }
}
