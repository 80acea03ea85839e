package org.onyxrpc.mq.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The host's close is the owner thread's last operation: one accepted before it runs first, and
 * one submitted while it runs (a call that came as the queue server stopped) is refused unrun.
 * Before, the close was an operation like any other: one submitted meanwhile ran after it, on
 * the closed host, or was dropped with the thread's queue and its call never answered.
 */
class OwnerThreadTest {
  @Test
  void operationsSubmittedAfterTheLastAreRefusedUnrun() throws Exception {
    OwnerThread owner = new OwnerThread();
    CountDownLatch busy = new CountDownLatch(1);
    AtomicBoolean earlierRan = new AtomicBoolean();
    AtomicBoolean laterRan = new AtomicBoolean();
    CompletableFuture<Void> hold = owner.submit(OwnerThread.immediate(() -> {
      await(busy); // keeps the owner thread until the close is under way
      return null;
    }));
    CompletableFuture<Void> earlier = owner.submit(OwnerThread.immediate(() -> {
      earlierRan.set(true);
      return null;
    }));
    CompletableFuture<String> last = owner.submitLast(OwnerThread.immediate(() -> earlierRan.get() ? "after" : "before"));
    CompletableFuture<Void> later = owner.submit(OwnerThread.immediate(() -> {
      laterRan.set(true);
      return null;
    }));
    ExecutionException refused = assertThrows(ExecutionException.class, () -> later.get(0, TimeUnit.SECONDS),
        "refused at once, not queued behind the close");
    assertInstanceOf(HostClosedException.class, refused.getCause());
    busy.countDown();
    hold.get(60, TimeUnit.SECONDS);
    earlier.get(60, TimeUnit.SECONDS);
    assertEquals("after", last.get(60, TimeUnit.SECONDS), "one accepted before the last runs before it");
    owner.shutdown();
    assertFalse(laterRan.get());
  }

  private static void await(CountDownLatch latch) {
    try {
      assertTrue(latch.await(60, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
