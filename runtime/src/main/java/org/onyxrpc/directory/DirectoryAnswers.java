package org.onyxrpc.directory;

import java.net.InetSocketAddress;
import org.onyxrpc.internal.RateLimitedLog;
import org.onyxrpc.internal.RegisteredVersions;
import org.onyxrpc.internal.rpcbind.ServerAddresses;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.transport.Transport;

/** What a client makes of a directory's entries: its answers are input, and may be nonsense. */
final class DirectoryAnswers {
  private DirectoryAnswers() {}

  /**
   * The socket address of an entry a client can call, or null: its address does not parse, or
   * names port 0, where no server listens (connecting there fails, or on some systems reaches
   * whatever the kernel makes of it), or a group or broadcast address
   * ({@link ServerAddresses#callable}).
   */
  static InetSocketAddress callable(Directory directory, ServiceInstance instance) {
    try {
      InetSocketAddress at = directory.socketAddress(instance);
      return ServerAddresses.callable(at) ? at : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The end of a failure's message: the directory's entry is no address, quoted escaped. */
  static String notAnAddress(ServiceInstance instance) {
    return " (its entry over " + RateLimitedLog.shortText(instance.netid()) + " is at '"
        + RateLimitedLog.shortText(instance.address()) + "', not an address a client can call)";
  }

  /**
   * The end of the failure of a look-up that found no entry of {@code version}: the program's
   * other versions over {@code transport}, as a server's PROG_MISMATCH names them, or nothing if
   * there are none or the directory does not answer that (the failure stays what it was).
   */
  static String otherVersions(Directory directory, int program, int version, Transport transport) {
    try {
      String others = RegisteredVersions.described(directory.versions(program, transport).stream()
          .filter(v -> v != version).toList());
      return others == null ? "" : ": the directory has " + others + " of it over " + transport;
    } catch (RpcException e) {
      return "";
    }
  }
}
