package dev.lifeboat.remote;

/** A host as a run names it: {@code host}, {@code host:port}, {@code [v6]} or {@code [v6]:port}; port 22 by default. */
public record HostAddress(String host, int port) {

  public static final int SSH_PORT = 22;

  public static HostAddress parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("no host given: expected host or host:port");
    }
    String value = text.strip();
    String host = value;
    String port = null;
    if (value.startsWith("[")) {
      int end = value.indexOf(']');
      if (end < 0) {
        throw new IllegalArgumentException("host '" + text + "' opens '[' but never closes it");
      }
      host = value.substring(1, end);
      String rest = value.substring(end + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw new IllegalArgumentException("host '" + text + "': expected ':port' after ']'");
        }
        port = rest.substring(1);
      }
    } else if (value.indexOf(':') >= 0 && value.indexOf(':') == value.lastIndexOf(':')) {
      host = value.substring(0, value.indexOf(':'));
      port = value.substring(value.indexOf(':') + 1);
    }
    if (host.isEmpty() || !host.matches("[A-Za-z0-9._:%-]+")) {
      throw new IllegalArgumentException("host '" + text + "' is not a host name or address");
    }
    return new HostAddress(host, port == null ? SSH_PORT : parsePort(text, port));
  }

  private static int parsePort(String text, String port) {
    try {
      int value = Integer.parseInt(port);
      if (value >= 1 && value <= 65535) {
        return value;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException("host '" + text + "' has port '" + port + "': expected 1-65535");
  }

  @Override
  public String toString() {
    String name = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return port == SSH_PORT ? name : name + ":" + port;
  }
}
