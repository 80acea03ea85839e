package org.onyxrpc.client;

import java.util.concurrent.CompletableFuture;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.RpcStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a client's calls from their start to the wire, on its {@link CallOwner}: admits each
 * new call (within maxPendingCalls), arms its timer, sends it on the live connection, connecting
 * first if need be, and sends it again when its timer finds a retransmission due. One per
 * client; it is the steps every {@link PendingCall} of the client takes.
 */
final class CallTransmitter implements CallSteps {
  // The client's logger: one setting covers all that a client logs.
  private static final Logger LOG = LoggerFactory.getLogger(RpcClient.class);
  /**
   * How many of the NULL pings a call waits for may lose their connections before it fails
   * UNAVAILABLE, never having left: one may meet a reset, but a server that takes every
   * connection and drops it unanswered is as unreachable as one that refuses them. Two, as a
   * connection found closed before anything is written on it is followed by one more.
   */
  private static final int PINGS_LOST = 2;

  private final String peer;
  private final int maxPendingCalls;
  private final CallOwner owner;
  private final OutstandingCalls calls;
  private final CallTimer timer;
  /** Whether a sync caller's own timed wait keeps the clock's time (a real clock's does). */
  private final boolean callerWaitIsTimer;
  private final CallArming arming;
  private final TagProbe probe;
  private final Connector connector;
  private final CallFailures failures;
  private final ClientCounters counters;
  /** Over UDP: no connection tells the client its server was replaced. */
  private final boolean datagram;
  private volatile boolean closed;

  CallTransmitter(String peer, int maxPendingCalls, CallOwner owner, OutstandingCalls calls,
      CallTimer timer, boolean callerWaitIsTimer, CallArming arming, TagProbe probe,
      Connector connector, CallFailures failures, ClientCounters counters, boolean datagram) {
    this.peer = peer;
    this.maxPendingCalls = maxPendingCalls;
    this.owner = owner;
    this.calls = calls;
    this.timer = timer;
    this.callerWaitIsTimer = callerWaitIsTimer;
    this.arming = arming;
    this.probe = probe;
    this.connector = connector;
    this.failures = failures;
    this.counters = counters;
    this.datagram = datagram;
  }

  /** Whether the client is closed: then no call is admitted and no connection made again. */
  boolean isClosed() {
    return closed;
  }

  /** Marks the client closed; false if it already was. */
  synchronized boolean close() {
    if (closed) {
      return false;
    }
    closed = true;
    return true;
  }

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

  /** On the owner: makes a new call outstanding and sends it. */
  private void admit(PendingCall<?, ?> call) {
    if (call.isDone()) {
      return; // cancelled before its turn
    }
    if (closed) {
      call.fail(RpcStatus.CANCELLED, CallFailures.closedClient(call, peer), null);
      return;
    }
    if (call.expectReply) {
      if (call.limited && calls.limitedSize() >= maxPendingCalls) {
        call.fail(RpcStatus.RESOURCE_EXHAUSTED, maxPendingCalls + " calls already "
            + "outstanding to " + peer + "; not sending " + call.procedure.describe(), null);
        return;
      }
      calls.add(call, call.limited);
    }
    tagForMetadata(call);
    call.attempt = 1;
    Retransmission retry = call.retry;
    // a sync call sent once has its caller's timed wait instead
    boolean arms = call.expectReply && (call.waiter == null || retry != null || !callerWaitIsTimer);
    // One reading of the clock serves the attempt's timeout, the timer and the send: microseconds
    // apart, and each reading was ~3% of an event loop's time under 64 calls outstanding.
    long now = retry != null || arms ? timer.nanoTime() : 0L;
    if (retry != null) {
      retry.tries = 1;
      retry.nextAttemptNanos = now + CallArming.backoff(retry.attemptTimeoutNanos, 1);
    }
    if (arms) {
      arming.arm(call, now);
    }
    transmit(call, now);
  }

