package org.onyxrpc.directory.zookeeper;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * Reads many znodes with up to {@link #WINDOW} reads in flight on the one connection, instead of
 * one round trip after another: a refresh of three full hosts (12,288 entries) took 4.1 s read one
 * by one against a local ZooKeeper, longer than the snapshot it refreshes is meant to live, and
 * every write of this host's entries waited behind it on the same thread.
 */
final class PipelinedReads {
  /**
   * Reads in flight at once. An entry's reply is under 1 KiB, but anyone who can write to the
   * ensemble can put up to ZooKeeper's 1 MB in a znode: the client holds each reply until its
   * answer is taken, so a window of such replies is the most this costs at once, and
   * {@link #read} keeps none of them (see {@code maxBytes}).
   */
  static final int WINDOW = 256;

  /**
   * A znode's data and stat, or {@code data == null} if it was gone when read.
   *
   * @param length how many bytes the znode held; when more than the reads keep, {@code data} is
   *     empty: a read of thousands of znodes holds at most that many bytes of each until it ends
   */
  record Znode(byte[] data, Stat stat, int length) {
    /** True if the znode held more bytes than were kept. */
    boolean dropped() {
      return data != null && data.length < length;
    }
  }

  /** Starts the read of one znode, whose answer comes later, once, on another thread. */
  interface Fetch {
    void start(String path, Answer answer) throws Exception;
  }

  /** What ZooKeeper said of one read. */
  interface Answer {
    void answered(KeeperException.Code code, byte[] data, Stat stat);
  }

  private final Fetch fetch;
  private final Duration timeout;
  private final int maxBytes;

  /** Reads through {@code fetch}, keeping at most {@code maxBytes} of each znode's data. */
  PipelinedReads(Fetch fetch, Duration timeout, int maxBytes) {
    this.fetch = fetch;
    this.timeout = timeout;
    this.maxBytes = maxBytes;
  }

  /** Reads through {@code client}'s connection, answered on its event thread. */
  static PipelinedReads over(CuratorFramework client, Duration timeout, int maxBytes) {
    return new PipelinedReads((path, answer) -> client.getData().inBackground((c, event) -> answer.answered(
        KeeperException.Code.get(event.getResultCode()), event.getData(), event.getStat())).forPath(path), timeout,
        maxBytes);
  }

  /**
   * The data of each of {@code paths}, in their order.
   *
   * @throws IOException if ZooKeeper failed a read for any reason but a missing znode, or did not
   *     answer them all within the timeout
   */
  Znode[] read(List<String> paths) throws Exception {
    Znode[] results = new Znode[paths.size()];
    KeeperException.Code[] failure = new KeeperException.Code[1];
    // A callback's writes happen before its release of done, so before the reader's acquire.
    Semaphore window = new Semaphore(WINDOW);
    Semaphore done = new Semaphore(0);
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int i = 0; i < paths.size(); i++) {
      if (!window.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        throw unanswered(done.availablePermits(), paths.size());
      }
      int index = i;
      fetch.start(paths.get(i), (code, data, stat) -> {
        try {
          answered(code, data, stat, index, results, failure, maxBytes);
        } finally {
          window.release();
          done.release();
        }
      });
    }
    if (!done.tryAcquire(paths.size(), Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
      throw unanswered(done.availablePermits(), paths.size());
    }
    if (failure[0] != null) {
      throw new IOException("ZooKeeper failed a read: " + failure[0]);
    }
    return results;
  }

  private static void answered(KeeperException.Code code, byte[] data, Stat stat, int index, Znode[] results,
      KeeperException.Code[] failure, int maxBytes) {
    if (code == KeeperException.Code.OK) {
      int length = data == null ? 0 : data.length;
      // Larger than any entry: its bytes are let go now, not held with every other znode's until
      // the read ends (a host's 4,096 znodes of 1 MB each would be 4 GB).
      results[index] = new Znode(length == 0 || length > maxBytes ? new byte[0] : data, stat, length);
    } else if (code == KeeperException.Code.NONODE) {
      results[index] = new Znode(null, null, 0); // removed since it was listed
    } else {
      failure[0] = code; // any failure will do: the refresh fails
    }
  }

  private IOException unanswered(int answered, int asked) {
    return new IOException("ZooKeeper answered " + Math.max(0, answered) + " of " + asked + " reads in "
        + timeout.toMillis() + " ms");
  }
}
