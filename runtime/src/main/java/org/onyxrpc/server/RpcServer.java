package org.onyxrpc.server;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.onyxrpc.internal.transport.InProcessClientLoops;
import org.onyxrpc.internal.transport.NettyTransports;
import org.onyxrpc.rpc.ProgramVersion;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.transport.UnixSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ONC RPC server: hosts any number of program versions on one port, over TCP and UDP, and on
 * a Unix-domain socket or in-process name if asked ({@link RpcServerBuilder#unixSocket}, {@link
 * RpcServerBuilder#inProcess}).
 *
 * <pre>{@code
 * RpcServer server = RpcServer.builder()
 *     .port(4711)
 *     .addService(CalculatorV1.bind(new MyCalculator()))
 *     .build()
 *     .start();
 * ...
 * server.close(); // stops accepting, lets calls in flight finish, then closes
 * }</pre>
 *
 * <p>Its threads are daemons: a {@code main} that only serves waits with {@link
 * #awaitTermination()}, or the JVM ends, and the server with it, as soon as {@code main} returns.
 *
 * <p>Procedure 0 (NULL) answers for every program version added (unless its definition adds
 * procedure 0 itself, with a result); a call for anything else the
 * server lacks gets the RFC 5531 error reply (PROG_UNAVAIL, PROG_MISMATCH with the versions it
 * has, PROC_UNAVAIL). See {@link RpcServerBuilder} for the limits and their defaults.
 */
public final class RpcServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RpcServer.class);
  /** How long a shutdown waits for the I/O threads once its calls are done or given up. */
  private static final Duration STUCK_LOOP_WAIT = Duration.ofSeconds(5);

  private final ServerConfig config;
  private final Registry registry;
  private final ServerState state = new ServerState();
  private final CallProcessor processor;
  private final FairScheduler scheduler; // null: procedures run on the I/O thread
  private final ExecutorService ownedExecutor;
  private final EventLoopGroup bossGroup;
  private final EventLoopGroup ioGroup;
  private final EventLoopGroup inProcessGroup; // null unless the server serves in-process
  /** The in-process clients' loops, held while the server runs (InProcessClientLoops); or null. */
  private final EventLoopGroup inProcessClientLoops;
  private final ChannelGroup channels = new DefaultChannelGroup(ImmediateEventExecutor.INSTANCE);
  private final ConnectionLimiter limiter;
  private final ByteBudget budget;
  private final UnreadReplies unreadReplies;
  private final ByteBudget decoded;
  private final DecodedShares decodedShares;
  private final HandshakeSlots handshakes; // null: no TLS
  private final Listeners listeners;
  private volatile DirectoryPresence presence; // null until started; awaitRegistered reads it
  /** Set by the first start: a server's sockets, event loops and registration are made once. */
  private final AtomicBoolean started = new AtomicBoolean();
  /** Set by the first shutdown: closing again (a hook, then try-with-resources) does nothing. */
  private final AtomicBoolean shutDown = new AtomicBoolean();
  /** Opened when the first shutdown has finished, for {@link #awaitTermination}. */
  private final CountDownLatch terminated = new CountDownLatch(1);

  RpcServer(ServerConfig config, Supplier<List<InetAddress>> interfaceAddresses) {
    this.config = config;
    this.registry = new Registry(config.services());
    this.ownedExecutor = config.executorChoice() == ExecutorChoice.DEFAULT
        ? ServerDefaults.newDefaultExecutor(config.maxConcurrentCalls()) : null;
    DuplicateRequestCache cache = config.drcBounds().newCache();
    long epoch;
    do {
      epoch = new java.security.SecureRandom().nextLong();
    } while (epoch == 0);
    this.scheduler = config.executorChoice() == ExecutorChoice.DIRECT
        ? null : new FairScheduler(ownedExecutor != null ? ownedExecutor : config.executor(),
            config.maxConcurrentCalls());
    this.decoded = new ByteBudget(config.maxDecodedBytesInFlight());
    this.decodedShares = new DecodedShares(config.maxDecodedBytesInFlight());
    this.processor = new CallProcessor(registry, config.authenticator(), scheduler, cache, epoch,
        config.decodeLimits(), decoded, decodedShares,
        config.tls() == null ? null : config.tls().mode(), ServerInterceptors.of(config.interceptors()));
    this.bossGroup = NettyTransports.newEventLoopGroup(1, "onyx-server-accept");
    try {
      this.ioGroup = NettyTransports.newEventLoopGroup(config.ioThreads(), "onyx-server-io");
    } catch (RuntimeException e) {
      bossGroup.shutdownGracefully(0, 0, TimeUnit.SECONDS); // nobody else will: the server was never made
      throw e;
    }
    this.inProcessGroup = config.inProcessName() == null ? null
        : NettyTransports.newInProcessEventLoopGroup(config.ioThreads(), "onyx-server-inproc");
    this.inProcessClientLoops = config.inProcessName() == null ? null
        : InProcessClientLoops.SHARED.acquire();
    this.limiter = new ConnectionLimiter(config.maxConnections(), channels);
    this.budget = new ByteBudget(config.maxBufferedBytes());
    this.unreadReplies = new UnreadReplies(config.maxBufferedBytes(), channels, limiter.dedicated());
    this.handshakes = config.tls() == null ? null
        : new HandshakeSlots(config.tls().maxHandshakesPerAddress());
    this.listeners = new Listeners(config, interfaceAddresses, bossGroup, ioGroup, inProcessGroup,
        limiter, channels, transport -> new TcpChannelInitializer(processor, state, config, budget,
            unreadReplies, transport, handshakes), processor, state, unreadReplies, budget);
  }

  /**
   * A builder with safe defaults; add services, then {@code build().start()}.
   *
   * @return a new builder
   */
  public static RpcServerBuilder builder() {
    return new RpcServerBuilder();
  }

  /**
   * Binds the configured transports and starts serving; returns this server.
   *
   * @return this server, serving
   * @throws IOException if a port or socket cannot be bound; the server is then shut down
   * @throws IllegalStateException if the server was started before, or closed: build a new one
   */
  public RpcServer start() throws IOException {
    // Started again, it would bind a second set of sockets and register a second time, and
    // closing would withdraw only the last; closed, its event loops are gone.
    if (shutDown.get()) {
      throw new IllegalStateException("this server is closed: build a new one to serve again");
    }
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("this server was started before: start() is called once");
    }
    try {
      listeners.bind();
    } catch (IOException | RuntimeException e) {
      shutDown.set(true);
      shutdownNow();
      throw e;
    }
    presence = DirectoryPresence.announce(config, listeners.port(), registry.programVersions());
    // After the registrations (or the wait for them given up): a script that waits for this
    // line before it starts a client that asks the directory finds the program registered.
    // Where it registered: a server left with the default, this process's embedded directory,
    // is not in another process's; one whose directory is slow finishes in the background.
    String registered = presence.whereRegistered();
    LOG.info("Onyx server on {} serving {}{}", ListenPlaces.describe(config, listeners.port()),
        registry.programVersions(), registered == null ? "" : "; " + registered);
    return this;
  }

  /**
   * Where the server listens and what it serves, for a log line: {@code RpcServer[127.0.0.1:4711
   * [TCP, UDP], Unix-domain socket /run/calc.sock; serving program 0x20000101 version 1]}. Before
   * {@link #start} it says "not started", after {@link #close} "closed", in place of the places;
   * the first {@value #PRINTED_PROGRAMS} program versions are named, then how many more.
   *
   * @return the description, of bounded length
   */
  @Override
  public String toString() {
    String where = shutDown.get() ? "closed"
        : started.get() ? ListenPlaces.printed(config, listeners.port()) : "not started";
    List<ProgramVersion> served = registry.programVersions();
    String serving = served.stream().limit(PRINTED_PROGRAMS).map(ProgramVersion::toString)
        .collect(Collectors.joining(", "))
        + (served.size() > PRINTED_PROGRAMS ? " and " + (served.size() - PRINTED_PROGRAMS) + " more" : "");
    return "RpcServer[" + where + "; serving " + serving + "]";
  }

  /** The program versions {@link #toString} names; more are counted. */
  private static final int PRINTED_PROGRAMS = 8;

  /**
   * The port the server listens on (TCP and UDP share it); 0 if it listens on neither.
   *
   * @return the bound port, once started
   */
  public int port() {
    return listeners.port();
  }

  /**
   * Waits until the server's entries are registered with its directory ({@link
   * RpcServerBuilder#directory}), at most {@code timeout}. {@link #start} waits for the first
   * registration 2 seconds at most and lets it finish in the background: a directory that is
   * slow to answer (a remote one on a loaded machine) or down when the server starts has it
   * registered later, and a caller that looks the server up at once may not find it yet. A
   * server that registers nowhere ({@code Directory.none()}) is registered at once.
   *
   * @param timeout the longest wait; zero or less only asks
   * @return true once every entry has been registered, false if the time ran out first
   * @throws IllegalStateException if the server was not started
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean awaitRegistered(Duration timeout) throws InterruptedException {
    Objects.requireNonNull(timeout, "timeout");
    DirectoryPresence p = presence;
    if (p == null) {
      throw new IllegalStateException("this server was not started: start() registers it");
    }
    return p.awaitRegistered(timeout);
  }

  /** The local addresses of the UDP port's sockets, the requested address's first (for tests). */
  List<InetSocketAddress> udpAddresses() {
    return listeners.udpAddresses();
  }

  /** The UDP port's limits and counters, or null without UDP (for tests). */
  UdpEndpoint udpEndpoint() {
    return listeners.udpEndpoint();
  }

  /**
   * The Unix-domain socket the server listens on, if it was given one.
   *
   * @return the socket, or empty
   */
  public Optional<UnixSocketAddress> unixSocket() {
    return Optional.ofNullable(config.unixSocket());
  }

  /**
   * The name clients in this JVM reach the server by, if it serves in-process.
   *
   * @return the name, or empty
   */
  public Optional<String> inProcessName() {
    return Optional.ofNullable(config.inProcessName());
  }

  /**
   * The transports the server listens on.
   *
   * @return the transports configured
   */
  public Set<Transport> transports() {
    return EnumSet.copyOf(config.transports());
  }

  /**
   * The program versions served.
   *
   * @return one entry per service added
   */
  public List<ProgramVersion> programVersions() {
    return registry.programVersions();
  }

  /** Bytes of records the connections hold now, as charged to {@code maxBufferedBytes}. */
  long bufferedBytes() {
    return budget.held();
  }

  /** Bytes of replies written and not yet taken by their peers, as charged to their budget. */
  long unreadReplyBytes() {
    return unreadReplies.held();
  }

  /** The most {@link #unreadReplyBytes} ever were at once (for tests). */
  long unreadReplyBytesPeak() {
    return unreadReplies.peak();
  }

  /** The bound on TLS handshakes per client address, or null without TLS (for tests). */
  HandshakeSlots handshakeSlots() {
    return handshakes;
  }

  /** Calls refused PROG_UNAVAIL by the drain so far (for tests). */
  long refusedDraining() {
    return processor.refusedDraining.sum();
  }

  /** What the open connections hold, asked of each (for tests). */
  OpenConnections openConnections() {
    return new OpenConnections(channels, limiter.dedicated());
  }

  /** Scans of every connection the connection limit has made to find the idlest (for tests). */
  long limiterScans() {
    return limiter.scans.sum();
  }

  /** Connections open now (for tests). */
  int connections() {
    return limiter.open();
  }

  /**
   * How many entries the per-client tables hold now: addresses counted by the connection limit,
   * shares of the byte budget, lanes of the fair scheduler (for tests: a peer gone leaves none).
   */
  int[] perClientEntries() {
    return new int[] {limiter.addresses(), budget.shares(), scheduler == null ? 0 : scheduler.clients()};
  }

  /** Calls handed to procedures and not yet finished. */
  int callsInFlight() {
    return state.inFlight();
  }

  /** True once {@link #shutdown} has begun: calls that arrive are refused PROG_UNAVAIL. */
  boolean draining() {
    return state.draining();
  }

  /** Estimated bytes of the decoded arguments of calls in flight. */
  long decodedBytesInFlight() {
    return decoded.held();
  }

  /**
   * What the calls in flight of each client address (a {@code ClientAddress}, or a Unix-domain
   * user) hold of its share of the budget for decoded arguments: only addresses with calls
   * charged to it, those that came while half of the budget was held (for tests).
   */
  Map<Object, Long> decodedShares() {
    return decodedShares.held();
  }

  /** Calls decoded and queued for a thread of the executor, not yet running (for tests). */
  int queuedCalls() {
    return scheduler == null ? 0 : scheduler.queuedCalls();
  }

  /**
   * Counters of calls and of what was refused or dropped.
   *
   * @return a snapshot, counted since the server started
   */
  public ServerStats stats() {
    DuplicateRequestCache cache = processor.cache();
    UdpEndpoint udp = listeners.udpEndpoint();
    return new ServerStats(processor.calls.sum(), processor.malformed.sum(),
        processor.errorReplies.sum(), limiter.rejected.sum(), udp == null ? 0 : udp.dropped.sum(),
        cache == null ? 0 : cache.replayed.sum(),
        cache == null ? 0 : cache.inProgressDropped.sum(),
        cache == null ? 0 : cache.outcomeUnknown.sum(),
        cache == null ? 0 : cache.replies(),
        cache == null ? 0 : cache.bytes(),
        processor.droppedQueued.sum());
  }

  /**
   * Stops accepting connections, refuses every call that comes from now on PROG_UNAVAIL (nothing
   * runs: its client may send it to another instance; an Onyx {@code DirectoryClient} does),
   * waits up to {@code timeout} for calls in flight to finish and their replies to be written (a
   * peer that takes nothing of its replies for 2 seconds is closed without them), then keeps each
   * connection open, refusing, until its client closes its end or up to 2 seconds more (never
   * past {@code timeout}): ONC RPC has no GOAWAY, and a call sent as the server closed would end
   * unanswered. Then each connection closes behind its replies, lingering. Returns true if every
   * call finished in time. An I/O thread that a procedure blocks under {@link
   * RpcServerBuilder#directExecutor()} is waited for at most 5 seconds more, then left: its
   * connections close when the procedure returns. Called again, or by another thread while a
   * shutdown is under way, it waits up to {@code timeout} for that shutdown to end, and returns
   * whether no call is left.
   *
   * <p>Unlike grpc-java's {@code shutdown()}, it waits: called from a procedure of this server
   * (an "admin stop" call), it waits for that call too, the whole timeout, then cuts it off (its
   * caller gets {@code OUTCOME_UNKNOWN}, and the procedure's thread is interrupted). Such a
   * procedure hands the close to a thread of its own ({@code new Thread(server::close).start()})
   * and returns, and its caller gets its reply before the connection closes.
   *
   * @param timeout how long calls in flight may take to finish; not null
   * @return true if every call finished in time
   */
  public boolean shutdown(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (!shutDown.compareAndSet(false, true)) {
      // Another caller shuts it down (a shutdown hook, say, beside a try-with-resources): waited
      // for, so that no caller returns while the server's threads and connections are still there.
      try {
        terminated.await(ServerState.nanos(timeout), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return state.inFlight() == 0;
    }
    if (presence != null) {
      presence.withdraw(); // first, so that clients stop finding a server going away
    }
    listeners.closeListeners();
    boolean drained = new ServerDrain(state, channels, listeners, processor.refusedDraining::sum).drain(timeout);
    if (!drained) {
      LOG.warn("shutting down with {} calls still in flight", state.inFlight());
    }
    shutdownNow();
    if (started.get()) {
      // The start's line has its stop's: an operator tells a clean stop from a hang.
      LOG.info("Onyx server on {} stopped", ListenPlaces.describe(config, listeners.port()));
    }
    return drained;
  }

  private void shutdownNow() {
    // An I/O thread held by a procedure that blocks under directExecutor() runs neither its
    // connections' close nor its own end until the procedure returns: the waits for them are
    // bounded together, as a dedicated UDP thread's is, and what is left ends when it returns.
    long deadline = System.nanoTime() + STUCK_LOOP_WAIT.toNanos();
    // Connections first: a call cut short by the shutdown gets no reply, and its caller sees the
    // connection close, rather than a SYSTEM_ERR that would claim the procedure failed.
    boolean done = channels.close().awaitUninterruptibly(left(deadline));
    listeners.closeBlockingUdp(deadline);
    listeners.closeBlockingTcp(deadline);
    if (ownedExecutor != null) {
      ownedExecutor.shutdownNow();
    }
    bossGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    done &= ioGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(left(deadline));
    if (inProcessGroup != null) {
      done &= inProcessGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS)
          .awaitUninterruptibly(left(deadline));
      // After the server's loops have ended: their connections' last steps are queued by now.
      InProcessClientLoops.SHARED.release(inProcessClientLoops);
    }
    if (!done) {
      LOG.warn("shut down with an I/O thread still busy after {} s (a procedure that blocks under"
          + " directExecutor()?): its connections close when it is free", STUCK_LOOP_WAIT.toSeconds());
    }
    listeners.removeSocketFile();
    terminated.countDown();
  }

  /** Milliseconds until {@code deadline}, at least 1. */
  private static long left(long deadline) {
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
  }

  /**
   * Waits until the server has shut down ({@link #close} or {@link #shutdown}, called from a
   * shutdown hook, say, or another thread). Onyx's threads are daemons, so a {@code main} that
   * starts a server and returns ends the JVM at once: {@code start().awaitTermination()} serves
   * until the server is closed. Nothing else ends the wait, however long, but an interrupt: on a
   * server that nothing closes (nor ever started) it waits without end; {@link
   * #awaitTermination(Duration)} bounds it.
   *
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public void awaitTermination() throws InterruptedException {
    terminated.await();
  }

  /**
   * {@link #awaitTermination()} for at most {@code timeout}; true if the server has shut down.
   *
   * @param timeout how long to wait at most
   * @return true if the server has shut down
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    Objects.requireNonNull(timeout, "timeout");
    return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** {@link #shutdown} with the configured shutdown timeout. */
  @Override
  public void close() {
    shutdown(config.shutdownTimeout());
  }
}
