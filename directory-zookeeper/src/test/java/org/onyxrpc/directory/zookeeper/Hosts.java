package org.onyxrpc.directory.zookeeper;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.onyxrpc.directory.HostIdentity;

/** Two hosts sharing one ensemble in one test process: documentation addresses (RFC 5737, 3849), never dialled. */
final class Hosts {
  static final HostIdentity A = host("host-a", "192.0.2.1", "2001:db8::1");
  static final HostIdentity B = host("host-b", "192.0.2.2", "2001:db8::2");

  private Hosts() {}

  private static HostIdentity host(String id, String v4, String v6) {
    try {
      return HostIdentity.advertising(id, List.of(InetAddress.getByName(v4), InetAddress.getByName(v6)));
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
