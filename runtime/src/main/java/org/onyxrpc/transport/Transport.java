package org.onyxrpc.transport;

/** The transports ONC RPC runs over. */
public enum Transport {
  /** TCP with record marking (RFC 5531 §11): calls of any size, many outstanding per connection. */
  TCP,
  /** UDP: one message per datagram (RFC 5531 §10), bounded by the maximum datagram size. */
  UDP;

  /** The netid rpcbind uses for this transport over IPv4 ("tcp", "udp"). */
  public String netid() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
