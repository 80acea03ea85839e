package org.onyxrpc.server;

import io.netty.channel.local.LocalAddress;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.onyxrpc.internal.transport.SystemErrors;

/**
 * The message of a listener that could not be bound, in the system's words, and what to do when
 * those alone do not say it: "Permission denied" on a low port means the port is privileged, not
 * that a file or a firewall refused; an in-process name that is taken is another server's in
 * this JVM.
 */
final class ListenFailures {
  /** Where Linux says from which port on anyone may bind (1024 unless changed). */
  private static final Path UNPRIVILEGED_PORT_START = Path.of("/proc/sys/net/ipv4/ip_unprivileged_port_start");
  private static final int DEFAULT_UNPRIVILEGED_PORT_START = 1024;

  private ListenFailures() {}

  /** "cannot listen on WHAT: WORDS", and the way out of a privileged port. */
  static String message(String what, SocketAddress at, Throwable cause) {
    return message(what, at, cause, unprivilegedPortStart());
  }

  static String message(String what, SocketAddress at, Throwable cause, int unprivilegedPortStart) {
    String words = SystemErrors.words(cause);
    if (at instanceof LocalAddress && words.startsWith("address already in use")) {
      // Netty's words name the other server's channel by its id, which tells a user nothing.
      return "cannot listen on " + what + ": another server in this JVM serves that name"
          + " (close it first, or give this server a name of its own)";
    }
    String message = "cannot listen on " + what + ": " + words;
    if (at instanceof InetSocketAddress inet && inet.getPort() > 0 && inet.getPort() < unprivilegedPortStart
        && words.contains("Permission denied")) {
      message += " (ports below " + unprivilegedPortStart + " need root or CAP_NET_BIND_SERVICE;"
          + " choose a port from " + unprivilegedPortStart + " up)";
    }
    return message;
  }

  /** The first port anyone may bind, as the system says. */
  static int unprivilegedPortStart() {
    // Read a line, not the file's size: /proc reports 0, and Files.readString read "1" of "1024".
    try (BufferedReader in = Files.newBufferedReader(UNPRIVILEGED_PORT_START)) {
      String line = in.readLine();
      return line == null ? DEFAULT_UNPRIVILEGED_PORT_START : Integer.parseInt(line.trim());
    } catch (IOException | NumberFormatException | SecurityException e) {
      return DEFAULT_UNPRIVILEGED_PORT_START; // not Linux, or an older kernel: the classic rule
    }
  }
}
