package org.onyxrpc.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;

/**
 * Finds out, once per client, whether its server understands Onyx's call tags, with a tagged NULL
 * ping: an Onyx server tags its reply, a C server (libtirpc ignores a call's AUTH_NONE verifier)
 * answers it untagged, and Linux's kernel server refuses it ({@code AUTH_BADVERF}: it rejects any
 * AUTH_NONE verifier with a body), which is an answer too. Nothing else is tagged until a server
 * has shown it understands; the ping also tells the client the server's epoch before its first
 * call. An Onyx server tags only replies to tagged calls, so that the kernel's own NULL pings,
 * which refuse a reply verifier with a body, get none.
 *
 * <p>The client's {@link CallOwner} alone asks it, and completes its pings: it needs no lock.
 */
final class TagProbe {
  private final OutstandingCalls calls;
  private final BiFunction<Procedure<Void, Void>, CallOptions, PendingCall<Void, Void>> start;
  private final Duration timeout;
  /**
   * Pings in a row that went out and were not answered within their deadlines: each next one is
   * given twice as long, up to 16 times {@code timeout}, as a call's attempts back off.
   */
  private int unanswered;
  private CompletableFuture<Boolean> probe;
  private CompletableFuture<Boolean> recheck;
  private PendingCall<Void, Void> ping;

  /**
   * {@code start} sends a call; a ping may take {@code timeout}, or more after pings that went
   * unanswered (a server slower than that, whose late answers would otherwise all be dropped).
   */
  TagProbe(OutstandingCalls calls,
      BiFunction<Procedure<Void, Void>, CallOptions, PendingCall<Void, Void>> start, Duration timeout) {
    this.calls = calls;
    this.start = start;
    this.timeout = timeout;
  }

  /**
   * Completes with whether the server speaks tags; a failure means "ask again later": TIMEOUT
   * when the ping went unanswered, {@link #lostWithItsConnection} when the connection it went
   * out on was lost before its reply, another status when the server could not be reached at all
   * (refused the connection, or, over UDP, has nothing listening at its port).
   */
  CompletableFuture<Boolean> serverTags(Procedure<?, ?> procedure) {
    if (probe == null || probe.isCompletedExceptionally() || forgotten()) {
      PendingCall<Void, Void> call = start(procedure);
      this.ping = call;
      probe = answer(call);
    }
    return probe;
  }

  /**
   * Asks the server again, unless such a ping is on its way: a connection was lost with a call
   * that needs the answer, and the new connection may reach another server. Apart from {@link
   * #serverTags}, whose answer other calls keep, unless this ping is answered untagged ({@link
   * OutstandingCalls#heardUntagged}).
   */
  CompletableFuture<Boolean> askAgain(Procedure<?, ?> procedure) {
    if (recheck == null || recheck.isDone()) {
      recheck = answer(start(procedure));
    }
    return recheck;
  }

  private PendingCall<Void, Void> start(Procedure<?, ?> procedure) {
    Duration deadline = timeout.multipliedBy(1L << Math.min(unanswered, 4));
    return start.apply(Procedure.nullPing(procedure.program(), procedure.version()),
        CallOptions.DEFAULT.withDeadline(deadline));
  }

  /** What a ping's outcome says: whether the server tags, or why it is not known. */
  private CompletableFuture<Boolean> answer(PendingCall<Void, Void> call) {
    return call.handle((ok, failure) -> {
      if (failure == null || replied(failure) || call.sent && unreadable(failure)) {
        unanswered = 0;
        return calls.serverTags();
      }
      Connection on = call.connection;
      if (call.sent && on != null && on.nothingListens()) {
        // The calls that wait for the ping were never sent: they can fail now, UNAVAILABLE.
        throw new CompletionException(
            new RpcException(RpcStatus.UNAVAILABLE, CallFailures.NOTHING_LISTENS));
      }
      if (call.sent && statusOf(failure) == RpcStatus.OUTCOME_UNKNOWN) {
        // Its connection was lost before the reply: a reset, or a server that takes connections
        // and drops them. Once is not a sign the server is gone; the callers decide how often is.
        String why = on == null ? null : on.lostBecause();
        throw new CompletionException(new RpcException(RpcStatus.OUTCOME_UNKNOWN,
            "the NULL ping that goes first lost its connection before its reply"
                + (why == null ? "" : " (" + why + ")")));
      }
      if (call.sent && statusOf(failure) != RpcStatus.UNAVAILABLE) {
        // It went out and was lost (a dropped datagram): not a sign the server is gone.
        // (One that went out and is UNAVAILABLE was refused unread, which is an answer.) Or the
        // server answers later than that: the next ping waits longer.
        unanswered++;
        throw new CompletionException(new RpcException(RpcStatus.TIMEOUT, "NULL ping lost"));
      }
      throw failure instanceof CompletionException c ? c : new CompletionException(failure);
    });
  }

  /**
   * Whether the probe said the server tags and a later untagged answer said the server there no
   * longer does ({@link OutstandingCalls#heardUntagged}): then the server is asked again.
   */
  private boolean forgotten() {
    return probe.isDone() && Boolean.TRUE.equals(probe.join()) && !calls.serverTags();
  }

  /**
   * Whether the latest ping went out. It has not while the client is still setting up its
   * connection (connecting, or for RPC-over-TLS the AUTH_TLS probe and the handshake), so a call
   * that waits for it then cannot blame the server for leaving it unanswered.
   */
  boolean pingSent() {
    return ping != null && ping.sent;
  }

  /**
   * Whether a failure of {@link #serverTags} says the ping went out and its connection was lost
   * before the reply (the ping itself ended OUTCOME_UNKNOWN, as a one-shot call that loses its
   * connection does).
   */
  static boolean lostWithItsConnection(Throwable failure) {
    return statusOf(failure) == RpcStatus.OUTCOME_UNKNOWN;
  }

  /** The server answered (with an error reply): it is there, whatever it said. */
  private static boolean replied(Throwable failure) {
    RpcStatus status = statusOf(failure);
    return status != null && status.kind() != RpcStatus.Kind.LOCAL;
  }

  /**
   * The ping went out and what came back could not be read as its reply (malformed, or over
   * {@code maxRecordBytes}): the server answered, if not well, and will answer the call so too;
   * pinging it again until the deadline would only turn that answer into TIMEOUT.
   */
  private static boolean unreadable(Throwable failure) {
    return statusOf(failure) == RpcStatus.INTERNAL;
  }

  /** The status of a call's failure, or null if it is not an {@link RpcException}. */
  static RpcStatus statusOf(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    return cause instanceof RpcException e ? e.status() : null;
  }
}
