package org.onyxrpc.directory.remote;

import java.util.concurrent.atomic.AtomicInteger;
import org.onyxrpc.client.RpcClient;

/**
 * One instance's client and the calls under way on it. An instance that is dropped, or that a
 * look-up no longer names, is retired: it takes no new call and is closed when its last call
 * ends, so that the calls in flight there end as they would have (a reply, a failover), not
 * CANCELLED by someone else's failure. Closing the {@link DirectoryClient} closes it at once.
 */
final class InstanceClient {
  private static final int CLOSED = -1;

  private final RpcClient client;
  /** Calls under way, or CLOSED. */
  private final AtomicInteger calls = new AtomicInteger();
  private volatile boolean retired;

  InstanceClient(RpcClient client) {
    this.client = client;
  }

  RpcClient client() {
    return client;
  }

  /** Counts a call about to be made; false once closed: the caller takes a new client. */
  boolean enter() {
    while (true) {
      int n = calls.get();
      if (n == CLOSED) {
        return false;
      }
      if (calls.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  /** A call entered has ended; the last one of a retired client closes it. */
  void exit() {
    while (true) {
      int n = calls.get();
      if (n <= 0) {
        return; // closed under it (the directory client closed): nothing left to count
      }
      if (calls.compareAndSet(n, n - 1)) {
        if (n == 1 && retired) {
          closeIfIdle();
        }
        return;
      }
    }
  }

  /** Takes no new call (the caller has removed it from the map) and closes once idle. */
  void retire() {
    retired = true;
    closeIfIdle();
  }

  /** Closes now, calls under way or not: the directory client itself is closing. */
  void close() {
    calls.set(CLOSED);
    client.close();
  }

  private void closeIfIdle() {
    if (calls.compareAndSet(0, CLOSED)) {
      client.close();
    }
  }
}
