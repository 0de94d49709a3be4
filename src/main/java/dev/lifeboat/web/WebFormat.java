package dev.lifeboat.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.runbook.Age;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.springframework.stereotype.Component;

/** Formatting for the templates ({@code ${@fmt.bytes(size)}}): sizes, UTC times, durations. */
@Component("fmt")
class WebFormat {

  private final ObjectMapper json;

  WebFormat(ObjectMapper json) {
    this.json = json;
  }

  /** Details as compact JSON, as the API and the JSON export show them. */
  public String json(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      return String.valueOf(value);
    }
  }

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
      .withZone(ZoneOffset.UTC);
  private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};

  public String bytes(Number value) {
    if (value == null) {
      return "";
    }
    double size = value.doubleValue();
    int unit = 0;
    while (size >= 1024 && unit < UNITS.length - 1) {
      size /= 1024;
      unit++;
    }
    return unit == 0 ? (long) size + " B" : String.format(Locale.ROOT, "%.1f %s", size, UNITS[unit]);
  }

  public String time(Instant instant) {
    return instant == null ? "" : TIME.format(instant);
  }

  /** Machine-readable form for {@code <time datetime=...>}. */
  public String iso(Instant instant) {
    return instant == null ? "" : instant.toString();
  }

  public String duration(Instant from, Instant to) {
    if (from == null) {
      return "";
    }
    Duration d = Duration.between(from, to == null ? Instant.now() : to);
    long seconds = d.toSeconds();
    if (seconds < 1) {
      return d.toMillis() + " ms";
    }
    if (seconds < 60) {
      return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
    if (seconds < 3600) {
      return (seconds / 60) + " min " + (seconds % 60) + " s";
    }
    return (seconds / 3600) + " h " + (seconds % 3600 / 60) + " min";
  }

  public String age(Instant instant) {
    return Age.since(instant, Instant.now());
  }


  /** The status as a CSS class suffix and readable words: WAITING_FOR_APPROVAL -> waiting-for-approval. */
  public String css(Enum<?> status) {
    return status == null ? "" : status.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** A camelCase key as words for a label: snapshotSha256 -> "Snapshot sha256". */
  public String label(String key) {
    if (key == null || key.isEmpty()) {
      return "";
    }
    String words = key.replaceAll("([a-z0-9])([A-Z])", "$1 $2").replace('_', ' ').toLowerCase(Locale.ROOT);
    return Character.toUpperCase(words.charAt(0)) + words.substring(1);
  }

  /** One evidence value as text: lists joined with commas, nothing as a dash; never a map's toString. */
  public String value(Object value) {
    if (value == null) {
      return "—";
    }
    if (value instanceof java.util.Collection<?> list) {
      return String.join(", ", list.stream().map(this::value).toList());
    }
    if (value instanceof java.util.Map<?, ?>) {
      return json(value);
    }
    return value.toString();
  }

  public String words(Enum<?> status) {
    return status == null ? "" : status.name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }
}
