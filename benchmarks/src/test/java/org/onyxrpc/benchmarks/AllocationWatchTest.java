package org.onyxrpc.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.SynchronousQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.onyxrpc.testing.Await;

/**
 * {@link AllocationSplitProfiler}'s attribution without JMH: threads that allocate known amounts
 * during an {@link AllocationWatch}, counted on the side their names say.
 */
@Timeout(20)
class AllocationWatchTest {
  private static final ThreadMXBean THREADS = ManagementFactory.getPlatformMXBean(ThreadMXBean.class);
  private static final int MIB = 1 << 20;
  /** The allocators' own overhead (queue nodes, thread start) and other threads of this JVM. */
  private static final long SLACK = 256 << 10;

  @Test
  void bytesGoToTheSideTheThreadNameSays() throws InterruptedException {
    try (Allocator serverBefore = new Allocator("server-before")) {
      serverBefore.allocate(3); // before the watch: not counted
      AllocationWatch watch = AllocationWatch.start(THREADS, 0);
      try (Allocator serverNew = new Allocator("server-new"); // counts from 0
          Allocator client = new Allocator("client-x")) {
        serverBefore.allocate(1);
        serverNew.allocate(2);
        client.allocate(1);
        Allocator.allocateHere(4); // the thread that started the watch: the profiler's, left out
        AllocationWatch.Split split = watch.stop(ServerThreads::isServer);
        assertBetween(3L * MIB, split.server());
        assertBetween(1L * MIB, split.client());
      }
    }
  }

  @Test
  void aThreadThatEndsCountsUpToItsLastReading() throws InterruptedException {
    Allocator server = new Allocator("server-ending");
    Allocator client = new Allocator("client-ending");
    AllocationWatch watch = AllocationWatch.start(THREADS, 0);
    server.allocate(2);
    client.allocate(1);
    watch.sample(); // what the sampler thread does every few milliseconds
    server.close();
    client.close();
    server.thread.join();
    client.thread.join();
    AllocationWatch.Split split = watch.stop(ServerThreads::isServer);
    assertBetween(2L * MIB, split.server());
    assertBetween(1L * MIB, split.client());
  }

  @Test
  void theSamplerThreadReadsTheCountersOnItsOwn() throws InterruptedException {
    Allocator server = new Allocator("server-sampled");
    AllocationWatch watch = AllocationWatch.start(THREADS, 1);
    server.allocate(2);
    long before = watch.readings();
    Await.until(() -> watch.readings() >= before + 2); // one reading begun after the allocation
    server.close();
    server.thread.join();
    assertBetween(2L * MIB, watch.stop(ServerThreads::isServer).server());
  }

  @Test
  void perOpDividesByEveryOperation() {
    assertEquals(250.0, AllocationSplitProfiler.perOp("alloc.server.norm", 1000, 4).getScore());
    assertTrue(Double.isNaN(AllocationSplitProfiler.perOp("alloc.server.norm", 1000, 0).getScore()));
  }

  private static void assertBetween(long expected, long actual) {
    assertTrue(actual >= expected && actual < expected + SLACK,
        "expected " + expected + " B and at most " + SLACK + " B more, got " + actual);
  }

  /** A named thread that allocates whole MiB arrays when told to, and lives until closed. */
  private static final class Allocator implements AutoCloseable {
    /** Keeps each array reachable, so the JIT cannot leave the allocation out. */
    static volatile byte[] sink;

    private final SynchronousQueue<Integer> orders = new SynchronousQueue<>();
    private final SynchronousQueue<Integer> done = new SynchronousQueue<>();
    final Thread thread;

    Allocator(String name) {
      thread = new Thread(this::run, name);
      thread.setDaemon(true);
      thread.start();
    }

    static void allocateHere(int mib) {
      for (int i = 0; i < mib; i++) {
        sink = new byte[MIB];
      }
    }

    void allocate(int mib) throws InterruptedException {
      orders.put(mib);
      done.take();
    }

    private void run() {
      try {
        while (true) {
          int mib = orders.take();
          allocateHere(mib);
          done.put(mib);
        }
      } catch (InterruptedException e) {
        // closed
      }
    }

    @Override
    public void close() {
      thread.interrupt();
    }
  }
}
