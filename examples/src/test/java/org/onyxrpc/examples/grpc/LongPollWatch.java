package org.onyxrpc.examples.grpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.onyxrpc.server.CallContext;
import org.onyxrpc.server.NoReply;

/**
 * A gRPC server-streaming watch as a long poll (README, Coming from gRPC): {@code watch(after)}
 * answers at once with the keys written after {@code after}, or, when there are none yet, parks
 * its future until the next write, holding no thread. A parked watch whose caller's connection
 * closes is dropped ({@link CallContext#onConnectionClosed}), which the generated asynchronous
 * interface reaches through {@link CallContext#current()} while it runs up to returning its
 * future. A parked watch is answered with no change after {@code
 * longestPark}, so that its caller, whose attempt timeout is longer, never sends it again. One
 * monitor owns the state; a write completes the parked futures after leaving it. A real one would
 * also bound the parked watches and the kept history.
 */
final class LongPollWatch implements WatchedV1.AsyncWatched {
  /** How many times watch ran: once per call, or again for each retransmission it answered. */
  final AtomicInteger watchRuns = new AtomicInteger();
  /** How many parked watches were dropped because their caller's connection closed. */
  final AtomicInteger callersGone = new AtomicInteger();
  /** "run" each time watch runs, "gone" each time a parked one's caller went: for tests to wait on. */
  final BlockingQueue<String> events = new LinkedBlockingQueue<>(1000);

  private final Duration longestPark;
  private final List<String> written = new ArrayList<>();
  private final List<Parked> parked = new ArrayList<>();

  private record Parked(long after, CompletableFuture<Changes> reply) {}

  /** @param longestPark how long a watch waits for a write before it is answered with none */
  LongPollWatch(Duration longestPark) {
    this.longestPark = longestPark;
  }

  @Override
  public CompletableFuture<Long> put(String key) {
    List<Parked> woken;
    synchronized (this) {
      written.add(key);
      woken = List.copyOf(parked);
      parked.clear();
    }
    for (Parked p : woken) {
      p.reply().complete(changesAfter(p.after()));
    }
    return CompletableFuture.completedFuture((long) revision());
  }

  @Override
  public CompletableFuture<Changes> watch(long after) {
    watchRuns.incrementAndGet();
    events.offer("run");
    Parked p = new Parked(after, new CompletableFuture<>());
    synchronized (this) {
      if (written.size() > after) {
        return CompletableFuture.completedFuture(changesAfter(after));
      }
      parked.add(p);
    }
    // Nothing was written after `after` while it was parked, or a write would have answered it.
    p.reply().completeOnTimeout(new Changes(List.of(), after), longestPark.toNanos(), TimeUnit.NANOSECONDS)
        .whenComplete((changes, failure) -> unpark(p));
    CallContext caller = CallContext.current().orElseThrow();
    caller.onConnectionClosed(() -> {
      boolean wasParked;
      synchronized (this) {
        wasParked = parked.remove(p);
      }
      if (wasParked) {
        callersGone.incrementAndGet();
        events.offer("gone");
        // no reply, and none kept for a retransmission: the caller is gone
        p.reply().completeExceptionally(new NoReply("its caller's connection closed while it waited"));
      }
    });
    return p.reply();
  }

  /**
   * Answers every parked watch with no change, as a server does before it closes: otherwise
   * {@code close()} waits its {@code shutdownTimeout} for them, then cuts them off, and their
   * callers see {@code OUTCOME_UNKNOWN}.
   */
  void answerParked() {
    List<Parked> woken;
    synchronized (this) {
      woken = List.copyOf(parked);
      parked.clear();
    }
    for (Parked p : woken) {
      p.reply().complete(changesAfter(p.after()));
    }
  }

  private synchronized void unpark(Parked p) {
    parked.remove(p);
  }

  private synchronized int revision() {
    return written.size();
  }

  private synchronized Changes changesAfter(long after) {
    int end = Math.min(written.size(), (int) after + 100);
    return new Changes(List.copyOf(written.subList((int) after, end)), end);
  }
}
