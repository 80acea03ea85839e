package org.onyxrpc.internal;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Locale;

/** How the calls' objects that users log ({@code ClientCall}, {@code ServerCall}…) print a peer and a duration. */
public final class CallText {
  private CallText() {}

  /**
   * "tcp /127.0.0.1:4711": the transport's netid-like name and the address as Java prints it,
   * escaped (a Unix-domain path, an in-process name: chosen by whoever made them).
   *
   * @param transport the transport, printed in lower case
   * @param address the address, or null
   * @return the text, one line
   */
  public static String where(Enum<?> transport, SocketAddress address) {
    String at = address instanceof InetSocketAddress inet && !inet.isUnresolved()
        ? inet.getAddress().getHostAddress() + ":" + inet.getPort() : String.valueOf(address);
    return transport.name().toLowerCase(Locale.ROOT) + " " + RateLimitedLog.shortText(at);
  }

  /**
   * "0.412 ms".
   *
   * @param nanos a duration in nanoseconds
   * @return the duration in milliseconds, to the microsecond
   */
  public static String millis(long nanos) {
    return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
  }
}
