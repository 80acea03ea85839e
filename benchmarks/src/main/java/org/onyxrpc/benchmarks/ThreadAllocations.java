package org.onyxrpc.benchmarks;

import com.sun.management.ThreadMXBean;
import java.lang.management.ThreadInfo;

/**
 * Every live thread's allocation counter at one moment, with its name
 * ({@code ThreadMXBean.getThreadAllocatedBytes}: the bytes of heap the thread has allocated since
 * it started). A thread that ended between the reads of ids, names and counters is left out.
 */
final class ThreadAllocations {
  final long[] ids;
  final String[] names;
  final long[] bytes;

  private ThreadAllocations(long[] ids, String[] names, long[] bytes) {
    this.ids = ids;
    this.names = names;
    this.bytes = bytes;
  }

  /** The counters of every live thread now. */
  static ThreadAllocations take(ThreadMXBean threads) {
    long[] all = threads.getAllThreadIds();
    ThreadInfo[] infos = threads.getThreadInfo(all, 0);
    long[] counts = threads.getThreadAllocatedBytes(all);
    int live = 0;
    for (int i = 0; i < all.length; i++) {
      if (infos[i] != null && counts[i] >= 0) {
        live++;
      }
    }
    long[] ids = new long[live];
    String[] names = new String[live];
    long[] bytes = new long[live];
    int j = 0;
    for (int i = 0; i < all.length; i++) {
      if (infos[i] != null && counts[i] >= 0) {
        ids[j] = all[i];
        names[j] = infos[i].getThreadName();
        bytes[j++] = counts[i];
      }
    }
    return new ThreadAllocations(ids, names, bytes);
  }
}
