package org.onyxrpc.server;

/**
 * How a server's UDP sockets wait for call datagrams ({@link RpcServerBuilder#udpIo}).
 */
public enum UdpIo {
  /**
   * The default: the UDP sockets are served by the server's I/O threads (event loops), beside
   * its TCP connections; no thread of their own.
   */
  EVENT_LOOP,

  /**
   * Each UDP socket of the port has a thread of its own that waits for the next datagram in
   * recvfrom(2), as a C server's {@code svc_run} waits in {@code poll}: one system call per
   * datagram and no event loop between the datagram and the call, the lowest latency for calls
   * that come one at a time. With {@link RpcServerBuilder#directExecutor()} the procedure runs
   * on that thread, and its reply leaves from it; with an executor, the thread only reads and
   * hands the calls over, as an event loop does.
   *
   * <p>The cost is a thread per socket, asleep while no datagram comes: one on a specific
   * address, and on a wildcard address one for IPv4's wildcard and one for each address of the
   * machine's interfaces at start. IPv6 is served on those addresses alone: an IPv6 address the
   * machine gets after the server started, or an IPv6 multicast one, is not (an IPv4 one is,
   * by the wildcard socket), and another program may bind the port there. The IPv6 wildcard is
   * not bound because a JDK socket does not report a datagram's destination, without which a
   * dual-stack socket cannot tell an IPv4 datagram from an IPv6 one with a forged IPv4-mapped
   * source.
   *
   * <p>What the one thread waits for, its socket waits for. With a direct executor a procedure that
   * blocks stops its socket from receiving until it returns (closing the server waits 5 seconds for
   * such threads, all of them together, then leaves them to finish on their own), and its reply is
   * sent with a blocking send: while the socket's send buffer is full (replies to forged sources
   * that never answer ARP hold it for seconds), the socket's thread waits for room (the reply of an
   * asynchronous procedure whose stage another thread completes waits, bounded, for a sending
   * thread of the socket's own, started with the first such reply, so that the completing thread,
   * an I/O thread of the server say, does not). With an executor the socket is non-blocking
   * instead, as the server's workers, TCP's calls' too, send its replies: a reply that meets a full
   * send buffer is dropped and counted, as on an event-loop socket (a UDP client retransmits), and
   * no worker waits for room; the thread then waits for datagrams in a selector of its own, an
   * epoll_wait(2) more per datagram after a lull, none while datagrams keep coming.
   */
  DEDICATED_THREAD
}
