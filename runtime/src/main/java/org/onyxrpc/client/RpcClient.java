package org.onyxrpc.client;

import java.net.SocketAddress;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import org.onyxrpc.internal.Checks;
import org.onyxrpc.internal.RateLimitedLog;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.transport.Transport;

/**
 * Calls procedures of one ONC RPC server over one connection. Any number of calls may be
 * outstanding at once, sync and async alike; replies are matched to calls by xid and may arrive in
 * any order. Thread-safe: share one client among all the threads that talk to a server, and
 * close it when done: nothing closes a client dropped without {@link #close()}, which keeps its
 * connection, and the threads every client shares, until the JVM exits.
 *
 * <pre>{@code
 * try (RpcClient client = RpcClient.builder().address("localhost", 4711).build()) {
 *   long sum = client.call(CalculatorV1.ADD, new AddArgs(2, 3));             // waits
 *   CompletableFuture<Long> later = client.callAsync(CalculatorV1.ADD, args); // does not
 * }
 * }</pre>
 *
 * <p>Each call keeps a promise ({@link CallSemantics}): the procedure's default, or one chosen
 * with {@link CallOptions}. {@code MAYBE} calls are sent once. {@code AT_LEAST_ONCE} and {@code
 * AT_MOST_ONCE} calls are retransmitted with the same xid when an attempt gets no reply in time
 * or its connection is lost, after an exponentially growing, jittered wait, until the call's
 * deadline; an Onyx server runs an {@code AT_MOST_ONCE} call at most once whatever arrives.
 *
 * <p>Every failure is an {@link RpcException} with a {@link RpcStatus} that never claims more
 * than the client knows: the server's error replies; {@code UNAVAILABLE} only when no
 * transmission of the call ever left (it did not run, and may be made elsewhere); {@code
 * TIMEOUT} when the deadline passed without a reply (it may have run); {@code OUTCOME_UNKNOWN}
 * when it may have run and no reply can come any more: the server cannot account for a
 * retransmitted at-most-once call, or the connection was lost after the call went out and
 * either the call is not retransmitted ({@code MAYBE}, or {@code AT_MOST_ONCE} to a server
 * without Onyx's duplicate filter) or reconnecting is refused. A lost connection is made again
 * on the next transmission.
 *
 * <p>Timing is the client's: each outstanding call that no caller waits for has one timer (its
 * next retransmission or its deadline), set once it has gone unanswered for a few of the
 * timer's ticks unless that time is nearer; a sync call that is sent once has none, its caller's
 * timed wait is its timer. The client's state has one owner ({@link CallOwner}: its event loop,
 * or with {@link IoStrategy#CALLER_RUNS} whichever thread has work for it), which alone admits,
 * retransmits, completes and expires calls; no write ever waits for the socket, so nothing
 * blocks the owner. Threads are shared by every client of the process and stop with the last
 * ({@link RpcClientBuilder}). Generated stubs take any {@link RpcCaller}: this client, or a
 * directory-backed one.
 */
public final class RpcClient implements RpcCaller, AutoCloseable {
  private final ClientConfig config;
  private final String peer;
  private final long deadlineNanos;
  private final long attemptTimeoutNanos;
  private final ClientCounters counters = new ClientCounters();
  private final OutstandingCalls calls;
  private final AtomicInteger xids = new AtomicInteger(ThreadLocalRandom.current().nextInt());
  private final Connector connector;
  private final CallTimer timer;
  private final boolean sharedTimer;
  /** Alone admits, arms, retransmits, completes and expires calls, and asks the probe. */
  private final CallOwner owner;
  private final CallFailures failures;
  /** The steps of every call on the owner; also keeps whether the client is closed. */
  private final CallTransmitter transmitter;
  private final SyncCallWait syncWait;
  private final EventLoopGroup group; // shared, unless the builder was given one
  private final CallerRunsThreads callerRunsThreads; // shared; null unless caller-runs
  /** Null when none are installed: then a call makes no {@link ClientCall}. */
  private final ClientInterceptors interceptors;

  RpcClient(ClientConfig config) {
    this(config, null, null);
  }

