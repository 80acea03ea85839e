package org.onyxrpc.internal.directory;

import java.io.IOException;
import java.net.InetAddress;

/**
 * The values of the standalone directories' command-line options ({@code DirectoryMain} and
 * the ZooKeeper directory's main), checked the same way, each failure an
 * {@link IllegalArgumentException} whose message names the option.
 */
public final class OptionValues {
  private OptionValues() {}

  /** The argument after the option at {@code i - 1}. */
  public static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException(args[i - 1] + " needs a value");
    }
    return args[i];
  }

  /** A port, 0 (any free port) to 65535. */
  public static int port(String text) {
    try {
      int port = Integer.parseInt(text);
      if (port >= 0 && port <= 0xFFFF) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("--port must be 0..65535: " + text);
  }

  /** The address to listen on: a name or an IP literal. */
  public static InetAddress bindAddress(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (IOException e) {
      throw new IllegalArgumentException("--bind: unknown address " + text);
    }
  }
}
