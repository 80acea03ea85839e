package org.onyxrpc.server;

/**
 * How a server's plaintext TCP connections are read ({@link RpcServerBuilder#tcpIo}). The
 * builder's default is the system property {@code org.onyxrpc.server.tcpIo} ({@code EVENT_LOOP}
 * without it), so that a test run can serve every TCP connection on threads of their own
 * (runtime-variants/pom.xml's {@code dedicated-tcp} execution).
 */
public enum TcpIo {
  /**
   * The default: connections are served by the server's I/O threads (event loops), many
   * connections to a thread.
   */
  EVENT_LOOP,

  /**
   * Each accepted TCP connection has a thread of its own that waits for its bytes in a blocking
   * read(2), and a thread of its own waits for newcomers in accept(2): as a C server's thread per
   * connection, one system call per record and no event loop between the record and the call.
   * With {@code directExecutor()} the procedure runs on the connection's thread and its reply is
   * written from it, in a plain blocking write, with no hand-off: the lowest latency for calls
   * that come one at a time on a connection. Replies made on other threads (any other
   * executor's workers, the thread completing an asynchronous procedure's stage) are charged to
   * the unread-replies budget as they are handed over and queued for a writer thread of the
   * connection's own, started when the first such reply comes; they go out in the order they
   * were handed over. Threads: one per connection, two for a connection that has had a reply
   * made off its thread (so up to twice {@code maxConnections} with an executor other than the
   * direct one), plus the acceptor; all end when the server closes.
   *
   * <p>Plaintext TCP only: a server with TLS (or STARTTLS) is refused at {@code build()}.
   * Unix-domain and in-process connections, and UDP ({@link UdpIo}), are unaffected.
   *
   * <p>It keeps the event loops' protections: record size and fragment count checked before a
   * record's bytes are buffered; the record timeout, minimum rate and idle timeout (on a shared
   * timer that closes the socket); {@code maxConnections}, the per-client share and the eviction
   * order (one maximum for both modes); the byte budget for records held and the client's share
   * of it (the reader waits); the unread-replies budget, which closes the greediest non-reader;
   * {@code maxConcurrentCallsPerConnection} (the reader waits); a half-closed peer's calls
   * answered before the close; the drain on shutdown, with the lingering close behind the
   * replies, and a peer that stops taking a reply during the drain closed without it. One
   * difference: the reader does not stop reading while its replies wait for a peer that does
   * not take them (an event loop does, at its write buffer's high-water mark); the
   * unread-replies budget alone bounds them. Under {@code directExecutor()} the blocking write
   * of a reply holds the reader, which is the same.
   */
  DEDICATED_THREAD
}