  /**
   * {@code lookUp}: null, or how to ask the directory {@code directory} names for the server's
   * address again, when a connection to the one it gave cannot be made ({@link ServerFinder}).
   */
  RpcClient(ClientConfig config, Supplier<SocketAddress> lookUp, String directory) {
    this.config = config;
    this.calls = new OutstandingCalls(counters, config.maxPendingCalls());
    this.peer = config.peer();
    this.deadlineNanos = config.timeout().toNanos();
    this.attemptTimeoutNanos = config.attemptTimeout().toNanos();
    this.group = config.eventLoopGroup() != null ? config.eventLoopGroup()
        : SharedEventLoops.of(config.transport()).acquire();
    EventLoop loop = group.next(); // the connections' loop
    this.callerRunsThreads = config.ioStrategy() == IoStrategy.CALLER_RUNS
        && config.transport() == Transport.TCP ? CallerRunsThreads.SHARED.acquire() : null;
    // Caller-runs TCP and UDP: the caller that reads a reply completes it, with no hand-off.
    boolean callersOwn = config.ioStrategy() == IoStrategy.CALLER_RUNS
        && (config.transport() == Transport.TCP || config.transport() == Transport.UDP);
    this.owner = callersOwn ? new DrainingOwner() : new EventLoopOwner(loop);
    this.sharedTimer = config.timer() == null;
    this.timer = sharedTimer ? WheelTimer.SHARED.acquire() : config.timer();
    // Whether a sync caller's own timed wait keeps the clock's time (a real clock's does).
    boolean callerWaitIsTimer = timer instanceof WheelTimer;
    // A real clock's calls due later are armed by a sweep, if still unanswered (CallArming).
    CallArming arming = new CallArming(timer, owner, callerWaitIsTimer);
    // The probe is the client's own: it never counts against maxPendingCalls.
    TagProbe probe = new TagProbe(calls, (ping, options) -> start(ping, null, options, true, null, false),
        config.attemptTimeout());
    this.failures = new CallFailures(peer, config.transport() == Transport.UDP, calls, timer, arming,
        counters, probe::pingSent);
    UUID id = UUID.randomUUID();
    this.connector = new Connector(config, new ConnectionSetup(config.transport(), peer, owner, timer,
        calls, config.credentials().toOpaqueAuth(), id.getMostSignificantBits(),
        id.getLeastSignificantBits(), config.maxMessageBytes(), config.maxQueuedBytes(),
        lost -> owner.execute(() -> connectionLost(lost))), counters,
        loop, callerRunsThreads, lookUp == null ? null
            : new ServerFinder(config.address(), lookUp, directory, timer, attemptTimeoutNanos), owner);
    this.transmitter = new CallTransmitter(peer, config.maxPendingCalls(), owner, calls, timer,
        callerWaitIsTimer, arming, probe, connector, failures, counters,
        config.transport() == Transport.UDP);
    this.syncWait = new SyncCallWait(owner, timer, callerWaitIsTimer, failures, peer);
    this.interceptors = ClientInterceptors.of(config.interceptors(), config.address(),
        config.transport(), timer);
  }

  /** The live connection, or one being made; for tests, on the thread that made the calls. */
  CompletableFuture<Connection> connection() {
    return connector.connection();
  }

  /**
   * A builder; the server is required: its address, Unix socket, in-process name or directory.
   *
   * @return a new builder with the defaults its setters list
   */
  public static RpcClientBuilder builder() {
    return new RpcClientBuilder();
  }

  /**
   * Calls {@code procedure} and waits for its result, within the client's deadline.
   *
   * @throws RpcException with the reply's status, or TIMEOUT, UNAVAILABLE, OUTCOME_UNKNOWN,
   *     RESOURCE_EXHAUSTED, CANCELLED (interrupted, or the client closed: "not sent" if it was
   *     closed before the call), INTERNAL (arguments its codec cannot encode, or a reply it
   *     cannot decode)
   * @throws IllegalStateException made on this client's own event loop (an async call's
   *     callback, {@link IoStrategy#EVENT_LOOP}), which would wait for the reply it alone reads;
   *     not sent
   */
  @Override
  public <A, R> R call(Procedure<A, R> procedure, A args) {
    return call(procedure, args, CallOptions.DEFAULT);
  }

  /** {@link #call(Procedure, Object)} with this call's own promise, deadline or attempt timeout. */
  @Override
  public <A, R> R call(Procedure<A, R> procedure, A args, CallOptions options) {
    Checks.callArguments(procedure, options);
    refuseWaitOnOwnLoop(procedure);
    Thread caller = Thread.currentThread();
    refuseIfInterrupted(procedure, caller);
    return syncWait.awaitOutcome(start(procedure, args, options, true, caller, true));
  }

