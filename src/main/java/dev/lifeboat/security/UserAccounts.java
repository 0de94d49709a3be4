package dev.lifeboat.security;

import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Who may log in: the users of {@code lifeboat.security.users} or, when none are configured, the
 * accounts in the database. On the very first start with neither, an {@code admin} account with a
 * random password is created; the password is printed once and only its hash is kept.
 */
class UserAccounts {

  private static final Logger log = LoggerFactory.getLogger(UserAccounts.class);

  private final SecurityProperties properties;
  private final JdbcClient jdbc;
  private final PasswordEncoder encoder;
  private final Clock clock;

  UserAccounts(SecurityProperties properties, JdbcClient jdbc, PasswordEncoder encoder, Clock clock) {
    this.properties = properties;
    this.jdbc = jdbc;
    this.encoder = encoder;
    this.clock = clock;
  }

  void createFirstAdminIfNobodyCanLogIn() {
    if (!properties.users().isEmpty()) {
      return;
    }
    long accounts = jdbc.sql("select count(*) from user_accounts").query(Long.class).single();
    if (accounts > 0) {
      return;
    }
    byte[] random = new byte[18];
    new SecureRandom().nextBytes(random);
    String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    jdbc.sql("insert into user_accounts (username, password_hash, roles, created_at) values (?, ?, ?, ?)")
        .params("admin", encoder.encode(password), Role.ADMIN.name(), Timestamp.from(clock.instant()))
        .update();
    log.warn("""

        ==================================================================
         No users are configured. Created user 'admin' with password:
             {}
         It is shown only this once; only its hash is stored.
         Configure lifeboat.security.users for real use (see README).
        ==================================================================""", password);
  }

  /** Who may log in now, with their roles: the configured users, else the database accounts. */
  Map<String, Set<Role>> roster() {
    Map<String, Set<Role>> users = new TreeMap<>();
    if (!properties.users().isEmpty()) {
      properties.users().forEach(u -> users.put(u.username(), new TreeSet<>(u.roles())));
      return users;
    }
    jdbc.sql("select username, roles from user_accounts")
        .query((rs, n) -> users.put(rs.getString(1), new TreeSet<>(roles(rs.getString(2)))))
        .list();
    return users;
  }

  /**
   * For the password logins (SecurityConfiguration#passwordLogins). Not a UserDetailsService bean:
   * Spring Security would build a second, unthrottled login path around one.
   */
  UserDetails loadUserByUsername(String username) {
    return find(username).orElseThrow(() -> new UsernameNotFoundException("unknown user"));
  }

  private Optional<UserDetails> find(String username) {
    if (!properties.users().isEmpty()) {
      return properties.users().stream()
          .filter(u -> u.username().equals(username))
          .findFirst()
          .map(u -> User.withUsername(u.username())
              .password(u.password())
              .authorities(u.roles().stream().map(Role::authority).toArray(String[]::new))
              .build());
    }
    return jdbc.sql("select username, password_hash, roles from user_accounts where username = ?")
        .param(username)
        .query((rs, n) -> User.withUsername(rs.getString(1))
            .password(rs.getString(2))
            .authorities(roles(rs.getString(3)).stream().map(Role::authority).toArray(String[]::new))
            .build())
        .optional();
  }

  private static List<Role> roles(String text) {
    return Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).map(Role::valueOf).toList();
  }
}
