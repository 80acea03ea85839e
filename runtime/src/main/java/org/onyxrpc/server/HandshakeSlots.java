package org.onyxrpc.server;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounds the TLS handshakes in progress per client address ({@code ClientAddress}: an IPv6 peer
 * by its /64), so that one host opening connections as fast as it can, each asking for TLS,
 * cannot take the CPU that other hosts' handshakes need. A handshake over the bound waits, in
 * order of arrival, until one of its address's ends (done, failed, or timed out); a waiting
 * connection is owed nothing else. Shared by every event loop: each address's count and line are
 * changed atomically in the map.
 */
final class HandshakeSlots {
  private final int maxPerAddress;
  private final Map<Object, Address> addresses = new ConcurrentHashMap<>();

  /** The handshakes of one address: how many run, and who waits for one to end. */
  private static final class Address {
    int running;
    final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
  }

  HandshakeSlots(int maxPerAddress) {
    this.maxPerAddress = maxPerAddress;
  }

  /**
   * Takes a slot for a handshake from {@code address} and returns true, or returns false and
   * lines {@code granted} up: it runs, on the thread that releases a slot, once the slot is its.
   */
  boolean acquire(Object address, Runnable granted) {
    boolean[] now = new boolean[1];
    addresses.compute(address, (k, a) -> {
      Address counted = a == null ? new Address() : a;
      if (counted.running < maxPerAddress) {
        counted.running++;
        now[0] = true;
      } else {
        counted.waiting.add(granted);
      }
      return counted;
    });
    return now[0];
  }

  /** A handshake from {@code address} ended: its slot passes to the first in line, if any. */
  void release(Object address) {
    Runnable[] next = new Runnable[1];
    addresses.computeIfPresent(address, (k, a) -> {
      next[0] = a.waiting.poll();
      if (next[0] == null) {
        a.running--;
      }
      return a.running == 0 ? null : a;
    });
    if (next[0] != null) {
      next[0].run();
    }
  }

  /**
   * Takes {@code granted} out of line, its connection gone; false if it was not in line any more
   * (its slot was passed to it, and it must release that).
   */
  boolean cancel(Object address, Runnable granted) {
    boolean[] removed = new boolean[1];
    addresses.computeIfPresent(address, (k, a) -> {
      removed[0] = a.waiting.remove(granted);
      return a;
    });
    return removed[0];
  }

  /** Handshakes waiting for a slot, across addresses (for tests). */
  int waiting() {
    int[] n = new int[1];
    for (Object address : addresses.keySet()) {
      addresses.computeIfPresent(address, (k, a) -> {
        n[0] += a.waiting.size();
        return a;
      });
    }
    return n[0];
  }

  /** Addresses with a handshake running or waiting (for tests). */
  int addresses() {
    return addresses.size();
  }
}
