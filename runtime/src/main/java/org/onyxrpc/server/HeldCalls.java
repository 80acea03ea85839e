package org.onyxrpc.server;

import java.util.function.IntSupplier;

/**
 * How many calls a connection holds (in flight and waiting for a slot): written by its event
 * loop, read by the connection limiter on the acceptor's thread. Each write also moves a version,
 * in the same volatile word, so that the limiter can tell whether the count it read still held
 * when it read how many of those calls watch the connection: a call that arrived and registered
 * between the two reads would otherwise be counted among the watchers of calls it is not one of.
 */
final class HeldCalls {
  private volatile long versionAndCalls; // the version in the high half, the count in the low

  /** On the event loop: the connection now holds {@code calls}. */
  void set(int calls) {
    versionAndCalls = ((versionAndCalls >>> 32) + 1 << 32) | (calls & 0xFFFFFFFFL);
  }

  /** True when the connection holds no call. */
  boolean none() {
    return (int) versionAndCalls == 0;
  }

  /**
   * True when the connection holds calls and {@code watchedCalls} (read after the count, as the
   * connection's {@link CallConnection#watchedCalls}) covers every one: a call is counted here
   * before its procedure can watch, a watch ends before its call's count does, and the answer is
   * no if the count was written between the two reads.
   */
  boolean allWatched(IntSupplier watchedCalls) {
    long before = versionAndCalls;
    int calls = (int) before;
    return calls > 0 && watchedCalls.getAsInt() >= calls && versionAndCalls == before;
  }
}
