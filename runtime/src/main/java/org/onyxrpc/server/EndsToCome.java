package org.onyxrpc.server;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A connection's calls whose reply a thread other than its event loop has begun to send, and whose
 * end the loop has not taken yet: to the loop they look as if they still ran, though their
 * replies are on their way ahead of their ends. A STARTTLS probe behind only such calls is an RFC
 * 9289 client's, which read those replies first.
 */
final class EndsToCome {
  private final AtomicInteger replied = new AtomicInteger(); // any thread
  private int taken; // the event loop's

  /** Off the event loop, before the reply goes out: one more whose end is to come. */
  void replying() {
    replied.incrementAndGet();
  }

  /** On the event loop: the end of one of them taken. */
  void taken() {
    taken++;
  }

  /** On the event loop: those whose reply is out and whose end is not taken yet. */
  int endsToCome() {
    return replied.get() - taken; // both wrap alike past 2^31
  }
}
