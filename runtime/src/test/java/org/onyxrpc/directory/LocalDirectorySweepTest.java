package org.onyxrpc.directory;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.onyxrpc.internal.DirectoryThreads;

/**
 * A local directory holds the process's directory threads only while it has leases to sweep,
 * and lets them go when its last entry is withdrawn, not at the next sweep (before: a server
 * closed left the sweep running, which started a worker thread after the server was gone).
 */
class LocalDirectorySweepTest {
  private static final ServiceInstance A = new ServiceInstance("a", 0x20000101, 1, "tcp", "127.0.0.1.0.7", "");
  private static final ServiceInstance B = new ServiceInstance("b", 0x20000102, 1, "tcp", "127.0.0.1.0.8", "");

  @Test
  void withdrawingTheLastEntryStopsSweeping() throws Exception {
    DirectoryThreads threads = DirectoryThreads.SHARED.acquire();
    CountDownLatch held = new CountDownLatch(DirectoryThreads.WORKERS);
    CountDownLatch hold = new CountDownLatch(1);
    LocalDirectory directory = new LocalDirectory(new InMemoryDirectoryStore());
    try {
      // Every worker waits: no sweep runs, so what follows is the directory's own doing.
      for (int i = 0; i < DirectoryThreads.WORKERS; i++) {
        threads.workers.execute(() -> {
          held.countDown();
          awaitQuietly(hold);
        });
      }
      assertTrue(held.await(1, TimeUnit.MINUTES));
      assertFalse(directory.sweeping(), "nothing to sweep yet");
      directory.register(A, Duration.ofSeconds(30));
      directory.register(B, Duration.ofSeconds(30));
      assertTrue(directory.sweeping());
      assertTrue(directory.unregister(A));
      assertTrue(directory.sweeping(), "B's lease is still to sweep");
      assertFalse(directory.unregister(A), "withdrawn already");
      assertTrue(directory.unregister(B));
      assertFalse(directory.sweeping(), "the last entry withdrawn lets the threads go at once");
      directory.register(A, Duration.ofSeconds(30));
      assertTrue(directory.sweeping(), "a new lease sweeps again");
    } finally {
      hold.countDown();
      directory.close();
      DirectoryThreads.SHARED.release(threads);
    }
    assertFalse(directory.sweeping());
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