  /**
   * A caller already interrupted would send the call and then give up its wait at once, told
   * that it may have run: refused before it goes, with its interrupt kept.
   */
  private void refuseIfInterrupted(Procedure<?, ?> procedure, Thread caller) {
    if (caller.isInterrupted()) {
      throw new RpcException(RpcStatus.CANCELLED, procedure.describe() + " to " + peer
          + " not sent: the calling thread was interrupted before the call");
    }
  }

  /**
   * A sync call on the event loop that must read its reply would hold that loop, and every
   * connection it serves, until the call's deadline, and then fail it TIMEOUT.
   */
  private void refuseWaitOnOwnLoop(Procedure<?, ?> procedure) {
    if (owner.waitWouldBlockItself()) {
      throw new IllegalStateException("a blocking call of " + procedure.describe() + " on "
          + Thread.currentThread().getName() + ", the event loop that reads its reply (in an async "
          + "call's callback?), would wait for itself: not sent. Chain it with callAsync and "
          + "thenCompose, or run the callback elsewhere with thenApplyAsync(f, executor)");
    }
  }

  /**
   * Calls {@code procedure} without waiting. The future completes with the result, or
   * exceptionally with an {@link RpcException}; cancelling it stops its retransmissions.
   * {@code args} are the call's until the future completes: they are encoded when the call is
   * sent, and again for each retransmission, so a caller that changes them (an array it reuses)
   * waits for the future first.
   */
  @Override
  public <A, R> CompletableFuture<R> callAsync(Procedure<A, R> procedure, A args) {
    return callAsync(procedure, args, CallOptions.DEFAULT);
  }

  /** {@link #callAsync(Procedure, Object)} with this call's own options. */
  @Override
  public <A, R> CompletableFuture<R> callAsync(Procedure<A, R> procedure, A args, CallOptions options) {
    Checks.callArguments(procedure, options);
    return start(procedure, args, options, true, null, true);
  }

  /**
   * Stops sending {@code call} again without forgetting it: unlike cancelling it, a reply that
   * comes before its deadline still completes it, and otherwise it fails then as it would have.
   * For a caller that no longer wants a result but must learn the outcome of a call that may
   * have run, such as one that opens something only its reply names, which the caller then
   * closes. A call not yet sent is cancelled (nothing ran). Does nothing to a call that is done,
   * or is not one this client's {@code callAsync} returned.
   *
   * @param call a future {@link #callAsync} returned
   * @return true if {@code call} is this client's and was not done
   */
  public boolean stopRetransmitting(CompletableFuture<?> call) {
    Objects.requireNonNull(call, "call");
    if (!(call instanceof PendingCall<?, ?> pending) || !pending.of(transmitter) || call.isDone()) {
      return false;
    }
    owner.execute(pending::stopRetransmitting);
    return true;
  }

  /**
   * Sends a one-way call: no reply is awaited (RFC 5531 §7.4.1 batching) and it is never
   * retransmitted. The future completes when the call is handed to the network, which says
   * nothing of whether it ran.
   */
  @Override
  public <A> CompletableFuture<Void> send(Procedure<A, Void> procedure, A args) {
    return send(procedure, args, CallOptions.DEFAULT);
  }

  /** {@link #send(Procedure, Object)} with this call's own deadline. */
  @Override
  public <A> CompletableFuture<Void> send(Procedure<A, Void> procedure, A args, CallOptions options) {
    Checks.callArguments(procedure, options);
    return start(procedure, args, options.withSemantics(CallSemantics.MAYBE), false, null, true);
  }

  @Override
  public <A> void sendAndWait(Procedure<A, Void> procedure, A args, CallOptions options) {
    Checks.callArguments(procedure, options);
    refuseWaitOnOwnLoop(procedure);
    Thread caller = Thread.currentThread();
    refuseIfInterrupted(procedure, caller);
    syncWait.awaitOutcome(start(procedure, args, options.withSemantics(CallSemantics.MAYBE), false,
        caller, true));
  }

  /**
   * Calls procedure 0, the NULL ping, of a program version, once; throws if the server lacks it.
   *
   * @param program the program number
   * @param version the version number
   * @throws RpcException PROG_UNAVAIL or PROG_MISMATCH if the server lacks it, or as any call fails
   */
  public void ping(int program, int version) {
    call(Procedure.nullPing(program, version), null);
  }

