package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.onyxrpc.client.CallOptions;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.UniversalAddress;
import org.onyxrpc.internal.directory.Names;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.internal.rpcbind.Rpcb;
import org.onyxrpc.internal.rpcbind.RpcbStats;
import org.onyxrpc.rpc.AuthStatus;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;

/** Every procedure of portmap v2 and rpcbind v3/v4, over TCP and over UDP, as a client sees it. */
class RpcbindProtocolTest {
  private static final int PROG = 0x20000777;
  private static DirectoryFixture fixture;
  private static RpcServer target;

  @BeforeAll
  static void start() throws Exception {
    fixture = new DirectoryFixture();
    target = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .directory(Directory.none()).addService(new TestService().definition()).build().start();
  }

  @AfterAll
  static void stop() {
    target.close();
    fixture.close();
  }

  @AfterEach
  void forget() {
    for (ServiceInstance i : fixture.directory.table().live()) {
      if (i.program() != Portmap.PROGRAM && i.program() != Names.PROGRAM) {
        fixture.directory.store().remove(i.key());
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = Transport.class, names = {"TCP", "UDP"})
  void portmapSetGetportDumpUnset(Transport t) {
    try (RpcClient c = fixture.client(t, 0)) {
      assertTrue(c.call(Portmap.SET, new Portmap.Mapping(PROG, 1, Portmap.IPPROTO_TCP, 4711)));
      assertFalse(c.call(Portmap.SET, new Portmap.Mapping(PROG, 1, Portmap.IPPROTO_TCP, 4712)),
          "a program version already mapped is not mapped again");
      assertTrue(c.call(Portmap.SET, new Portmap.Mapping(PROG, 1, Portmap.IPPROTO_TCP, 4711)),
          "at the same port it is already done: pmap_set of a restarted server, as rpcbind answers");
      assertEquals(4711, c.call(Portmap.GETPORT, new Portmap.Mapping(PROG, 1, Portmap.IPPROTO_TCP, 0)));
      assertEquals(0, c.call(Portmap.GETPORT, new Portmap.Mapping(PROG, 1, Portmap.IPPROTO_UDP, 0)));
      assertTrue(c.call(Portmap.DUMP, null).contains(new Portmap.Mapping(PROG, 1, Portmap.IPPROTO_TCP, 4711)));
      assertTrue(c.call(Portmap.DUMP, null).contains(
          new Portmap.Mapping(Portmap.PROGRAM, 2, Portmap.IPPROTO_TCP, fixture.port())), "lists itself");
      assertTrue(c.call(Portmap.UNSET, new Portmap.Mapping(PROG, 1, 0, 0)));
      assertEquals(0, c.call(Portmap.GETPORT, new Portmap.Mapping(PROG, 1, Portmap.IPPROTO_TCP, 0)));
      assertTrue(c.call(Portmap.UNSET, new Portmap.Mapping(PROG, 1, 0, 0)),
          "nothing left to remove is done, as rpcbind answers (rpcinfo -d succeeds)");
    }
  }

  @ParameterizedTest
  @EnumSource(value = Transport.class, names = {"TCP", "UDP"})
  void rpcbindSetGetaddrDumpUnset(Transport t) {
    try (RpcClient c = fixture.client(t, 1000)) {
      for (int v : new int[] {Rpcb.VERSION_3, Rpcb.VERSION_4}) {
        Rpcb.Mapping m = new Rpcb.Mapping(PROG, 2, "tcp", "0.0.0.0.18.103", "ignored");
        assertTrue(c.call(Rpcb.set(v), m));
        assertTrue(c.call(Rpcb.set(v), m), "the same address again is already done, as rpcbind says");
        assertFalse(c.call(Rpcb.set(v), new Rpcb.Mapping(PROG, 2, "tcp", "0.0.0.0.18.104", "")),
            "another address for a mapped program version and netid is refused");
        assertEquals("127.0.0.1.18.103", c.call(Rpcb.getAddr(v), m), "wildcard merged for a local caller");
        assertEquals("127.0.0.1.18.103", c.call(Rpcb.getAddr(v),
            new Rpcb.Mapping(PROG, 9, "tcp", "", "")), "another version's address hints at the program");
        List<Rpcb.Mapping> dump = c.call(Rpcb.dump(v), null);
        assertTrue(dump.contains(new Rpcb.Mapping(PROG, 2, "tcp", "0.0.0.0.18.103", "unknown")),
            dump + ": over IP, AUTH_SYS 1000 is only a claim");
        assertTrue(c.call(Rpcb.unset(v), new Rpcb.Mapping(PROG, 2, "", "", "")));
        assertEquals("", c.call(Rpcb.getAddr(v), m));
        assertTrue(c.call(Rpcb.unset(v), new Rpcb.Mapping(PROG, 2, "", "", "")), "nothing to remove");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = Transport.class, names = {"TCP", "UDP"})
  void version4Extras(Transport t) {
    try (RpcClient c = fixture.client(t, 0)) {
      assertTrue(c.call(Rpcb.set(4), new Rpcb.Mapping(PROG, 1, "tcp", "127.0.0.1.4.0", "")));
      assertTrue(c.call(Rpcb.set(4), new Rpcb.Mapping(PROG, 1, "udp6", "::1.4.0", "")));
      assertEquals("", c.call(Rpcb.GETVERSADDR, new Rpcb.Mapping(PROG, 2, "tcp", "", "")));
      assertEquals("127.0.0.1.4.0", c.call(Rpcb.GETVERSADDR, new Rpcb.Mapping(PROG, 1, "tcp", "", "")));
      List<Rpcb.Entry> entries = c.call(Rpcb.GETADDRLIST, new Rpcb.Mapping(PROG, 1, "", "", ""));
      // From this machine, both families (a caller elsewhere gets its own: RpcbindRulesTest).
      assertEquals(List.of(
          new Rpcb.Entry("127.0.0.1.4.0", "tcp", Rpcb.NC_TPI_COTS_ORD, "inet", "tcp"),
          new Rpcb.Entry("::1.4.0", "udp6", Rpcb.NC_TPI_CLTS, "inet6", "udp")), entries);
      List<RpcbStats.Snapshot> stats = c.call(Rpcb.GETSTAT, null);
      assertEquals(3, stats.size());
      assertTrue(stats.get(2).sets() >= 2);
      assertTrue(stats.get(2).calls()[9] >= 2, "GETVERSADDR counted");
      assertTrue(stats.get(2).lookups().stream().anyMatch(a -> a.program() == PROG && a.failure() >= 1));
    }
  }

  @ParameterizedTest
  @EnumSource(value = Transport.class, names = {"TCP", "UDP"})
  void timeAndAddressConversions(Transport t) {
    try (RpcClient c = fixture.client(t, 0)) {
      for (int v : new int[] {3, 4}) {
        long now = Instant.now().getEpochSecond();
        long time = Integer.toUnsignedLong(c.call(Rpcb.getTime(v), null));
        assertTrue(Math.abs(time - now) <= 2, time + " vs " + now);
        Rpcb.NetBuf taddr = c.call(Rpcb.uaddr2taddr(v), "10.0.0.1.8.1");
        assertArrayEquals(new byte[] {2, 0, 8, 1, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0}, taddr.bytes());
        assertEquals("10.0.0.1.8.1", c.call(Rpcb.taddr2uaddr(v), taddr));
        assertEquals("fe80::2.0.1", c.call(Rpcb.taddr2uaddr(v), c.call(Rpcb.uaddr2taddr(v), "fe80::2.0.1")));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = Transport.class, names = {"TCP", "UDP"})
  void indirectCallsReachRegisteredLocalPrograms(Transport t) {
    int port = target.port();
    byte[] args = {0, 0, 0, 2, 0, 0, 0, 40}; // Pair(2, 40)
    try (RpcClient c = fixture.client(t, 0)) {
      assertTrue(c.call(Portmap.SET, new Portmap.Mapping(TestService.PROGRAM, 1, Portmap.IPPROTO_UDP, port)));
      Portmap.CallResult v2 = c.call(Portmap.CALLIT, new Rpcb.CallArgs(TestService.PROGRAM, 1, 1, args));
      assertEquals(port, v2.port());
      assertArrayEquals(new byte[] {0, 0, 0, 42}, v2.results());
      assertTrue(c.call(Rpcb.set(4), new Rpcb.Mapping(TestService.PROGRAM, 1, "tcp", "127.0.0.1."
          + (port >> 8) + "." + (port & 0xFF), "")));
      for (int v : new int[] {3, 4}) {
        Rpcb.CallResult r = c.call(Rpcb.callit(v), new Rpcb.CallArgs(TestService.PROGRAM, 1, 1, args));
        assertArrayEquals(new byte[] {0, 0, 0, 42}, r.results());
        assertEquals(port, UniversalAddress.parse(r.address()).getPort());
      }
      Rpcb.CallResult r = c.call(Rpcb.INDIRECT, new Rpcb.CallArgs(TestService.PROGRAM, 1, 1, args));
      assertArrayEquals(new byte[] {0, 0, 0, 42}, r.results());
      RpcException missing = assertThrows(RpcException.class,
          () -> c.call(Rpcb.INDIRECT, new Rpcb.CallArgs(0x2000FFFF, 1, 1, args)));
      assertEquals(RpcStatus.PROG_UNAVAIL, missing.status());
      RpcException loop = assertThrows(RpcException.class,
          () -> c.call(Rpcb.INDIRECT, new Rpcb.CallArgs(Portmap.PROGRAM, 4, 4, new byte[0])));
      assertEquals(RpcStatus.AUTH_ERROR, loop.status(), "never calls itself");
      assertEquals(AuthStatus.AUTH_TOOWEAK, loop.authStatus(), "refused as rpcbind refuses it");
    }
  }

  @ParameterizedTest
  @EnumSource(value = Transport.class, names = {"TCP", "UDP"})
  void failedCallitIsSilentAsRfc1833Says(Transport t) {
    byte[] args = {0, 0, 0, 2, 0, 0, 0, 40};
    CallOptions once = CallOptions.DEFAULT.withSemantics(CallSemantics.MAYBE)
        .withDeadline(java.time.Duration.ofMillis(300));
    try (RpcClient c = fixture.client(t, 0)) {
      RpcException v2 = assertThrows(RpcException.class,
          () -> c.call(Portmap.CALLIT, new Rpcb.CallArgs(0x2000FFFF, 1, 1, args), once));
      assertEquals(RpcStatus.TIMEOUT, v2.status(), "no reply at all");
      for (int v : new int[] {3, 4}) {
        RpcException e = assertThrows(RpcException.class,
            () -> c.call(Rpcb.callit(v), new Rpcb.CallArgs(0x2000FFFF, 1, 1, args), once));
        assertEquals(RpcStatus.TIMEOUT, e.status(), "no reply at all from version " + v);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = Transport.class, names = {"TCP", "UDP"})
  void everyVersionAnswersNull(Transport t) {
    try (RpcClient c = fixture.client(t, 0)) {
      c.ping(Portmap.PROGRAM, 2);
      c.ping(Portmap.PROGRAM, 3);
      c.ping(Portmap.PROGRAM, 4);
      c.ping(Names.PROGRAM, Names.VERSION);
    }
  }

  /**
   * GETSTAT counts the NULL pings of each version, as rpcbind does ({@code rpcinfo -m} after
   * {@code rpcinfo -t}, {@code -u} or {@code -T}); before, the server answered them itself and
   * every NULL column said 0.
   */
  @ParameterizedTest
  @EnumSource(value = Transport.class, names = {"TCP", "UDP"})
  void getstatCountsNullPingsPerVersion(Transport t) {
    try (RpcClient c = fixture.client(t, 0); RpcClient stats = fixture.client(Transport.TCP, 0)) {
      int[] before = nullCounts(stats.call(Rpcb.GETSTAT, null));
      c.ping(Portmap.PROGRAM, 2);
      c.ping(Portmap.PROGRAM, 3);
      c.ping(Portmap.PROGRAM, 3);
      c.ping(Portmap.PROGRAM, 4);
      int[] after = nullCounts(stats.call(Rpcb.GETSTAT, null));
      assertArrayEquals(new int[] {before[0] + 1, before[1] + 2, before[2] + 1}, after,
          "NULL calls of versions 2, 3 and 4");
    }
  }

  private static int[] nullCounts(List<RpcbStats.Snapshot> versions) {
    return versions.stream().mapToInt(v -> v.calls()[0]).toArray();
  }

  /**
   * A NULL call with bytes after its header is answered, as libtirpc's dispatchers answer it
   * (xdr_void reads nothing), now that the directory serves procedure 0 itself to count it.
   */
  @ParameterizedTest
  @EnumSource(value = Transport.class, names = {"TCP", "UDP"})
  void nullWithArgumentsIsAnswered(Transport t) {
    try (RpcClient c = fixture.client(t, 0)) {
      for (int v = 2; v <= 4; v++) {
        Procedure<Long, Void> nullWithArguments = new Procedure<>(Portmap.PROGRAM, v, 0,
            "NULL with arguments", XdrCodecs.HYPER, XdrCodecs.VOID);
        assertEquals(null, c.call(nullWithArguments, 7L), "version " + v);
      }
    }
  }

  /**
   * A version not registered is answered with the program's highest version's address, as
   * rpcbind answers with the last registered (servers register theirs in ascending order), so
   * that libtirpc's clnt_create_vers learns the highest range there is; it was the lowest.
   */
  @ParameterizedTest
  @EnumSource(value = Transport.class, names = {"TCP", "UDP"})
  void anotherVersionIsAnsweredWithTheHighestVersionsAddress(Transport t) {
    try (RpcClient c = fixture.client(t, 0)) {
      for (int v : new int[] {1, 3, 2}) {
        assertTrue(c.call(Rpcb.set(4), new Rpcb.Mapping(PROG, v, "tcp", "127.0.0.1.4." + v, "")));
      }
      for (int v : new int[] {Rpcb.VERSION_3, Rpcb.VERSION_4}) {
        assertEquals("127.0.0.1.4.3", c.call(Rpcb.getAddr(v), new Rpcb.Mapping(PROG, 9, "tcp", "", "")));
      }
      assertEquals(4 * 256 + 3, c.call(Portmap.GETPORT, new Portmap.Mapping(PROG, 9, Portmap.IPPROTO_TCP, 0)));
    }
  }

  /**
   * INDIRECT of a version the program lacks answers PROG_MISMATCH with the versions registered
   * on the caller's transport, as rpcbind does; it was PROG_UNAVAIL, as if there were none.
   */
  @ParameterizedTest
  @EnumSource(value = Transport.class, names = {"TCP", "UDP"})
  void indirectOfAnotherVersionSaysWhichThereAre(Transport t) {
    String address = "127.0.0.1." + (target.port() >> 8) + "." + (target.port() & 0xFF);
    try (RpcClient c = fixture.client(t, 0)) {
      for (int v : new int[] {1, 3}) {
        assertTrue(c.call(Rpcb.set(4), new Rpcb.Mapping(TestService.PROGRAM, v, t.netid(), address, "")));
      }
      RpcException e = assertThrows(RpcException.class,
          () -> c.call(Rpcb.INDIRECT, new Rpcb.CallArgs(TestService.PROGRAM, 2, 1, new byte[8])));
      assertEquals(RpcStatus.PROG_MISMATCH, e.status());
      assertEquals(1, e.low());
      assertEquals(3, e.high());
    }
  }

  /**
   * CALLIT and INDIRECT of the directory's own NULL procedure are answered, as rpcbind forwards
   * them to itself: {@code rpcinfo -b 100000 2} finds a network's portmappers so. Before, the
   * directory refused to call any of its own procedures, and such a broadcast found no Onyx one.
   */
  @ParameterizedTest
  @EnumSource(value = Transport.class, names = {"TCP", "UDP"})
  void indirectCallsOfItsOwnNullAreAnswered(Transport t) {
    try (RpcClient c = fixture.client(t, 0)) {
      Portmap.CallResult v2 = c.call(Portmap.CALLIT, new Rpcb.CallArgs(Portmap.PROGRAM, 2, 0, new byte[0]));
      assertEquals(fixture.port(), v2.port());
      assertArrayEquals(new byte[0], v2.results());
      for (int v : new int[] {3, 4}) {
        Rpcb.CallResult r = c.call(Rpcb.callit(v), new Rpcb.CallArgs(Portmap.PROGRAM, v, 0, new byte[0]));
        assertEquals(fixture.port(), UniversalAddress.parse(r.address()).getPort());
      }
      Rpcb.CallResult names = c.call(Rpcb.INDIRECT, new Rpcb.CallArgs(Names.PROGRAM, Names.VERSION, 0, new byte[0]));
      assertEquals(fixture.port(), UniversalAddress.parse(names.address()).getPort());
    }
  }

  /**
   * A "local" entry's address is a Unix socket's path, up to 107 bytes, which rpcbind takes from
   * a C server; the directory answered GARBAGE_ARGS to a path over 64 bytes.
   */
  @ParameterizedTest
  @EnumSource(value = Transport.class, names = {"TCP", "UDP"})
  void aLocalEntryTakesAnyUnixSocketPath(Transport t) {
    String path = "/run/" + "a".repeat(102);
    try (RpcClient c = fixture.client(t, 0)) {
      assertTrue(c.call(Rpcb.set(4), new Rpcb.Mapping(PROG, 1, "local", path, "")));
      assertTrue(c.call(Rpcb.dump(4), null).contains(new Rpcb.Mapping(PROG, 1, "local", path, "unknown")));
    }
  }

  /** GETPORT of a protocol that is neither TCP nor UDP is not counted as a look-up, as in rpcbind. */
  @ParameterizedTest
  @EnumSource(value = Transport.class, names = {"TCP", "UDP"})
  void getportOfAnotherProtocolIsNoLookup(Transport t) {
    try (RpcClient c = fixture.client(t, 0); RpcClient stats = fixture.client(Transport.TCP, 0)) {
      assertEquals(0, c.call(Portmap.GETPORT, new Portmap.Mapping(PROG + 1, 1, 99, 0)));
      assertTrue(stats.call(Rpcb.GETSTAT, null).get(0).lookups().stream().noneMatch(a -> a.program() == PROG + 1));
    }
  }

  /**
   * A look-up is counted under the netid of the transport it came over, as rpcbind counts it, not
   * the netid it asked for: that is any 32 bytes a caller chooses (from anywhere, over UDP), and
   * GETSTAT handed them to every {@code rpcinfo -m}, terminal escapes and newlines included.
   */
  @ParameterizedTest
  @EnumSource(value = Transport.class, names = {"TCP", "UDP"})
  void aLookupIsCountedUnderItsTransportsNetidNotTheOneAsked(Transport t) {
    String chosen = "\u001b[31mx\nforged";
    try (RpcClient c = fixture.client(t, 0); RpcClient stats = fixture.client(Transport.TCP, 0)) {
      assertEquals("", c.call(Rpcb.getAddr(4), new Rpcb.Mapping(PROG + 2, 1, chosen, "", "")));
      List<RpcbStats.AddrStat> lookups = stats.call(Rpcb.GETSTAT, null).get(2).lookups();
      assertTrue(lookups.stream().noneMatch(a -> a.netid().equals(chosen)), lookups.toString());
      assertTrue(lookups.stream().anyMatch(a -> a.program() == PROG + 2
          && a.netid().equals(t.netid()) && a.failure() >= 1), lookups.toString());
    }
  }

  /**
   * CALLIT and BCAST whose arguments do not decode get no reply, as RFC 1833 wants a failed
   * CALLIT and as rpcbind is, rather than GARBAGE_ARGS from every host a broadcast reaches;
   * INDIRECT, which answers its failures, still answers GARBAGE_ARGS.
   */
  @ParameterizedTest
  @EnumSource(value = Transport.class, names = {"TCP", "UDP"})
  void undecodableCallitIsSilent(Transport t) {
    CallOptions once = CallOptions.DEFAULT.withSemantics(CallSemantics.MAYBE)
        .withDeadline(java.time.Duration.ofMillis(300));
    try (RpcClient c = fixture.client(t, 0)) {
      for (int v = 2; v <= 4; v++) {
        Procedure<Long, Void> truncated = new Procedure<>(Portmap.PROGRAM, v, 5, "truncated CALLIT",
            XdrCodecs.HYPER, XdrCodecs.VOID);
        RpcException e = assertThrows(RpcException.class, () -> c.call(truncated, 7L, once));
        assertEquals(RpcStatus.TIMEOUT, e.status(), "no reply at all from version " + v);
      }
      Procedure<Long, Void> indirect = new Procedure<>(Portmap.PROGRAM, 4, 10, "truncated INDIRECT",
          XdrCodecs.HYPER, XdrCodecs.VOID);
      assertEquals(RpcStatus.GARBAGE_ARGS, assertThrows(RpcException.class, () -> c.call(indirect, 7L)).status());
    }
  }
}
