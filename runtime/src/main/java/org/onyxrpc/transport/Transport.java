package org.onyxrpc.transport;

/** The transports ONC RPC runs over. */
public enum Transport {
  /** TCP with record marking (RFC 5531 §11): calls of any size, many outstanding per connection. */
  TCP("tcp"),
  /** UDP: one message per datagram (RFC 5531 §10), bounded by the maximum datagram size. */
  UDP("udp"),
  /**
   * Unix-domain stream sockets ({@code AF_UNIX}) on this machine, framed as TCP is: a filesystem
   * path or a Linux abstract name (see {@link UnixSocketAddress}). The server learns each caller's
   * uid, gid and pid from the kernel ({@code SO_PEERCRED}). Linux only, through Netty's native
   * epoll transport. Registered in a directory under rpcbind's netid {@code "local"}.
   */
  UNIX("local"),
  /**
   * Within one JVM, by name, with no socket (Netty's local channels), framed as TCP is, so that
   * arguments and results are still marshalled: for tests. Never registered in a directory.
   */
  IN_PROCESS("inproc");

  private final String netid;

  Transport(String netid) {
    this.netid = netid;
  }

  /**
   * The netid rpcbind uses for this transport ("tcp", "udp" over IPv4; "local" for Unix-domain
   * sockets); {@link #IN_PROCESS}, which rpcbind never sees, answers "inproc".
   *
   * @return the netid
   */
  public String netid() {
    return netid;
  }

  /**
   * True when calls travel as records on a byte stream (RFC 5531 §11): every transport but UDP.
   *
   * @return true for TCP, Unix-domain and in-process
   */
  public boolean recordMarked() {
    return this != UDP;
  }
}