  /**
   * On the owner: a one-shot call with metadata goes tagged, to carry it, once the server has
   * said it reads metadata; until then the first such call asks, so that later ones may.
   */
  private void tagForMetadata(PendingCall<?, ?> call) {
    ClientCall observed = call.observed;
    if (observed == null || observed.metadataToSend() == null || call.semantics() != CallSemantics.MAYBE) {
      return;
    }
    if (calls.serverReadsMetadata()) {
      call.tagged = true;
    } else if (!calls.serverTags()) {
      probe.serverTags(call.procedure);
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
        failures.expire(call);
        return;
      }
      if (call.retransmits() && now - call.retry.nextAttemptNanos >= 0) {
        if (unconfirmed(call.retry)) {
          confirmThenRetransmit(call, now);
          return;
        }
        call.retry.tries++;
        if (call.retry.settled) {
          call.attempt++;
          counters.retransmissions.increment();
          LOG.debug("retransmitting {} to {} (attempt {})", call.procedure.describe(), peer, call.attempt);
        }
        transmit(call, now); // an unsettled call asks its server again whether it speaks tags
      }
    } catch (RuntimeException e) {
      LOG.warn("{}: could not retransmit or expire: {}", call.procedure.describe(), e.toString(), e);
    }
    if (!call.isDone()) {
      arming.arm(call);
    }
  }

  /**
   * Whether a tagged at-most-once call over UDP is due to go again with no reply heard since its
   * last transmission from a server that filters duplicates. A datagram socket does not tell the
   * client that another server took the address (a C one, which runs every transmission), so it
   * is not sent again on what a server said earlier: one tagged reply since, to any call, or a
   * tagged NULL ping, shows the server there filters it.
   */
  private boolean unconfirmed(Retransmission retry) {
    return datagram && retry.settled && retry.atMostOnce && retry.tagged
        && calls.filteringReplies() == retry.filteringRepliesAtSend;
  }

  /**
   * Asks the server with a tagged NULL ping before the call goes again ({@link #unconfirmed}):
   * answered tagged by a server that filters duplicates, it is sent; answered untagged, it goes
   * no more ({@link OutstandingCalls#heardUntagged}) and waits for its reply or its deadline;
   * unanswered, it asks again at its next attempt.
   */
  private void confirmThenRetransmit(PendingCall<?, ?> call, long now) {
    Retransmission retry = call.retry;
    retry.tries++; // backs off as a retransmission does
    retry.nextAttemptNanos = now + CallArming.backoff(retry.attemptTimeoutNanos, retry.tries);
    arming.arm(call);
    CompletableFuture<Boolean> tags = probe.askAgain(call.procedure);
    if (retry.awaitedProbe == tags) {
      return; // its answer sends it, once
    }
    retry.awaitedProbe = tags;
    tags.whenComplete((speaks, failure) -> {
      if (failure == null && !call.isDone() && call.retransmits() && !unconfirmed(retry)) {
        call.attempt++;
        counters.retransmissions.increment();
        LOG.debug("retransmitting {} to {} (attempt {}), its server heard tagged",
            call.procedure.describe(), peer, call.attempt);
        send(call);
      }
    });
  }

  /**
   * Sends the call's current attempt on the live connection, connecting first if need be;
   * {@code now} is the clock as the owner just read it (unused for a call sent once).
   */
  private void transmit(PendingCall<?, ?> call, long now) {
    Retransmission retry = call.retry;
    if (retry == null) {
      send(call); // MAYBE: once, as it is
      return;
    }
    retry.nextAttemptNanos = now + CallArming.backoff(retry.attemptTimeoutNanos, retry.tries);
    if (!retry.settled) {
      // On the owner, as every completion of a call is: so are the callbacks below.
      CompletableFuture<Boolean> tags = probe.serverTags(call.procedure);
      Boolean known = tags.isDone() && !tags.isCompletedExceptionally() ? tags.join() : null;
      if (known == null) {
        if (retry.awaitedProbe == tags) {
          return; // an attempt timeout while it waits: the answer it awaits already sends it, once
        }
        retry.awaitedProbe = tags;
        tags.whenComplete((speaks, failure) -> {
          if (failure == null) {
            firstTransmission(call, speaks);
          } else if (TagProbe.statusOf(failure) == RpcStatus.TIMEOUT) {
            // The server is silent: try again later; at the deadline the call times out.
            retry.nextAttemptNanos = timer.nanoTime() + CallArming.backoff(retry.attemptTimeoutNanos, retry.tries);
            endsWithItsConnect(call);
          } else if (TagProbe.lostWithItsConnection(failure) && ++retry.pingsLost < PINGS_LOST) {
            // Asked again soon, on a new connection, as a call that lost its connection is sent.
            failures.notSent(call, failure, false);
          } else {
            failures.notSent(call, failure, true);
          }
        });
        return;
      }
      firstTransmission(call, known);
      return;
    }
    if (retry.reconfirm) {
      reconfirmed(call);
      return;
    }
    send(call);
  }

  /**
   * Sends again a tagged at-most-once call whose connection was lost once the server on the new
   * one has answered a tagged NULL ping: tagged, as an Onyx server (a restarted one too, which
   * tells an earlier run from none by the epoch the call carries) filters it; untagged, as a
   * server that took the port (a C one) does not, and the call ends: it may have run.
   */
  private void reconfirmed(PendingCall<?, ?> call) {
    Retransmission retry = call.retry;
    CompletableFuture<Boolean> tags = probe.askAgain(call.procedure);
    if (retry.awaitedProbe == tags) {
      return; // its answer sends it, once
    }
    retry.awaitedProbe = tags;
    tags.whenComplete((speaks, failure) -> {
      if (call.isDone()) {
        return;
      }
      if (failure != null) {
        if (TagProbe.statusOf(failure) != RpcStatus.TIMEOUT && !TagProbe.lostWithItsConnection(failure)) {
          failures.notSent(call, failure, true); // unreachable: it went out before, so it may have run
        }
        return; // else unanswered: asked again at its next attempt, or it ends at its deadline
      }
      if (speaks && calls.serverFiltersDuplicates()) {
        retry.reconfirm = false;
        send(call);
      } else {
        failures.notSentAgain(call, speaks);
      }
    });
  }

  /**
   * A ping that timed out before it left said nothing of the server: its connection was still
   * being made. If that connect fails, the call fails now, not sent (UNAVAILABLE), as a call
   * waiting on a connect does. Before, it was tried again until its deadline and then ended
   * TIMEOUT, though it never left: a caller (a DirectoryClient, {@code onyx call}) could not go
   * to another instance, and an address that drops SYNs cost the whole deadline, however short
   * the connect timeout.
   */
  private void endsWithItsConnect(PendingCall<?, ?> call) {
    CompletableFuture<Connection> connecting = connector.connecting();
    if (connecting != null) {
      connecting.whenComplete((conn, failure) -> {
        if (failure != null) {
          owner.execute(() -> failures.notSent(call, failure, true)); // on the connecting thread
        }
      });
    }
  }

  /**
   * Settles how a retransmitting call travels: tagged to a server that tags (an Onyx one),
   * untagged to any other; and an at-most-once call is sent twice only to a server that filters
   * duplicates (an Onyx one with its cache), since only the server could keep a second
   * transmission from running again.
   */
  private void firstTransmission(PendingCall<?, ?> call, boolean serverTags) {
    Retransmission retry = call.retry;
    retry.tagged = serverTags;
    // An Onyx server built without a duplicate request cache tags its replies but says so.
    retry.mayRetransmit = serverTags && calls.serverFiltersDuplicates()
        || call.semantics() == CallSemantics.AT_LEAST_ONCE;
    retry.epochAtFirstSend = calls.serverEpoch();
    retry.settled = true;
    send(call);
  }

  private void send(PendingCall<?, ?> call) {
    send(call, true);
  }

  /**
   * On the owner: sends again, as it is, a call whose one transmission never left its lost
   * connection ({@link Connection#neverLeft}); on a new connection, made if need be.
   */
  void resend(PendingCall<?, ?> call) {
    if (!call.isDone()) {
      send(call);
    }
  }

  private void send(PendingCall<?, ?> call, boolean mayRetry) {
    CompletableFuture<Connection> c = connector.connection();
    Connection ready = c.isDone() && !c.isCompletedExceptionally() ? c.join() : null;
    if (ready != null) {
      sendOn(ready, call, mayRetry);
    } else {
      c.whenComplete((conn, failure) -> owner.execute(() -> { // on the connecting thread
        if (failure != null) {
          failures.notSent(call, failure, true);
        } else {
          sendOn(conn, call, mayRetry);
        }
      }));
    }
  }

  private void sendOn(Connection connection, PendingCall<?, ?> call, boolean mayRetry) {
    if (call.isDone()) {
      // It ended while it waited for its connection or for the NULL ping that goes first (its
      // deadline passed, or it was cancelled), and its caller was told it was not sent: sent
      // now, it would run unawaited, and again if the caller tried once more.
      return;
    }
    if (connection.transmit(call)) {
      call.sent = true;
      if (call.retry != null) {
        call.retry.filteringRepliesAtSend = calls.filteringReplies();
        call.retry.lastFailure = null;
        call.retry.lastFailureCause = null;
      }
    } else if (mayRetry && !closed) {
      // Found closed before anything was written, as an idle connection the server dropped:
      // the call goes on a new one.
      send(call, false);
    } else {
      failures.notSent(call, "connection closed", null, false);
    }
  }
}
