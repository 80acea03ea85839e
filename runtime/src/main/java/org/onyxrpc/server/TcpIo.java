package org.onyxrpc.server;

/**
 * How a server's plaintext TCP connections are read ({@code RpcServerBuilder.tcpIo}). Not yet
 * open to users: the dedicated mode does not yet keep every protection of the event-loop path
 * (see {@link #DEDICATED_THREAD}), so the builder's method is package-private until it does.
 * The builder's default is the system property {@code org.onyxrpc.server.tcpIo} ({@code
 * EVENT_LOOP} without it), so that a test run can serve every TCP connection on threads of their
 * own (runtime/pom.xml's {@code dedicated-tcp} execution).
 */
enum TcpIo {
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
   * written from it, in a plain blocking write, with no hand-off. Replies made on other threads
   * (any other executor's workers, the thread completing an asynchronous procedure's stage) are
   * charged to the unread-replies budget as they are handed over and queued for a writer thread
   * of the connection's own, started when the first such reply comes; they go out in the order
   * they were handed over, the connection's thread queueing its own behind them. Threads: one per
   * connection, two for a connection that has had a reply made off its thread (so up to twice
   * {@code maxConnections} with an executor other than the direct one), plus the acceptor; all
   * end when the server closes.
   *
   * <p>Plaintext TCP only: a server with TLS (or STARTTLS) is refused at {@code build()}.
   * Unix-domain and in-process connections stay on the event loops.
   *
   * <p>Built so far: record size and fragment count checked before a record's bytes are
   * buffered; the record timeout, minimum rate and idle timeout ({@code RecordClock}, on a shared
   * timer that closes the socket); {@code maxConnections}, the per-client share and the eviction
   * order (the event loops' {@code ConnectionLimiter}, one maximum for both); the byte budget for
   * records held (a record waiting for a call slot included) and the client's share of it (the
   * reader waits); every executor, with replies made off the connection's thread written by its
   * own writer; the unread-replies budget, which closes the greediest, charged by replies queued
   * for the writer, by a reply of 64 KiB or more the connection's thread is writing, and by a
   * smaller one the timer finds still being written; the per-connection call limit (the reader
   * waits); a half-closed peer's calls answered and their replies written before the close; the
   * drain on shutdown, which counts a call whose reply is queued as in flight until the reply is
   * written; the call's {@code CallConnection} told of the close; the lingering close after a
   * malformed stream and after the drain ({@code BlockingLinger}), once every reply is with the
   * kernel; a peer that stops taking a reply during the drain closed without it ({@code
   * StalledWriteClose}). Unlike an event loop, the reader does not stop reading while its
   * replies wait for the peer (an event loop does, at the write buffer's high-water mark): here
   * the unread-replies budget alone bounds them.
   */
  DEDICATED_THREAD
}
