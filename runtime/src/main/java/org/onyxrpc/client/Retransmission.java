package org.onyxrpc.client;

import java.util.concurrent.CompletableFuture;

/**
 * What the owner keeps of a call it may send again: not a {@code MAYBE} call's, which goes once
 * and so carries none of this. Until it is settled, the call waits for the client to learn
 * whether its server filters duplicates ({@link TagProbe}); then it travels tagged, or untagged
 * and, if at most once, never twice.
 */
final class Retransmission {
  final long attemptTimeoutNanos;
  /** AT_MOST_ONCE, else AT_LEAST_ONCE: the call's promise, kept here to keep PendingCall 88 B. */
  final boolean atMostOnce;
  boolean settled;
  boolean tagged;
  boolean mayRetransmit = true;
  /** Told to go no more ({@link RpcClient#stopRetransmitting}), whatever its server. */
  boolean stopped;
  int tries; // transmissions and NULL pings before the first: what backoff grows with
  int pingsLost; // NULL pings it waited for whose connections were lost before their replies
  long epochAtFirstSend;
  long nextAttemptNanos;
  String lastFailure;
  Throwable lastFailureCause; // lastFailure's exception, for the cause of the call's failure; null if none
  /**
   * The tag probe the first transmission waits for, so that it waits once: each wait sends the
   * call when the probe is answered, and an at-most-once call to a server that does not filter
   * duplicates must go out once.
   */
  CompletableFuture<Boolean> awaitedProbe;
  /**
   * A tagged at-most-once call whose connection was lost: before it goes again, on a new
   * connection, the server there must show it filters duplicates (it may be another server).
   */
  boolean reconfirm;
  /**
   * {@link OutstandingCalls#filteringReplies} when it last went out: over UDP, a tagged
   * at-most-once call goes again only once a reply has shown since that the server there still
   * filters duplicates.
   */
  long filteringRepliesAtSend;
  /** Whether a transmission went out on a connection before its current one. */
  boolean sentOnAnother;

  Retransmission(long attemptTimeoutNanos, boolean atMostOnce) {
    this.attemptTimeoutNanos = attemptTimeoutNanos;
    this.atMostOnce = atMostOnce;
  }
}
