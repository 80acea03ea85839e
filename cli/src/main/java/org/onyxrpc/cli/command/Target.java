package org.onyxrpc.cli.command;

import java.util.Locale;
import org.onyxrpc.transport.UnixSocketAddress;

/**
 * Where a command goes, as typed: {@code HOST[:PORT]} ({@code localhost}, {@code 10.0.0.7:4711},
 * {@code [::1]:4711}), or a Unix-domain socket of this machine, {@code unix:PATH} ({@code
 * unix:/run/calc.sock}) or {@code unix:@NAME} (a Linux abstract name).
 *
 * @param host the host name or address; null for a Unix-domain socket
 * @param port the port, or 0 when none was given (then the directory is asked)
 * @param socket the Unix-domain socket, or null for a host
 */
public record Target(String host, int port, UnixSocketAddress socket) {
  /** What marks a Unix-domain socket, as gRPC's targets and socat write it. */
  static final String UNIX_PREFIX = "unix:";

  /**
   * A host, and a port or 0.
   *
   * @param host a host name or address
   * @param port a port, or 0 for the command's default
   */
  public Target(String host, int port) {
    this(host, port, null);
  }

  /**
   * Parses {@code text}.
   *
   * @param text {@code HOST}, {@code HOST:PORT}, {@code [V6]:PORT}, {@code unix:PATH} or {@code unix:@NAME}
   * @return the target
   * @throws BadCommandLine saying what is wrong
   */
  public static Target parse(String text) {
    if (text.startsWith(UNIX_PREFIX)) {
      return unix(text.substring(UNIX_PREFIX.length()));
    }
    int scheme = text.indexOf("://");
    if (scheme > 0) {
      throw new BadCommandLine(notAUrl(text, text.substring(0, scheme),
          text.substring(scheme + 3)));
    }
    String host = text;
    String port = null;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0) {
        throw new BadCommandLine("missing ] in " + text);
      }
      host = text.substring(1, close);
      if (close + 1 < text.length()) {
        if (text.charAt(close + 1) != ':') {
          throw new BadCommandLine("expected HOST[:PORT], got " + text);
        }
        port = text.substring(close + 2);
      }
    } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
      host = text.substring(0, text.indexOf(':'));
      port = text.substring(text.indexOf(':') + 1);
    }
    if (host.isEmpty()) {
      throw new BadCommandLine("no host in " + text);
    }
    if (port != null && port.isEmpty()) {
      // else "port must be 1..65535, got " with nothing after it
      throw new BadCommandLine("no port after the colon in " + text + ": give HOST:PORT, or HOST for its directory to say");
    }
    if (host.indexOf('[') >= 0 || host.indexOf(']') >= 0) {
      // "[[x]" would be host "[x", shown in messages as a target that does not parse
      throw new BadCommandLine("expected HOST[:PORT], got " + text);
    }
    return new Target(host, port == null ? 0 : parsePort(port));
  }

  /**
   * What to type instead of {@code scheme://rest}: without it, {@code udp://host:9} read as the
   * host {@code udp://host:9} (two colons: an IPv6 address), then failed as an unknown host.
   */
  private static String notAUrl(String text, String scheme, String rest) {
    String transport = scheme.toLowerCase(Locale.ROOT);
    String hint = transport.equals("tcp") || transport.equals("udp")
        ? ": give " + rest + " --transport " + transport : "";
    return "expected HOST[:PORT] or unix:PATH, not a URL: " + text + hint;
  }

  private static Target unix(String name) {
    if (name.isEmpty()) {
      throw new BadCommandLine("no socket in unix:, expected unix:PATH or unix:@NAME");
    }
    try {
      return new Target(null, 0, UnixSocketAddress.parse(name));
    } catch (IllegalArgumentException e) {
      throw new BadCommandLine("unix:" + name + ": " + e.getMessage());
    }
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
    throw new BadCommandLine("port must be 1..65535, got " + text);
  }

  /**
   * True for {@code unix:PATH} and {@code unix:@NAME}.
   *
   * @return whether this names a Unix-domain socket rather than a host
   */
  public boolean isUnixSocket() {
    return socket != null;
  }

  @Override
  public String toString() {
    if (socket != null) {
      return UNIX_PREFIX + socket;
    }
    // "[unix]:1" is the host unix, "unix:1" the socket file 1
    String h = host.indexOf(':') >= 0 || port != 0 && host.equals("unix") ? "[" + host + "]" : host;
    return port == 0 ? h : h + ":" + port;
  }
}
