package org.onyxrpc.cli.command;

/**
 * {@code HOST[:PORT]} as typed: {@code localhost}, {@code 10.0.0.7:4711}, {@code [::1]:4711}.
 *
 * @param host the host name or address
 * @param port the port, or 0 when none was given (then the directory is asked)
 */
public record Target(String host, int port) {
  /** Parses {@code text}; throws IllegalArgumentException saying what is wrong. */
  public static Target parse(String text) {
    String host = text;
    String port = null;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("missing ] in " + text);
      }
      host = text.substring(1, close);
      if (close + 1 < text.length()) {
        if (text.charAt(close + 1) != ':') {
          throw new IllegalArgumentException("expected HOST[:PORT], got " + text);
        }
        port = text.substring(close + 2);
      }
    } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
      host = text.substring(0, text.indexOf(':'));
      port = text.substring(text.indexOf(':') + 1);
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("no host in " + text);
    }
    return new Target(host, port == null ? 0 : parsePort(port));
  }

  /** A port 1..65535. */
  static int parsePort(String text) {
    try {
      int port = Integer.parseInt(text);
      if (port > 0 && port <= 0xFFFF) {
        return port;
      }
    } catch (NumberFormatException e) {
      // told below
    }
    throw new IllegalArgumentException("port must be 1..65535, got " + text);
  }

  @Override
  public String toString() {
    String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return port == 0 ? h : h + ":" + port;
  }
}
