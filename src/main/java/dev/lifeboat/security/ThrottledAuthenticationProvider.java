package dev.lifeboat.security;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Password logins, from the login form and HTTP Basic alike, behind the login throttle: while the
 * user name or the client address is locked, an attempt is refused before its password is looked
 * at; every password that is checked counts, as a failure or as a success that resets the counts.
 */
final class ThrottledAuthenticationProvider implements AuthenticationProvider {

  private final AuthenticationProvider passwords;
  private final LoginThrottle throttle;

  ThrottledAuthenticationProvider(AuthenticationProvider passwords, LoginThrottle throttle) {
    this.passwords = passwords;
    this.throttle = throttle;
  }

  @Override
  public Authentication authenticate(Authentication attempt) {
    String remoteAddress = attempt.getDetails() instanceof WebAuthenticationDetails web ? web.getRemoteAddress() : null;
    LoginThrottle.Admission admission = throttle.admit(attempt.getName(), remoteAddress);
    Authentication authenticated;
    try {
      authenticated = passwords.authenticate(attempt);
    } catch (BadCredentialsException | UsernameNotFoundException wrong) {
      throttle.failed(admission);
      throw wrong;
    }
    throttle.succeeded(admission);
    return authenticated;
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return passwords.supports(authentication);
  }
}
