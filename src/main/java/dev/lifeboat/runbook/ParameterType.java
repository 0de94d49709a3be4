package dev.lifeboat.runbook;

import dev.lifeboat.catalog.Backup;
import dev.lifeboat.credentials.CredentialKind;
import dev.lifeboat.runbook.ParameterInput.Choice;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a parameter holds. Each type is the one place that reads and checks a value a person typed
 * ({@link #parse}, for the API and the web form alike) and says how the start form asks for it
 * ({@link #input}).
 */
public enum ParameterType {
  STRING {
    @Override
    Object parse(RunbookParameter parameter, String text, ParameterLookups lookups) {
      return text;
    }

    @Override
    ParameterInput input(RunbookParameter parameter, ParameterLookups lookups) {
      return ParameterInput.text();
    }
  },
  BOOLEAN {
    @Override
    Object parse(RunbookParameter parameter, String text, ParameterLookups lookups) {
      return switch (text.toLowerCase(Locale.ROOT)) {
        case "true", "yes" -> true;
        case "false", "no" -> false;
        default -> throw new IllegalArgumentException("'" + text + "' is not true or false");
      };
    }

    @Override
    ParameterInput input(RunbookParameter parameter, ParameterLookups lookups) {
      return ParameterInput.checkbox();
    }
  },
  INTEGER {
    @Override
    Object parse(RunbookParameter parameter, String text, ParameterLookups lookups) {
      try {
        return Long.parseLong(text);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + text + "' is not a whole number");
      }
    }

    @Override
    ParameterInput input(RunbookParameter parameter, ParameterLookups lookups) {
      return ParameterInput.number();
    }
  },
  /** A gzip compression level: 1 (fastest) to 9 (smallest). */
  GZIP_LEVEL {
    @Override
    Object parse(RunbookParameter parameter, String text, ParameterLookups lookups) {
      if (!text.matches("[1-9]")) {
        throw new IllegalArgumentException("'" + text + "' is not a gzip level: 1 (fastest) to 9 (smallest)");
      }
      return Integer.parseInt(text);
    }

    @Override
    ParameterInput input(RunbookParameter parameter, ParameterLookups lookups) {
      return ParameterInput.number();
    }
  },
  /** ISO-8601 duration such as PT24H. */
  DURATION {
    @Override
    Object parse(RunbookParameter parameter, String text, ParameterLookups lookups) {
      Duration duration;
      try {
        duration = Duration.parse(text);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("'" + text + "' is not an ISO-8601 duration such as PT24H or PT30M");
      }
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException("must be longer than zero");
      }
      return duration.toString();
    }

    @Override
    ParameterInput input(RunbookParameter parameter, ParameterLookups lookups) {
      return ParameterInput.text("P(\\d+D)?(T(\\d+H)?(\\d+M)?(\\d+(\\.\\d+)?S)?)?",
          "an ISO-8601 duration such as PT30M or PT24H");
    }
  },
  /** Comma-separated client URLs: http(s)://host:port. */
  ENDPOINTS {
    @Override
    Object parse(RunbookParameter parameter, String text, ParameterLookups lookups) {
      List<String> urls = new ArrayList<>();
      for (String part : text.split(",")) {
        String url = part.strip();
        if (!url.isEmpty()) {
          urls.add(clientUrl(url));
        }
      }
      if (urls.isEmpty()) {
        throw new IllegalArgumentException("give at least one client URL");
      }
      return String.join(",", urls);
    }

    @Override
    ParameterInput input(RunbookParameter parameter, ParameterLookups lookups) {
      // A first sieve in the browser; parse() above is the check that counts.
      return ParameterInput.text("\\s*https?://[^,\\s]+:\\d+\\s*(,\\s*https?://[^,\\s]+:\\d+\\s*)*",
          "client URLs with port, comma-separated, such as https://10.0.0.5:2379");
    }
  },
  /** host or host:port. */
  HOST {
    @Override
    Object parse(RunbookParameter parameter, String text, ParameterLookups lookups) {
      if (!HOST_PATTERN.matcher(text).matches()) {
        throw new IllegalArgumentException("'" + text + "' is not host or host:port");
      }
      return text;
    }

    @Override
    ParameterInput input(RunbookParameter parameter, ParameterLookups lookups) {
      return ParameterInput.text(HOST_PATTERN.pattern(), "host or host:port");
    }
  },
  /** The name of an entry under lifeboat.credentials; the secret itself never travels. */
  CREDENTIAL_REF {
    @Override
    Object parse(RunbookParameter parameter, String text, ParameterLookups lookups) {
      lookups.credentialProblem(text, parameter.credentialKind()).ifPresent(problem -> {
        throw new IllegalArgumentException(problem);
      });
      return text;
    }

    @Override
    ParameterInput input(RunbookParameter parameter, ParameterLookups lookups) {
      CredentialKind kind = parameter.credentialKind();
      return ParameterInput.select(parameter.required(), "(choose " + kind.id() + " credentials)",
          lookups.credentialNames(kind).stream().map(name -> new Choice(name, name)).toList());
    }
  },
  /** The id of a backup in the catalogue, of one of the kinds the parameter accepts. */
  BACKUP_ID {
    @Override
    Object parse(RunbookParameter parameter, String text, ParameterLookups lookups) {
      Backup backup = lookups.backup(text).orElseThrow(() -> new IllegalArgumentException(
          "no backup '" + text + "' in the catalogue (GET /api/backups?kind=" + parameter.kinds().getFirst()
              + " lists them)"));
      if (!parameter.kinds().contains(backup.kind())) {
        throw new IllegalArgumentException("backup " + text + " is " + article(backup.kind()) + " " + backup.kind()
            + "; this parameter takes " + String.join(" or ", parameter.kinds()));
      }
      return text;
    }

    @Override
    ParameterInput input(RunbookParameter parameter, ParameterLookups lookups) {
      Instant now = lookups.now();
      return ParameterInput.select(parameter.required(), "(choose a backup)",
          lookups.backups(parameter.kinds(), BACKUP_CHOICES).stream()
              .map(b -> new Choice(b.id(), backupLabel(b, now))).toList());
    }
  },
  /** An absolute path on the target host. */
  PATH {
    @Override
    Object parse(RunbookParameter parameter, String text, ParameterLookups lookups) {
      if (!text.startsWith("/") || text.contains("\0") || text.contains("\n")) {
        throw new IllegalArgumentException("'" + text + "' is not an absolute path");
      }
      if (text.replaceAll("/+$", "").isEmpty() || ("/" + text + "/").matches(".*/\\.{1,2}/.*")) {
        throw new IllegalArgumentException("'" + text + "' must name a directory below / without '.' or '..' parts");
      }
      return text;
    }

    @Override
    ParameterInput input(RunbookParameter parameter, ParameterLookups lookups) {
      return ParameterInput.text("/.*", "an absolute path");
    }
  },
  /** A shell command line the operator supplies, run on the target host; approvers see it verbatim. */
  COMMAND {
    @Override
    Object parse(RunbookParameter parameter, String text, ParameterLookups lookups) {
      if (text.contains("\0") || text.contains("\n") || text.contains("\r")) {
        throw new IllegalArgumentException("must be one command line, without line breaks");
      }
      return text;
    }

    @Override
    ParameterInput input(RunbookParameter parameter, ParameterLookups lookups) {
      return ParameterInput.text();
    }
  };

  /** Also the browser's pattern, so it is written as both Java and the browser's "v" mode accept it. */
  private static final Pattern HOST_PATTERN =
      Pattern.compile("[A-Za-z0-9._\\-]+(:[0-9]{1,5})?|\\[[0-9a-fA-F:]+\\](:[0-9]{1,5})?");
  private static final int BACKUP_CHOICES = 200;

  /**
   * The typed value of {@code text} (stripped, not empty), or an {@link IllegalArgumentException}
   * whose message says what is wrong with it.
   */
  abstract Object parse(RunbookParameter parameter, String text, ParameterLookups lookups);

  abstract ParameterInput input(RunbookParameter parameter, ParameterLookups lookups);

  private static String clientUrl(String url) {
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
    return url;
  }

  private static String article(String word) {
    return !word.isEmpty() && "aeiou".indexOf(Character.toLowerCase(word.charAt(0))) >= 0 ? "an" : "a";
  }

  /** "20261130-101500.8e9e05c5 (3 h ago, from 8e9e05c5)". */
  static String backupLabel(Backup backup, Instant now) {
    String source = source(backup);
    String age = age(backup.createdAt(), now);
    List<String> details = new ArrayList<>();
    if (!age.isEmpty()) {
      details.add(age);
    }
    if (!source.isEmpty()) {
      details.add("from " + source);
    }
    return details.isEmpty() ? backup.id() : backup.id() + " (" + String.join(", ", details) + ")";
  }

  /** What was backed up: the catalogue's source identity (e.g. the etcd cluster id). */
  static String source(Backup backup) {
    return backup.source() == null ? "" : backup.source();
  }

  static String age(Instant createdAt, Instant now) {
    return Age.since(createdAt, now);
  }

}