  /**
   * Where the client calls, for a log line: {@code RpcClient[tcp calc.example:4711, TLS]}, and
   * "closed" once it is.
   *
   * @return the description, of bounded length
   */
  @Override
  public String toString() {
    return "RpcClient[" + RateLimitedLog.shortText(peer) + (config.tls() != null ? ", TLS" : "")
        + (transmitter.isClosed() ? ", closed" : "") + "]";
  }

  /**
   * Starts a call; {@code waiter} is the thread that will wait for it, null if none will;
   * {@code limited}: whether it counts against maxPendingCalls (the client's own pings do not).
   */
  private <A, R> PendingCall<A, R> start(Procedure<A, R> procedure, A args, CallOptions options,
      boolean expectReply, Thread waiter, boolean limited) {
    ClientCall observed = null;
    if (interceptors != null && limited) {
      observed = interceptors.start(procedure, options, !expectReply);
      options = observed.options();
    }
    long now = timer.nanoTime();
    CallSemantics semantics = options.semantics() != null ? options.semantics() : procedure.semantics();
    long deadline = options.deadline() != null ? options.deadline().toNanos() : deadlineNanos;
    long attempt = options.attemptTimeout() != null ? options.attemptTimeout().toNanos() : attemptTimeoutNanos;
    // Encoded once here: every transmission carries these bytes, which a duplicate cache keys on.
    OpaqueAuth credential = options.credentials() != null ? options.credentials().toOpaqueAuth() : null;
    PendingCall<A, R> call = new PendingCall<>(transmitter, xids.incrementAndGet(), procedure, args,
        semantics, credential, now, deadline, attempt, expectReply, waiter);
    call.limited = limited;
    call.tagged = !limited; // the client's own ping, the tag probe, asks with a tag (TagProbe)
    if (observed != null && !observe(call, observed)) {
      return call;
    }
    if (transmitter.isClosed()) {
      call.fail(RpcStatus.CANCELLED, CallFailures.closedClient(call, peer), null);
      return call;
    }
    counters.calls.increment();
    owner.execute(call); // admits it (CallTransmitter), now on this thread if it may own
    return call;
  }

  /** Hands the call's end to its interceptors; false if one of them refused it, which failed it. */
  private static boolean observe(PendingCall<?, ?> call, ClientCall observed) {
    call.observed = observed;
    if (observed.refusal() != null) {
      call.settleExceptionally(observed.refusal()); // before its admission: nothing to forget
      return false;
    }
    return true;
  }

  /** On the owner, when a connection closed. */
  private void connectionLost(Connection connection) {
    if (connection.nothingListens()) {
      connector.nothingListens(); // over UDP; over TCP, a refused connect tells
    }
    failures.connectionLost(connection, transmitter.isClosed(), transmitter::resend);
  }

  /**
   * Counters of calls, retransmissions, timeouts, late replies and connections made.
   *
   * @return a snapshot, counted since the client was built
   */
  public ClientStats stats() {
    return counters.snapshot();
  }

  /**
   * The server's address: an {@code InetSocketAddress} over TCP and UDP, a {@link
   * org.onyxrpc.transport.UnixSocketAddress} over UNIX, Netty's {@code LocalAddress} in-process.
   *
   * @return the address given to the builder, or the one its directory gave last (a client
   *     built by name looks the server up again when it cannot connect)
   */
  public SocketAddress address() {
    return connector.address();
  }

  /**
   * Closes the connection; calls still outstanding fail with CANCELLED: "not sent" for those that
   * never went out (waiting for the connection, or for the NULL ping that goes first), which did
   * not run; "closed before the reply" for the others, which may have. The last client closed
   * stops the threads clients share. Closing again does nothing.
   */
  @Override
  public void close() {
    if (!transmitter.close()) {
      return;
    }
    CompletableFuture<Void> failed = new CompletableFuture<>();
    owner.execute(() -> {
      try {
        for (PendingCall<?, ?> call : calls.all()) {
          if (calls.remove(call)) {
            call.fail(RpcStatus.CANCELLED, call.sent ? "client to " + peer + " closed before the reply to "
                + call.procedure.describe() : CallFailures.closedClient(call, peer), null);
          }
        }
        connector.close();
      } finally {
        failed.complete(null);
      }
    });
    failed.join(); // the owner never blocks: this is a short wait
    if (config.eventLoopGroup() == null) {
      SharedEventLoops.of(config.transport()).release(group);
    }
    if (callerRunsThreads != null) {
      CallerRunsThreads.SHARED.release(callerRunsThreads);
    }
    if (sharedTimer) {
      WheelTimer.SHARED.release((WheelTimer) timer);
    }
  }
}
