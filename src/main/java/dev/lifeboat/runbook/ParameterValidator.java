package dev.lifeboat.runbook;

import dev.lifeboat.catalog.BackupCatalog;
import dev.lifeboat.credentials.Credentials;
import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Checks a run's parameters against its runbook's declaration before anything starts, and turns
 * them into typed values (booleans, numbers, ISO durations) with defaults filled in.
 */
@Component
public class ParameterValidator {

  private static final Pattern HOST = Pattern.compile("^[A-Za-z0-9._\\-]+(:[0-9]{1,5})?$|^\\[[0-9a-fA-F:]+](:[0-9]{1,5})?$");

  private final Credentials credentials;
  private final BackupCatalog catalog;

  ParameterValidator(Credentials credentials, BackupCatalog catalog) {
    this.credentials = credentials;
    this.catalog = catalog;
  }

  public Map<String, Object> validate(Runbook runbook, Map<String, ?> given) {
    Map<String, ?> input = given == null ? Map.of() : given;
    List<String> problems = new ArrayList<>();
    for (String name : input.keySet()) {
      if (runbook.parameter(name).isEmpty()) {
        problems.add("unknown parameter '" + name + "' (this runbook takes: "
            + String.join(", ", runbook.parameters().stream().map(RunbookParameter::name).toList()) + ")");
      }
    }
    Map<String, Object> values = new LinkedHashMap<>();
    for (RunbookParameter parameter : runbook.parameters()) {
      Object raw = input.get(parameter.name());
      String text = raw == null ? null : String.valueOf(raw).strip();
      if (text == null || text.isEmpty()) {
        if (parameter.required()) {
          problems.add("missing required parameter '" + parameter.name() + "': " + parameter.description());
          continue;
        }
        text = parameter.defaultValue();
        if (text == null) {
          continue;
        }
      }
      try {
        values.put(parameter.name(), convert(parameter, text));
      } catch (IllegalArgumentException e) {
        problems.add("parameter '" + parameter.name() + "': " + e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidParametersException(runbook.id(), problems);
    }
    return values;
  }

  private Object convert(RunbookParameter parameter, String text) {
    return switch (parameter.type()) {
      case STRING -> text;
      case BOOLEAN -> switch (text.toLowerCase(Locale.ROOT)) {
        case "true", "yes" -> true;
        case "false", "no" -> false;
        default -> throw new IllegalArgumentException("'" + text + "' is not true or false");
      };
      case INTEGER -> {
        try {
          yield Long.parseLong(text);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("'" + text + "' is not a whole number");
        }
      }
      case DURATION -> {
        try {
          Duration duration = Duration.parse(text);
          if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("must be longer than zero");
          }
          yield duration.toString();
        } catch (DateTimeParseException e) {
          throw new IllegalArgumentException("'" + text + "' is not an ISO-8601 duration such as PT24H or PT30M");
        }
      }
      case ENDPOINTS -> endpoints(text);
      case COMMAND -> {
        if (text.contains("\0") || text.contains("\n") || text.contains("\r")) {
          throw new IllegalArgumentException("must be one command line, without line breaks");
        }
        yield text;
      }
      case HOST -> {
        if (!HOST.matcher(text).matches()) {
          throw new IllegalArgumentException("'" + text + "' is not host or host:port");
        }
        yield text;
      }
      case CREDENTIAL_REF -> {
        if (!credentials.exists(text)) {
          throw new IllegalArgumentException("no credentials named '" + text
              + "' are configured (add lifeboat.credentials." + text + "; configured: "
              + String.join(", ", credentials.names()) + ")");
        }
        yield text;
      }
      case BACKUP_ID -> {
        if (catalog.find(text).isEmpty()) {
          throw new IllegalArgumentException("no backup '" + text + "' in the catalogue (GET /api/backups lists them)");
        }
        yield text;
      }
      case PATH -> {
        if (!text.startsWith("/") || text.contains("\0") || text.contains("\n")) {
          throw new IllegalArgumentException("'" + text + "' is not an absolute path");
        }
        if (text.replaceAll("/+$", "").isEmpty() || ("/" + text + "/").matches(".*/\\.{1,2}/.*")) {
          throw new IllegalArgumentException("'" + text + "' must name a directory below / without '.' or '..' parts");
        }
        yield text;
      }
    };
  }

  private static String endpoints(String text) {
    List<String> urls = new ArrayList<>();
    for (String part : text.split(",")) {
      String url = part.strip();
      if (url.isEmpty()) {
        continue;
      }
      URI uri;
      try {
        uri = URI.create(url);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("'" + url + "' is not a URL");
      }
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          || uri.getHost() == null || uri.getPort() < 0) {
        throw new IllegalArgumentException(
            "'" + url + "' is not a client URL such as http://10.0.0.5:2379 or https://etcd-0:2379");
      }
      urls.add(url);
    }
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("give at least one client URL");
    }
    return String.join(",", urls);
  }
}
