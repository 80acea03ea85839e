package org.onyxrpc.client;

import java.net.SocketAddress;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls procedures of one ONC RPC server over one connection. Any number of calls may be
 * outstanding at once, sync and async alike; replies are matched to calls by xid and may arrive in
 * any order. Thread-safe: share one client among all the threads that talk to a server.
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
 * next retransmission or its deadline); a sync call that is sent once has none, its caller's
 * timed wait is its timer. The client's state has one owner ({@link CallOwner}: its event loop,
 * or with {@link IoStrategy#CALLER_RUNS} whichever thread has work for it), which alone admits,
 * retransmits, completes and expires calls; no write ever waits for the socket, so nothing
 * blocks the owner. Threads are shared by every client of the process and stop with the last
 * ({@link RpcClientBuilder}). Generated stubs take any {@link RpcCaller}: this client, or a
 * directory-backed one.
 */
public final class RpcClient implements RpcCaller, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RpcClient.class);
  /** How long a caller whose deadline passed waits for the owner to expire its call, at most. */
  private static final long EXPIRY_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

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
  /** Whether a sync caller's own timed wait keeps the clock's time (a real clock's does). */
  private final boolean callerWaitIsTimer;
  /** Alone admits, arms, retransmits, completes and expires calls, and asks the probe. */
  private final CallOwner owner;
  private final CallArming arming;
  private final TagProbe probe;
  private final CallSteps steps = new CallSteps() {
    @Override
    public CallOwner owner() {
      return owner;
    }

    @Override
    public void next(PendingCall<?, ?> call) {
      if (call.attempt == 0) {
        admit(call);
      } else {
        due(call);
      }
    }

    @Override
    public void forget(PendingCall<?, ?> call) {
      calls.remove(call);
    }
  };
  private final EventLoopGroup group; // shared, unless the builder was given one
  private final CallerRunsThreads callerRunsThreads; // shared; null unless caller-runs
  /** Null when none are installed: then a call makes no {@link ClientCall}. */
  private final ClientInterceptors interceptors;
  private volatile boolean closed;

  RpcClient(ClientConfig config) {
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
    this.callerWaitIsTimer = timer instanceof WheelTimer;
    UUID id = UUID.randomUUID();
    this.connector = new Connector(config, new ConnectionSetup(config.transport(), peer, owner, timer,
        calls, config.credentials().toOpaqueAuth(), id.getMostSignificantBits(),
        id.getLeastSignificantBits(), config.maxMessageBytes(), config.maxQueuedBytes(),
        lost -> owner.execute(() -> connectionLost(lost))), counters,
        loop, callerRunsThreads);
    // The probe is the client's own: it never counts against maxPendingCalls.
    this.probe = new TagProbe(calls, (ping, options) -> start(ping, null, options, true, null, false),
        config.attemptTimeout());
    this.arming = new CallArming(timer);
    this.interceptors = ClientInterceptors.of(config.interceptors(), config.address(),
        config.transport(), timer);
  }

  /** A builder; {@code address} is required. */
  public static RpcClientBuilder builder() {
    return new RpcClientBuilder();
  }

  /**
   * Calls {@code procedure} and waits for its result, within the client's deadline.
   *
   * @throws RpcException with the reply's status, or TIMEOUT, UNAVAILABLE, OUTCOME_UNKNOWN,
   *     RESOURCE_EXHAUSTED, CANCELLED (interrupted)
   */
  @Override
  public <A, R> R call(Procedure<A, R> procedure, A args) {
    return call(procedure, args, CallOptions.DEFAULT);
  }

  /** {@link #call(Procedure, Object)} with this call's own promise, deadline or attempt timeout. */
  @Override
  public <A, R> R call(Procedure<A, R> procedure, A args, CallOptions options) {
    return awaitOutcome(start(procedure, args, options, true, Thread.currentThread(), true));
  }

  private <R> R awaitOutcome(PendingCall<?, R> call) {
    if (!await(call)) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      throw new RpcException(RpcStatus.CANCELLED, call.procedure.describe() + " interrupted");
    }
    return outcome(call);
  }

  /**
   * Waits until {@code call} is done or its deadline passes (then it is expired); on a
   * caller-runs connection the waiting thread reads the replies itself. False if interrupted.
   */
  private boolean await(PendingCall<?, ?> call) {
    boolean expiring = false;
    while (!call.isDone()) {
      if (Thread.interrupted()) {
        return false;
      }
      long left = call.deadlineNanos - timer.nanoTime();
      if (left <= 0) {
        if (!expiring) {
          expiring = true;
          owner.execute(() -> expire(call));
        } else {
          LockSupport.parkNanos(call, EXPIRY_WAIT_NANOS); // the owner expires it and unparks us
        }
        continue;
      }
      Connection c = call.connection;
      if (c != null && c.isActive()) {
        c.await(call, callerWaitIsTimer ? call.deadlineNanos : System.nanoTime() + left);
      } else {
        LockSupport.parkNanos(call, left); // not sent yet: completing the call unparks this thread
      }
    }
    return true;
  }

  /**
   * Calls {@code procedure} without waiting. The future completes with the result, or
   * exceptionally with an {@link RpcException}; cancelling it stops its retransmissions.
   */
  @Override
  public <A, R> CompletableFuture<R> callAsync(Procedure<A, R> procedure, A args) {
    return callAsync(procedure, args, CallOptions.DEFAULT);
  }

  /** {@link #callAsync(Procedure, Object)} with this call's own options. */
  @Override
  public <A, R> CompletableFuture<R> callAsync(Procedure<A, R> procedure, A args, CallOptions options) {
    return start(procedure, args, options, true, null, true);
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
    return start(procedure, args, options.withSemantics(CallSemantics.MAYBE), false, null, true);
  }

  @Override
  public <A> void sendAndWait(Procedure<A, Void> procedure, A args, CallOptions options) {
    awaitOutcome(start(procedure, args, options.withSemantics(CallSemantics.MAYBE), false,
        Thread.currentThread(), true));
  }

  /** Calls procedure 0, the NULL ping, of a program version, once; throws if the server lacks it. */
  public void ping(int program, int version) {
    call(new Procedure<>(program, version, 0, "NULL", XdrCodecs.VOID, XdrCodecs.VOID,
        CallSemantics.MAYBE), null);
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
    PendingCall<A, R> call = new PendingCall<>(steps, xids.incrementAndGet(), procedure, args,
        semantics, now, deadline, attempt, expectReply, waiter);
    call.limited = limited;
    if (observed != null && !observe(call, observed)) {
      return call;
    }
    if (closed) {
      call.fail(RpcStatus.CANCELLED, "client to " + peer + " is closed", null);
      return call;
    }
    counters.calls.increment();
    owner.execute(call); // admit(call), now on this thread if it may own
    return call;
  }

  /** On the owner: makes a new call outstanding and sends it. */
  private void admit(PendingCall<?, ?> call) {
    if (call.isDone()) {
      return; // cancelled before its turn
    }
    if (closed) {
      call.fail(RpcStatus.CANCELLED, "client to " + peer + " is closed", null);
      return;
    }
    if (call.expectReply) {
      if (call.limited && calls.limitedSize() >= config.maxPendingCalls()) {
        call.fail(RpcStatus.RESOURCE_EXHAUSTED, config.maxPendingCalls() + " calls already "
            + "outstanding to " + peer + "; not sending " + call.procedure.describe(), null);
        return;
      }
      calls.add(call, call.limited);
    }
    tagForMetadata(call);
    call.attempt = 1;
    Retransmission retry = call.retry;
    if (retry != null) {
      retry.tries = 1;
      retry.nextAttemptNanos = timer.nanoTime() + CallArming.backoff(retry.attemptTimeoutNanos, 1);
    }
    if (call.expectReply && (call.waiter == null || retry != null || !callerWaitIsTimer)) {
      arming.arm(call); // a sync call sent once has its caller's timed wait instead
    }
    transmit(call);
  }

  /** Hands the call's end to its interceptors; false if one of them refused it, which failed it. */
  private static boolean observe(PendingCall<?, ?> call, ClientCall observed) {
    call.observed = observed;
    if (observed.refusal() != null) {
      call.completeExceptionally(observed.refusal());
      return false;
    }
    return true;
  }

  /**
   * On the owner: a one-shot call with metadata goes tagged, to carry it, once the server has
   * said it reads metadata; until then the first such call asks, so that later ones may.
   */
  private void tagForMetadata(PendingCall<?, ?> call) {
    ClientCall observed = call.observed;
    if (observed == null || observed.metadataToSend() == null || call.semantics != CallSemantics.MAYBE) {
      return;
    }
    if (calls.serverReadsMetadata()) {
      call.tagged = true;
    } else if (!calls.serverTags()) {
      probe.serverTags(call.procedure);
    }
  }

  /** Sends the call's current attempt on the live connection, connecting first if need be. */
  private void transmit(PendingCall<?, ?> call) {
    Retransmission retry = call.retry;
    if (retry == null) {
      send(call); // MAYBE: once, as it is
      return;
    }
    retry.nextAttemptNanos = timer.nanoTime() + CallArming.backoff(retry.attemptTimeoutNanos, retry.tries);
    if (!retry.settled) {
      // On the owner, as every completion of a call is: so are the callbacks below.
      CompletableFuture<Boolean> tags = probe.serverTags(call.procedure);
      Boolean known = tags.isDone() && !tags.isCompletedExceptionally() ? tags.join() : null;
      if (known == null) {
        tags.whenComplete((speaks, failure) -> {
          if (failure == null) {
            firstTransmission(call, speaks);
          } else if (TagProbe.statusOf(failure) == RpcStatus.TIMEOUT) {
            // The server is silent: try again later; at the deadline the call times out.
            retry.nextAttemptNanos = timer.nanoTime() + CallArming.backoff(retry.attemptTimeoutNanos, retry.tries);
          } else {
            notSent(call, reason(failure), true);
          }
        });
        return;
      }
      firstTransmission(call, known);
      return;
    }
    send(call);
  }

  /**
   * Settles how a retransmitting call travels: tagged to a server that filters duplicates; to
   * any other, untagged, and an at-most-once call is then never sent twice, since only the
   * server could keep a second transmission from running again.
   */
  private void firstTransmission(PendingCall<?, ?> call, boolean serverTags) {
    Retransmission retry = call.retry;
    retry.tagged = serverTags;
    retry.mayRetransmit = serverTags || call.semantics == CallSemantics.AT_LEAST_ONCE;
    retry.epochAtFirstSend = calls.serverEpoch();
    retry.settled = true;
    send(call);
  }

  private void send(PendingCall<?, ?> call) {
    send(call, true);
  }

  private void send(PendingCall<?, ?> call, boolean mayRetry) {
    CompletableFuture<Connection> c = connector.connection();
    Connection ready = c.isDone() && !c.isCompletedExceptionally() ? c.join() : null;
    if (ready != null) {
      sendOn(ready, call, mayRetry);
    } else {
      c.whenComplete((conn, failure) -> owner.execute(() -> { // on the connecting thread
        if (failure != null) {
          notSent(call, reason(failure), true);
        } else {
          sendOn(conn, call, mayRetry);
        }
      }));
    }
  }

  private void sendOn(Connection connection, PendingCall<?, ?> call, boolean mayRetry) {
    if (connection.transmit(call)) {
      call.sent = true;
      if (call.retry != null) {
        call.retry.lastFailure = null;
      }
    } else if (mayRetry && !closed) {
      // Found closed before anything was written, as an idle connection the server dropped:
      // the call goes on a new one.
      send(call, false);
    } else {
      notSent(call, "connection closed", false);
    }
  }

  /** What a failed connect or probe says, for a message: its own words, else what it is. */
  private static String reason(Throwable failure) {
    Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
  }

  /**
   * A transmission that could not go out. A call none of whose transmissions ever left cannot
   * have run: it fails now with UNAVAILABLE, and the caller may go elsewhere. One that went out
   * before, on a connection since lost, may have run: when the server cannot be reached again
   * (it died, or a non-Onyx server reset us), waiting longer would only delay the same answer,
   * so it fails now with OUTCOME_UNKNOWN. Otherwise a retransmitting call is tried again until
   * its deadline.
   */
  private void notSent(PendingCall<?, ?> call, String reason, boolean unreachable) {
    if (call.retry != null) {
      call.retry.lastFailure = reason;
    }
    if (!call.expectReply) {
      LOG.info("{} to {}: not sent: {}", call.procedure.describe(), peer, reason);
      call.fail(RpcStatus.UNAVAILABLE,
          "cannot reach " + peer + " to call " + call.procedure.describe() + ": " + reason, null);
      return;
    }
    if (unreachable || !call.retransmits()) {
      if (calls.remove(call)) {
        if (call.sent) {
          failMayHaveRun(call, "then " + reason);
        } else {
          LOG.info("{} to {}: not sent: {}", call.procedure.describe(), peer, reason);
          call.fail(RpcStatus.UNAVAILABLE,
              "cannot reach " + peer + " to call " + call.procedure.describe() + ": " + reason, null);
        }
      }
      return;
    }
    Retransmission retry = call.retry;
    retry.nextAttemptNanos = timer.nanoTime() + CallArming.backoff(retry.attemptTimeoutNanos / 4, retry.tries);
    arming.rearm(call); // sooner than it was set for
  }

  /** Ends a call that went out and got no reply, nor ever can: it may or may not have run. */
  private void failMayHaveRun(PendingCall<?, ?> call, String what) {
    counters.outcomeUnknown.increment();
    String attempts = call.attempt > 1 ? " (" + call.attempt + " transmissions)" : "";
    LOG.info("{} to {}: outcome unknown: connection lost after sending{}, {}",
        call.procedure.describe(), peer, attempts, what);
    call.fail(RpcStatus.OUTCOME_UNKNOWN, call.procedure.describe() + " may have executed: it was"
        + " sent to " + peer + attempts + ", the connection was lost before its reply, " + what,
        null);
  }

  /**
   * On the owner, when a connection closed: its one-shot calls, which went out on it, end now
   * (they may have run); the others go again on a new one.
   */
  private void connectionLost(Connection connection) {
    long now = timer.nanoTime();
    if (!closed) {
      LOG.info("connection to {} lost", peer);
    }
    for (PendingCall<?, ?> call : calls.all()) {
      if (call.connection != connection) {
        continue;
      }
      if (!call.retransmits()) {
        if (calls.remove(call)) {
          failMayHaveRun(call, "and " + call.semantics + " does not send it again");
        }
      } else {
        Retransmission retry = call.retry;
        retry.lastFailure = "connection lost";
        retry.nextAttemptNanos = now + CallArming.backoff(retry.attemptTimeoutNanos / 4, retry.tries);
        arming.rearm(call); // sooner than it was set for
      }
    }
  }

  /** On the owner, when a call's timer fires: expires it, or retransmits it, and sets it again. */
  private void due(PendingCall<?, ?> call) {
    if (call.isDone()) {
      return;
    }
    long now = timer.nanoTime();
    try {
      if (now - call.deadlineNanos >= 0) {
        expire(call);
        return;
      }
      if (call.retransmits() && now - call.retry.nextAttemptNanos >= 0) {
        call.retry.tries++;
        if (call.retry.settled) {
          call.attempt++;
          counters.retransmissions.increment();
          LOG.debug("retransmitting {} to {} (attempt {})", call.procedure.describe(), peer, call.attempt);
        }
        transmit(call); // an unsettled call asks its server again whether it speaks tags
      }
    } catch (RuntimeException e) {
      LOG.warn("{}: could not retransmit or expire: {}", call.procedure.describe(), e.toString(), e);
    }
    if (!call.isDone()) {
      arming.arm(call);
    }
  }

  /**
   * On the owner: ends a call at its deadline: TIMEOUT if any transmission went out (it may
   * have run), UNAVAILABLE only if none ever did.
   */
  private void expire(PendingCall<?, ?> call) {
    if (call.expectReply ? !calls.remove(call) : call.isDone()) {
      return;
    }
    String attempts = call.attempt > 1 ? " (" + call.attempt + " transmissions)" : "";
    String lastFailure = call.lastFailure();
    if (!call.sent && lastFailure != null) {
      LOG.info("{} to {}: unreachable until its deadline: {}", call.procedure.describe(), peer,
          lastFailure);
      call.fail(RpcStatus.UNAVAILABLE, "cannot reach " + peer + " to call "
          + call.procedure.describe() + ": " + lastFailure, null);
      return;
    }
    counters.timeouts.increment();
    LOG.info("{} to {}: no reply within {} ms{}", call.procedure.describe(), peer,
        TimeUnit.NANOSECONDS.toMillis(call.budgetNanos), attempts);
    String unsent = call.retry == null || call.retry.settled ? ""
        : " (not sent: the server did not answer the NULL ping that comes first)";
    String lastly = call.sent && lastFailure != null ? "; lastly: " + lastFailure : "";
    call.fail(RpcStatus.TIMEOUT, "no reply from " + peer + " to " + call.procedure.describe()
        + " within " + TimeUnit.NANOSECONDS.toMillis(call.budgetNanos) + " ms" + attempts + unsent
        + lastly, null);
  }

  /** The result of a done call; a failure is thrown anew on the calling thread. */
  private static <R> R outcome(PendingCall<?, R> call) {
    try {
      return call.get();
    } catch (ExecutionException e) {
      throw ((RpcException) e.getCause()).rethrownHere();
    } catch (CancellationException e) {
      throw new RpcException(RpcStatus.CANCELLED, call.procedure.describe() + " cancelled", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RpcException(RpcStatus.CANCELLED, call.procedure.describe() + " interrupted", e);
    }
  }

  /** Counters of calls, retransmissions, timeouts, late replies and connections made. */
  public ClientStats stats() {
    return counters.snapshot();
  }

  /**
   * The server's address: an {@code InetSocketAddress} over TCP and UDP, a {@link
   * org.onyxrpc.transport.UnixSocketAddress} over UNIX, Netty's {@code LocalAddress} in-process.
   */
  public SocketAddress address() {
    return config.address();
  }

  /**
   * Closes the connection; calls still outstanding fail with CANCELLED. The last client closed
   * stops the threads clients share.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    CompletableFuture<Void> failed = new CompletableFuture<>();
    owner.execute(() -> {
      try {
        for (PendingCall<?, ?> call : calls.all()) {
          if (calls.remove(call)) {
            call.fail(RpcStatus.CANCELLED, "client to " + peer + " closed before the reply to "
                + call.procedure.describe(), null);
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
