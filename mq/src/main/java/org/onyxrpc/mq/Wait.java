package org.onyxrpc.mq;

import java.util.concurrent.TimeUnit;

/** How a call that may wait on the server treats the server's answers about time. */
enum Wait {
  /** One attempt: the server's EAGAIN or ETIMEDOUT is the caller's. */
  ONCE,
  /** A wait without end: an attempt the server ended with ETIMEDOUT is followed by another. */
  REPEATED,
  /**
   * The caller's deadline had passed before the call: one attempt that does not wait, and a full
   * or empty queue is ETIMEDOUT, not EAGAIN, as {@code mq_timedsend}/{@code mq_timedreceive} with
   * a past {@code abs_timeout}.
   */
  DEADLINE_PASSED;

  boolean repeats() {
    return this == REPEATED;
  }

  /**
   * For a wait that repeats, the failure for a server that ended an attempt's wait of {@code
   * waitMillis} (begun at {@code startedNanos}, System.nanoTime) with ETIMEDOUT in less than half
   * of it; null for one that waited, and for any other wait. A server that keeps to the protocol
   * answers so only when its timer fires, after the whole wait; asking again at once after each
   * early answer made a receive or send without end a loop as fast as such a server answered,
   * without end. Half, not all: the two sides' clocks are read at different moments.
   */
  MessageQueueException endedEarly(long startedNanos, long waitMillis) {
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    if (!repeats() || tookMillis >= waitMillis / 2) {
      return null;
    }
    return new MessageQueueException(MqError.EIO, "the queue server ended a wait of " + waitMillis
        + " ms with ETIMEDOUT after " + tookMillis + " ms, which a server that keeps to the protocol"
        + " never does; not asked again");
  }

  /** The failure the caller sees for the server's {@code cause}. */
  Throwable failure(Throwable cause) {
    if (this == DEADLINE_PASSED && cause instanceof MessageQueueException e && e.error() == MqError.EAGAIN) {
      return new MessageQueueException(MqError.ETIMEDOUT, "the deadline had passed: " + e.detail());
    }
    return cause;
  }
}
