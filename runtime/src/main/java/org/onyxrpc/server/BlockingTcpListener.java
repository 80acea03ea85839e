package org.onyxrpc.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.locks.LockSupport;
import org.onyxrpc.internal.RateLimitedLog;
import org.onyxrpc.internal.transport.AcceptFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP port of a server whose connections have threads of their own ({@link
 * TcpIo#DEDICATED_THREAD}): a thread blocking in accept(2) has the {@link ConnectionLimiter}
 * admit newcomers (in {@code maxConnections} and their client's share, making room by its
 * eviction order) and starts a {@link BlockingTcpConnection} for each. Closing the port ends the
 * acceptor; {@link #closeConnections} ends the connections' threads.
 */
final class BlockingTcpListener {
  private static final Logger LOG = LoggerFactory.getLogger(BlockingTcpListener.class);
  static final String ACCEPTOR_PREFIX = "onyx-server-accept-tcp-";
  private static final RateLimitedLog ERRORS = new RateLimitedLog(RateLimitedLog.DEFAULT_INTERVAL);
  /** Longest wait after a failed accept(2) before the next (Netty's acceptor pauses as long). */
  static final long ACCEPT_RETRY_NANOS = AcceptFailures.RETRY_NANOS;

  private final ServerSocketChannel server;
  private final InetSocketAddress local;
  private final ServerConfig config;
  private final CallProcessor processor;
  private final ServerState state;
  private final Thread acceptor;
  private final ScheduledExecutorService timers; // the connections' clocks are checked there
  private final Set<BlockingTcpConnection> connections = ConcurrentHashMap.newKeySet();
  private final ConnectionLimiter limiter;
  private final UnreadReplies replies;
  private final ByteBudget budget;
  private volatile boolean closed;

  private BlockingTcpListener(ServerSocketChannel server, ServerConfig config,
      CallProcessor processor, ServerState state, ScheduledExecutorService timers,
      ConnectionLimiter limiter, UnreadReplies replies, ByteBudget budget) throws IOException {
    this.server = server;
    this.budget = budget;
    this.limiter = limiter;
    this.replies = replies;
    this.timers = timers;
    this.config = config;
    this.processor = processor;
    this.state = state;
    this.local = (InetSocketAddress) server.getLocalAddress();
    this.acceptor = new Thread(this::acceptUntilClosed, ACCEPTOR_PREFIX + ListenPlaces.hostPort(local));
    acceptor.setDaemon(true); // as the event loops' threads are
  }

  /**
   * Refuses, at {@code build()}, what the dedicated mode does not serve: TLS, whose records a
   * blocking reader would have to unwrap on its own (STARTTLS included). Any executor is served:
   * replies made off a connection's thread go through its {@link ConnectionWriter}.
   */
  static void check(TcpIo io, ServerTls tls) {
    if (io != TcpIo.DEDICATED_THREAD) {
      return;
    }
    if (tls != null) {
      throw new IllegalStateException("tcpIo(TcpIo.DEDICATED_THREAD) serves plaintext TCP only: "
          + "a server with tls(...) (STARTTLS included) must keep TcpIo.EVENT_LOOP");
    }
  }

  /**
   * Binds {@code address} and starts accepting on a thread of its own; the connections' timers
   * run on {@code timers} (the server's event loops); {@code limiter} admits them, as it does the
   * event loops' connections, in one maximum and one share per client; large replies waiting
   * for their peers are charged to {@code replies}, and the records the connections hold to
   * {@code budget} and their clients' shares of it.
   */
  static BlockingTcpListener bind(InetSocketAddress address, ServerConfig config,
      CallProcessor processor, ServerState state, ScheduledExecutorService timers,
      ConnectionLimiter limiter, UnreadReplies replies, ByteBudget budget) throws IOException {
    ServerSocketChannel server = ServerSocketChannel.open();
    try {
      server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      server.bind(address, 1024);
      BlockingTcpListener listener = new BlockingTcpListener(server, config, processor, state, timers, limiter,
          replies, budget);
      listener.acceptor.start();
      return listener;
    } catch (IOException e) {
      server.close();
      throw new IOException(ListenFailures.message("TCP " + ListenPlaces.hostPort(address),
          address, e), e);
    }
  }

  InetSocketAddress localAddress() {
    return local;
  }

  private void acceptUntilClosed() {
    while (true) {
      SocketChannel socket;
      try {
        socket = server.accept();
      } catch (ClosedChannelException e) {
        return; // closed by the server, here or while waiting
      } catch (IOException e) {
        if (!server.isOpen()) {
          return;
        }
        ERRORS.warn(LOG, "cannot accept on TCP {}: {}", ListenPlaces.hostPort(local), e.toString());
        // EMFILE, ENFILE, ENOBUFS last until descriptors or memory are freed, and the newcomer
        // stays in the backlog: accepting again at once fails at once, a core spent in a loop
        // while a flood holds the descriptors. Wait for one of the port's connections to end
        // (ended unparks), its close, or at most a second for those freed elsewhere.
        LockSupport.parkNanos(this, ACCEPT_RETRY_NANOS);
        continue;
      }
      try {
        admit(socket);
      } catch (IOException | RuntimeException | Error e) {
        // This newcomer's own failure (its thread could not start, say): it is closed and the
        // port accepts on, where an uncaught one ended the acceptor and the port refused nobody.
        ERRORS.warn(LOG, "cannot serve a TCP connection on {}: {}", ListenPlaces.hostPort(local),
            e.toString());
        closeQuietly(socket);
      }
    }
  }

  private void admit(SocketChannel socket) throws IOException {
    socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
    socket.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
    BlockingTcpConnection connection =
        new BlockingTcpConnection(socket, config, processor, state, timers, replies, budget,
            this::ended);
    if (!limiter.admit(connection, connection.client())) {
      closeQuietly(socket);
      return;
    }
    connections.add(connection);
    try {
      connection.start();
    } catch (RuntimeException | Error e) {
      ended(connection);
      throw e;
    }
    if (closed) {
      connection.close(); // the server closed while this one was being admitted
    }
  }

  private void ended(BlockingTcpConnection connection) {
    connections.remove(connection);
    limiter.closed(connection);
    LockSupport.unpark(acceptor); // a descriptor freed: an acceptor waiting after EMFILE goes on
  }

  /** Closes the port: no newcomer is taken; the acceptor ends. */
  void closePort() {
    try {
      server.close(); // wakes the acceptor from its accept
      LockSupport.unpark(acceptor); // or from its wait after a failed one
    } catch (IOException e) {
      LOG.debug("closing TCP {}: {}", ListenPlaces.hostPort(local), e.toString());
    }
  }

  /**
   * Once the server drains: each connection stays open, its calls refused PROG_UNAVAIL, watched
   * for a peer that stops taking its replies ({@link BlockingTcpConnection#drainBegan}).
   */
  void drainBegan() {
    for (BlockingTcpConnection connection : connections) {
      connection.drainBegan();
    }
  }

  /** Whether any connection is open. */
  boolean hasConnections() {
    return !connections.isEmpty();
  }

  /**
   * Waits until every connection has ended (its peer closed its end) or {@code deadline} ({@link
   * System#nanoTime}).
   */
  void awaitConnectionsEnded(long deadline) {
    for (BlockingTcpConnection connection : List.copyOf(connections)) {
      DedicatedThreads.awaitEnd(connection.thread(), deadline);
    }
  }

  /**
   * Once the server's drain is over: every connection closes behind its replies, lingering, and
   * their threads are waited for until {@code deadline} ({@link System#nanoTime}); {@link #close}
   * ends what is left.
   */
  void closeBehindReplies(long deadline) {
    List<BlockingTcpConnection> all = List.copyOf(connections);
    for (BlockingTcpConnection connection : all) {
      connection.closeBehindRepliesForShutdown();
    }
    for (BlockingTcpConnection connection : all) {
      DedicatedThreads.awaitEnd(connection.thread(), deadline);
    }
  }

  /**
   * Closes the port and every connection, which wakes their threads from their reads, and waits
   * until {@code deadline} ({@link System#nanoTime}), at least a millisecond, for all the
   * threads to end: one held by a procedure that blocks under a direct executor is left to end
   * on its own.
   */
  void close(long deadline) {
    closed = true;
    closePort();
    List<BlockingTcpConnection> all = List.copyOf(connections);
    for (BlockingTcpConnection connection : all) {
      connection.close();
    }
    DedicatedThreads.awaitEnd(acceptor, deadline);
    for (BlockingTcpConnection connection : all) {
      DedicatedThreads.awaitEnd(connection.thread(), deadline);
    }
  }

  static void closeQuietly(SocketChannel socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // nothing of it is served
    }
  }
}
