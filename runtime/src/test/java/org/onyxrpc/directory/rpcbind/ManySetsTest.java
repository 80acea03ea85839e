package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.internal.rpcbind.Rpcb;
import org.onyxrpc.transport.Transport;

/**
 * A directory filled to its bound through rpcbind SET (for callers that are not the superuser), listed, and emptied through UNSET: every
 * answer as rpcbind's. Each SET and UNSET used to sort every entry under the table's lock, so
 * filling a store took time in the square of its size (4,096 SETs: tens of seconds); the times
 * are printed, not asserted.
 */
class ManySetsTest {
  private static final int FIRST = 0x40000000;

  @Test
  void aStoreFilledThroughSetIsListedAndEmptiedExactly() throws Exception {
    try (DirectoryFixture fixture = DirectoryFixture.withoutCallerShares(); // one caller fills it
        RpcClient client = fixture.client(Transport.TCP, 1000)) {
      List<Rpcb.Mapping> ownEntries = client.call(Rpcb.dump(4), null); // the directory's own programs
      int own = ownEntries.size();
      // All but an eighth of the store, kept for the superuser's entries, less the directory's
      // own that are not the superuser's (when the test does not run as root).
      int room = InMemoryDirectoryStore.DEFAULT_MAX_ENTRIES - InMemoryDirectoryStore.DEFAULT_MAX_ENTRIES / 8
          - (int) ownEntries.stream().filter(m -> !m.owner().equals("superuser")).count();
      List<Rpcb.Mapping> set = new ArrayList<>();
      long start = System.nanoTime();
      // Programs in descending order and two versions each, so the listing has to put them in order.
      for (int i = room - 1; i >= 0; i--) {
        Rpcb.Mapping m = new Rpcb.Mapping(FIRST + i / 2, 1 + i % 2, "tcp", address(i), "");
        assertTrue(client.call(Rpcb.set(4), m), "SET " + i);
        set.add(m);
      }
      long filled = System.nanoTime();
      assertFalse(client.call(Rpcb.set(4), new Rpcb.Mapping(FIRST - 1, 1, "tcp", address(0), "")),
          "the store is full for all but the superuser");
      Rpcb.Mapping first = set.get(set.size() - 1);
      assertTrue(client.call(Rpcb.set(4), first), "the same address again: done already");
      assertFalse(client.call(Rpcb.set(4), new Rpcb.Mapping(first.program(), first.version(), "tcp",
          address(room), "")), "another address: refused");
      assertEquals(address(0), client.call(Rpcb.GETVERSADDR, new Rpcb.Mapping(FIRST, 1, "tcp", "", "")));

      long dumpStart = System.nanoTime();
      List<Rpcb.Mapping> listed = client.call(Rpcb.dump(4), null).stream()
          .filter(m -> m.program() >= FIRST).toList();
      long dumped = System.nanoTime();
      List<Rpcb.Mapping> expected = set.stream()
          .sorted(Comparator.comparingInt(Rpcb.Mapping::program).thenComparingInt(Rpcb.Mapping::version))
          .map(m -> new Rpcb.Mapping(m.program(), m.version(), m.netid(), m.address(), "unknown"))
          .toList();
      assertEquals(expected, listed, "every entry, in order, owned by 'unknown' (a TCP caller)");

      long unsetStart = System.nanoTime();
      for (Rpcb.Mapping m : set) {
        assertTrue(client.call(Rpcb.unset(4), m), "UNSET " + m);
      }
      long emptied = System.nanoTime();
      assertEquals(own, client.call(Rpcb.dump(4), null).size(), "only the directory's own are left");
      System.out.printf("MEASURED %d SETs %d ms, DUMP of %d %d ms, %d UNSETs %d ms%n", room,
          millis(filled - start), listed.size(), millis(dumped - dumpStart), room, millis(emptied - unsetStart));
    }
  }

  private static String address(int i) {
    int port = 1024 + i;
    return "127.0.0.1." + (port >> 8) + "." + (port & 0xFF);
  }

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }
}
