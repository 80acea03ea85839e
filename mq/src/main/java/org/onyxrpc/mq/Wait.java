package org.onyxrpc.mq;

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

  /** The failure the caller sees for the server's {@code cause}. */
  Throwable failure(Throwable cause) {
    if (this == DEADLINE_PASSED && cause instanceof MessageQueueException e && e.error() == MqError.EAGAIN) {
      return new MessageQueueException(MqError.ETIMEDOUT, "the deadline had passed: " + e.detail());
    }
    return cause;
  }
}
