package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.onyxrpc.testing.Await;

/**
 * Every call given to a lane runs, however the lane's turns, its share of the runners and its
 * calls finishing interleave: a lane put in line on a look that went stale (its call taken by
 * the runner holding it, a call finishing at its share) once took an empty queue and left the
 * next call behind for good. A stress test: it finds such a loss often, not every time. Half
 * the rounds have their lanes share one client (the connections of one address), whose calls
 * run on at most three quarters of the runners, and which is forgotten when its lanes are
 * closed and its calls done.
 */
class FairSchedulerTest {
  @Test
  void everyCallOfEveryLaneRuns() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      FairScheduler scheduler = new FairScheduler(pool, 16);
      for (int round = 0; round < 40; round++) {
        int lanes = 1 + round % 4;
        Object client = round % 2 == 0 ? null : "host";
        int perLane = 5_000;
        CountDownLatch ran = new CountDownLatch(lanes * perLane);
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger mostConcurrent = new AtomicInteger();
        AtomicInteger clientConcurrent = new AtomicInteger();
        AtomicInteger mostClientConcurrent = new AtomicInteger();
        FairScheduler.Lane[] opened = new FairScheduler.Lane[lanes];
        Thread[] connections = new Thread[lanes]; // one event loop per lane, as a connection's
        for (int l = 0; l < lanes; l++) {
          FairScheduler.Lane lane = scheduler.newLane(client);
          opened[l] = lane;
          boolean watched = l == 0;
          connections[l] = new Thread(() -> {
            for (int i = 0; i < perLane; i++) {
              lane.execute(() -> {
                if (watched) {
                  mostConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                }
                mostClientConcurrent.accumulateAndGet(clientConcurrent.incrementAndGet(), Math::max);
                if (ThreadLocalRandom.current().nextInt(50) == 0) {
                  LockSupport.parkNanos(200_000); // now and then a call that takes a while
                }
                if (watched) {
                  concurrent.decrementAndGet();
                }
                clientConcurrent.decrementAndGet();
                ran.countDown();
              });
            }
          });
          connections[l].start();
        }
        for (Thread t : connections) {
          t.join();
        }
        for (FairScheduler.Lane lane : opened) {
          lane.close(); // their connections close, some calls still queued
        }
        assertTrue(ran.await(1, TimeUnit.MINUTES), ran.getCount() + " calls never ran in round " + round);
        assertEquals(0, scheduler.queuedCalls());
        assertTrue(mostConcurrent.get() <= 8, "one lane ran " + mostConcurrent.get() + " calls at once");
        if (client != null) {
          assertTrue(mostClientConcurrent.get() <= 12,
              "one client ran " + mostClientConcurrent.get() + " calls at once");
        }
        Await.until(() -> scheduler.clients() == 0);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Calls that block, as many as there are runners: each must find a runner of its own. A runner
   * that found the line empty while another held the only lane (between taking it and putting it
   * back with calls left) used to leave, and the other went into its blocking call: the calls
   * left waited, runners free, until a call finished (QueuedCallsOfAResetPeerTest waited for
   * every runner to hold a call, once, for its whole minute). A stress test, as the one above.
   */
  @Test
  void blockingCallsUpToTheRunnersEachGetARunner() throws Exception {
    int runners = 8;
    ExecutorService pool = Executors.newCachedThreadPool();
    try {
      for (int round = 0; round < 2000; round++) {
        FairScheduler scheduler = new FairScheduler(pool, runners);
        CountDownLatch gate = new CountDownLatch(1);
        AtomicInteger holding = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(runners);
        FairScheduler.Lane[] lanes = {scheduler.newLane(null), scheduler.newLane(null)};
        for (int i = 0; i < runners; i++) {
          lanes[i % 2].execute(() -> {
            holding.incrementAndGet();
            try {
              gate.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            done.countDown();
          });
        }
        int r = round;
        try {
          Await.until(() -> holding.get() == runners, java.time.Duration.ofSeconds(30));
        } catch (AssertionError stuck) {
          throw new AssertionError("round " + r + ": " + holding.get() + " of " + runners
              + " calls got a runner, " + scheduler.queuedCalls() + " queued", stuck);
        } finally {
          gate.countDown();
        }
        assertTrue(done.await(1, TimeUnit.MINUTES));
        for (FairScheduler.Lane lane : lanes) {
          lane.close();
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
