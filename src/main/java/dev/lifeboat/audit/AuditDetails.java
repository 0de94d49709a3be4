package dev.lifeboat.audit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Makes what goes into an event safe to keep and show: no secret values, no control characters. */
final class AuditDetails {

  static final String MASK = "[masked]";
  private static final List<String> SECRET_KEYS = List.of(
      "password", "passwd", "passphrase", "secret", "token", "privatekey", "apikey", "accesskey");

  private AuditDetails() {}

  /** Key-value pairs in order, leaving out null values: {@code of("status", s, "message", m)}. */
  static Map<String, Object> of(Object... keysAndValues) {
    Map<String, Object> details = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      if (keysAndValues[i + 1] != null) {
        details.put((String) keysAndValues[i], keysAndValues[i + 1]);
      }
    }
    return details;
  }

  /** A copy in which every value under a key that looks like a secret (at any depth) is masked. */
  static Map<String, Object> masked(Map<String, ?> details) {
    Map<String, Object> copy = new LinkedHashMap<>();
    if (details != null) {
      details.forEach((key, value) -> copy.put(key, isSecretKey(key) && value != null ? MASK : maskedValue(value)));
    }
    return copy;
  }

  static boolean isSecretKey(String key) {
    String normalized = key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    return SECRET_KEYS.stream().anyMatch(normalized::contains);
  }

  @SuppressWarnings("unchecked")
  private static Object maskedValue(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> stringKeyed = new LinkedHashMap<>();
      map.forEach((k, v) -> stringKeyed.put(String.valueOf(k), v));
      return masked(stringKeyed);
    }
    if (value instanceof Collection<?> values) {
      List<Object> copy = new ArrayList<>(values.size());
      values.forEach(v -> copy.add(maskedValue(v)));
      return copy;
    }
    return value;
  }

  /**
   * A short field (actor, step, runbook) as stored: control characters replaced, at most
   * {@code max} characters. Failed logins put whatever a client sent as user name here.
   */
  static String field(String value, int max) {
    if (value == null) {
      return null;
    }
    String clean = value.codePoints()
        .map(c -> Character.isISOControl(c) ? '\uFFFD' : c)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
        .toString();
    return clean.length() <= max ? clean : clean.substring(0, max - 1) + "…";
  }
}
