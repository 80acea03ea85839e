package org.onyxrpc.client;

import io.netty.channel.unix.Errors;
import java.net.PortUnreachableException;

/**
 * Recognises what a connected datagram socket reports when an ICMP port unreachable came back
 * for one of its datagrams: nothing listens at the server's port. The JDK says so with a {@link
 * PortUnreachableException}, Netty's native transports with {@code ECONNREFUSED}.
 */
final class PortUnreachable {
  private PortUnreachable() {}

  static boolean is(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof PortUnreachableException
          || t instanceof Errors.NativeIoException e
              && e.expectedErr() == Errors.ERROR_ECONNREFUSED_NEGATIVE) {
        return true;
      }
    }
    return false;
  }
}
