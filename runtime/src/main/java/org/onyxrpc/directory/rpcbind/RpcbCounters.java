package org.onyxrpc.directory.rpcbind;

import static org.onyxrpc.internal.rpcbind.RpcbStats.HIGHPROC;
import static org.onyxrpc.internal.rpcbind.RpcbStats.MAX_PROGRAMS;
import static org.onyxrpc.internal.rpcbind.RpcbStats.VERSIONS;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import org.onyxrpc.internal.rpcbind.RpcbStats.AddrStat;
import org.onyxrpc.internal.rpcbind.RpcbStats.CallStat;
import org.onyxrpc.internal.rpcbind.RpcbStats.Snapshot;
import org.onyxrpc.internal.rpcbind.RpcbStats;

/**
 * The counters GETSTAT reports (RFC 1833 {@code rpcb_stat_byvers}): calls per procedure, SETs and
 * UNSETs that succeeded, and address look-ups and indirect calls per program. Kept per protocol
 * version (2, 3, 4), and answered as {@link RpcbStats.Snapshot}s. The per-program tables stop
 * growing at {@link RpcbStats#MAX_PROGRAMS} rows each, so a caller asking about ever new programs
 * cannot grow them without bound.
 */
final class RpcbCounters {
  RpcbCounters() {}

  private final AtomicIntegerArray calls = new AtomicIntegerArray(VERSIONS * HIGHPROC);
  private final LongAdder[] sets = {new LongAdder(), new LongAdder(), new LongAdder()};
  private final LongAdder[] unsets = {new LongAdder(), new LongAdder(), new LongAdder()};
  private final List<Map<AddrKey, int[]>> lookups = List.of(
      new ConcurrentHashMap<>(), new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
  private final List<Map<CallKey, int[]>> indirect = List.of(
      new ConcurrentHashMap<>(), new ConcurrentHashMap<>(), new ConcurrentHashMap<>());

  private record AddrKey(int program, int version, String netid) {}

  private record CallKey(int program, int version, int procedure, String netid) {}

  void call(int version, int procedure) {
    if (procedure >= 0 && procedure < HIGHPROC) {
      calls.incrementAndGet(index(version) * HIGHPROC + procedure);
    }
  }

  void set(int version, boolean done) {
    if (done) {
      sets[index(version)].increment();
    }
  }

  void unset(int version, boolean done) {
    if (done) {
      unsets[index(version)].increment();
    }
  }

  void lookup(int version, int program, int progVersion, String netid, boolean found) {
    count(lookups.get(index(version)), new AddrKey(program, progVersion, netid), found ? 0 : 1, 2);
  }

  void indirect(int version, int program, int progVersion, int procedure, String netid, boolean ok) {
    count(indirect.get(index(version)), new CallKey(program, progVersion, procedure, netid), ok ? 0 : 1, 3);
  }

  private static <K> void count(Map<K, int[]> table, K key, int slot, int width) {
    int[] row = table.get(key);
    if (row == null) {
      if (table.size() >= MAX_PROGRAMS) {
        return;
      }
      row = table.computeIfAbsent(key, k -> new int[width]);
    }
    synchronized (row) {
      row[slot]++;
      if (width == 3) {
        row[2]++; // every row of the indirect table counts an indirect call
      }
    }
  }

  /** GETSTAT's answer: versions 2, 3 and 4 in that order. */
  List<Snapshot> snapshot() {
    List<Snapshot> versions = new ArrayList<>(VERSIONS);
    for (int v = 0; v < VERSIONS; v++) {
      int[] perProc = new int[HIGHPROC];
      for (int p = 0; p < HIGHPROC; p++) {
        perProc[p] = calls.get(v * HIGHPROC + p);
      }
      List<AddrStat> a = new ArrayList<>();
      lookups.get(v).forEach((k, row) -> {
        synchronized (row) {
          a.add(new AddrStat(k.program(), k.version(), row[0], row[1], k.netid()));
        }
      });
      List<CallStat> c = new ArrayList<>();
      indirect.get(v).forEach((k, row) -> {
        synchronized (row) {
          c.add(new CallStat(k.program(), k.version(), k.procedure(), row[0], row[1], row[2], k.netid()));
        }
      });
      versions.add(new Snapshot(perProc, sets[v].intValue(), unsets[v].intValue(), a, c));
    }
    return versions;
  }

  private static int index(int version) {
    return Math.max(0, Math.min(VERSIONS - 1, version - 2));
  }
}
