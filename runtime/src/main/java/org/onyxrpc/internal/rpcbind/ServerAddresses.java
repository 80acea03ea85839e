package org.onyxrpc.internal.rpcbind;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/** Which addresses a directory answers can be a server's, for the clients that call them. */
public final class ServerAddresses {
  private ServerAddresses() {}

  /**
   * Whether a client can call a server at {@code at}, an address a directory answered: not port
   * 0, where nothing listens, and not a group (multicast) address or the limited broadcast, which
   * are no server's. A UDP client connected to a group sent each call, credential and arguments
   * to every host of the network that joined it (224.0.0.1 is all of them, and sending to a group
   * needs no socket option, unlike a broadcast), where it may run on each, while no reply can
   * come from the group's address.
   *
   * @param at the address an entry names
   * @return true if a client may call it
   */
  public static boolean callable(InetSocketAddress at) {
    return at.getPort() != 0 && !isGroupOrBroadcast(at.getAddress());
  }

  /**
   * Whether {@code ip} (an IPv4-mapped one as its IPv4 address) is a group (multicast) address
   * or the limited broadcast, 255.255.255.255: no server's, whatever a registration claims.
   *
   * @param ip the address
   * @return true if it is
   */
  public static boolean isGroupOrBroadcast(InetAddress ip) {
    InetAddress plain = LocalAddresses.unmapped(ip);
    byte[] b = plain.getAddress();
    return plain.isMulticastAddress() || b.length == 4 && (b[0] & b[1] & b[2] & b[3]) == (byte) 0xff;
  }
}
