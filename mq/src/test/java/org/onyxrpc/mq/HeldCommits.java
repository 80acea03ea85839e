package org.onyxrpc.mq;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1;
import org.onyxrpc.server.ServerCall;
import org.onyxrpc.server.ServerInterceptor;

/**
 * A queue server's interceptor that holds every COMMIT until
 * {@link #release}: so that a test can act while a receive's message is being handed over.
 */
final class HeldCommits implements ServerInterceptor {
  private final CountDownLatch arrived = new CountDownLatch(1);
  private final CountDownLatch mayRun = new CountDownLatch(1);
  private final Duration longest;

  /** Holds each COMMIT for at most {@code longest}, so that a failed test does not hang. */
  HeldCommits(Duration longest) {
    this.longest = longest;
  }

  /** True once a COMMIT is held, waiting at most {@code longest}. */
  boolean awaitArrived() throws InterruptedException {
    return arrived.await(longest.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Lets the held COMMIT, and every later one, run. */
  void release() {
    mayRun.countDown();
  }

  @Override
  public void onStart(ServerCall call) {}

  @Override
  public void around(ServerCall call, Runnable procedure) {
    if (call.procedure().number() == MessageQueueServiceV1.COMMIT.number()) {
      arrived.countDown();
      try {
        mayRun.await(longest.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    procedure.run();
  }
}
