package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.internal.directory.Names;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.internal.rpcbind.Rpcb;
import org.onyxrpc.testing.FakeClock;
import org.onyxrpc.transport.Transport;

/**
 * A caller that changes the directory without pause (SET then UNSET, REGISTER then UNREGISTER,
 * each a store write, over ZooKeeper one of the ensemble every host shares) is refused past its
 * burst, as rpcbind refuses a SET, and counted, until its pace allows another change. Before,
 * nothing bounded how fast one caller wrote the store. Time is a {@link FakeClock}: no sleeps.
 */
class ChangePaceTest {
  private static final int PROGRAM = 0x30001000;

  @Test
  void setAndUnsetWithoutPauseStopAtTheBurstUntilThePaceAllowsOneMore() throws Exception {
    FakeClock clock = new FakeClock();
    try (DirectoryFixture fixture = new DirectoryFixture(clock);
        RpcClient client = fixture.client(Transport.TCP, 1000)) {
      Rpcb.Mapping m = new Rpcb.Mapping(PROGRAM, 1, "tcp", "127.0.0.1.4.1", "");
      // The default burst: twice a caller's default share, so filling the share and emptying it
      // again (CallerSharesTest, a server at start and stop) is never refused.
      int burst = 2 * (Portmap.MAX_DUMP / 4);
      for (int i = 0; i < burst / 2; i++) {
        assertTrue(client.call(Rpcb.set(4), m), "SET " + i);
        assertTrue(client.call(Rpcb.unset(4), m), "UNSET " + i);
      }
      assertFalse(client.call(Rpcb.set(4), m), "past the burst");
      assertFalse(client.call(Portmap.SET, new Portmap.Mapping(PROGRAM, 1, Portmap.IPPROTO_TCP, 1025)),
          "and portmap's SET");
      assertTrue(fixture.directory.table().find(PROGRAM, 1, "tcp", true).isEmpty(), "nothing written");
      assertEquals(2, fixture.server.changesRefused());

      clock.advance(Duration.ofMillis(10)); // 100 a second: one more change
      assertTrue(client.call(Rpcb.set(4), m), "the pace allows one");
      assertFalse(client.call(Rpcb.unset(3), m), "and only one: an UNSET too");
      assertFalse(client.call(Portmap.UNSET, new Portmap.Mapping(PROGRAM, 1, Portmap.IPPROTO_TCP, 0)),
          "and portmap's UNSET");
      clock.advance(Duration.ofSeconds(30)); // back to the whole burst
      assertTrue(client.call(Rpcb.unset(4), m));
      assertEquals(4, fixture.server.changesRefused());
    }
  }

  @Test
  void registrationsArePacedOnTheSameBucketAsSets() throws Exception {
    FakeClock clock = new FakeClock();
    // A burst of 8, not the default 2,048: the bucket is the same whatever its size (the default
    // is the first test's), and 2,000 calls fewer.
    int burst = 8;
    try (DirectoryServer server = server(clock, DirectoryServer.builder().changesPerCaller(burst, 100));
        RpcClient client = client(server)) {
      Names.RegisterArgs reg = new Names.RegisterArgs(new ServiceInstance("paced", PROGRAM, 1, "tcp",
          "127.0.0.1.4.1", ""), 60_000);
      Rpcb.Mapping m = new Rpcb.Mapping(PROGRAM, 2, "tcp", "127.0.0.1.4.2", "");
      for (int i = 0; i < burst / 2 - 1; i++) {
        assertEquals(60_000, client.call(Names.REGISTER, reg), "REGISTER " + i);
        assertTrue(client.call(Names.UNREGISTER, reg), "UNREGISTER " + i);
      }
      assertTrue(client.call(Rpcb.set(4), m), "a SET of the same caller");
      assertEquals(60_000, client.call(Names.REGISTER, reg), "the burst's last change");
      Names.RegisterArgs another = new Names.RegisterArgs(new ServiceInstance("paced", PROGRAM, 1, "tcp",
          "127.0.0.1.4.3", ""), 60_000);
      assertEquals(0, client.call(Names.REGISTER, another), "past the burst: refused");
      assertFalse(client.call(Names.UNREGISTER, reg), "a withdrawal too");
      assertEquals(2, server.changesRefused());
    }
  }

  /**
   * Only writes are charged: past the burst, a SET of a mapping already there, an UNSET of
   * nothing (both TRUE, as rpcbind answers them) and a renewal the table does not write (what
   * the entry has left) still succeed, and are not counted as refused. Before, each took a
   * token, so a server re-announcing what it holds was refused (SET FALSE, lease 0).
   */
  @Test
  void whatWritesNothingIsNotCharged() throws Exception {
    FakeClock clock = new FakeClock();
    int burst = 8; // as in the test above: any burst, emptied, shows what is charged
    try (DirectoryServer server = server(clock, DirectoryServer.builder().changesPerCaller(burst, 100));
        RpcClient client = client(server)) {
      Names.RegisterArgs reg = new Names.RegisterArgs(new ServiceInstance("paced", PROGRAM, 1, "tcp",
          "127.0.0.1.4.1", ""), 60_000);
      Rpcb.Mapping m = new Rpcb.Mapping(PROGRAM, 2, "tcp", "127.0.0.1.4.2", "");
      for (int i = 0; i < burst / 2 - 1; i++) {
        assertTrue(client.call(Rpcb.set(4), m), "SET " + i);
        assertTrue(client.call(Rpcb.unset(4), m), "UNSET " + i);
      }
      assertTrue(client.call(Rpcb.set(4), m));
      assertEquals(60_000, client.call(Names.REGISTER, reg), "the burst's last change");

      assertTrue(client.call(Rpcb.set(4), m), "a SET of the mapping already there");
      assertTrue(client.call(Rpcb.unset(4), new Rpcb.Mapping(PROGRAM, 3, "tcp", "", "")), "an UNSET of nothing");
      assertTrue(client.call(Portmap.UNSET, new Portmap.Mapping(PROGRAM, 3, Portmap.IPPROTO_TCP, 0)),
          "portmap's UNSET of nothing");
      assertEquals(60_000, client.call(Names.REGISTER, reg), "a renewal the table does not write");
      assertFalse(client.call(Names.UNREGISTER, new Names.RegisterArgs(new ServiceInstance("paced", PROGRAM, 1,
          "tcp", "127.0.0.1.4.9", ""), 0)), "a withdrawal of nothing (FALSE: nothing removed)");
      assertEquals(0, server.changesRefused());

      assertFalse(client.call(Rpcb.unset(4), m), "a real change is still refused");
      assertEquals(1, server.changesRefused());
    }
  }

  /**
   * A share raised past the default raises the default burst with it: a caller may fill its
   * whole share and empty it again. Before, the burst stayed at twice the default share (2,048),
   * and a server of 1,100 entries was refused at its 2,049th change of the 2,200 it made at start
   * and stop.
   */
  @Test
  void aLargerShareGetsALargerBurst() throws Exception {
    FakeClock clock = new FakeClock();
    try (DirectoryServer server = server(clock, DirectoryServer.builder().maxEntriesPerCaller(1100));
        RpcClient client = client(server)) {
      for (int version = 1; version <= 1100; version++) {
        assertTrue(client.call(Rpcb.set(4), mapping(version)), "SET " + version);
      }
      for (int version = 1; version <= 1100; version++) {
        assertTrue(client.call(Rpcb.unset(4), mapping(version)), "UNSET " + version);
      }
      assertEquals(0, server.changesRefused());
      assertFalse(client.call(Rpcb.set(4), mapping(1)), "past the burst of 2,200");
      assertEquals(1, server.changesRefused());
    }
  }

  /** An operator's pace is kept: its burst, then its rate, by the table's clock. */
  @Test
  void theOperatorsPaceIsKept() throws Exception {
    FakeClock clock = new FakeClock();
    try (DirectoryServer server = server(clock, DirectoryServer.builder().changesPerCaller(3, 2));
        RpcClient client = client(server)) {
      for (int version = 1; version <= 3; version++) {
        assertTrue(client.call(Rpcb.set(4), mapping(version)), "SET " + version);
      }
      assertFalse(client.call(Rpcb.set(4), mapping(4)), "past the burst of 3");
      clock.advance(Duration.ofMillis(500)); // 2 a second
      assertTrue(client.call(Rpcb.set(4), mapping(4)));
      assertFalse(client.call(Rpcb.set(4), mapping(5)));
      assertEquals(2, server.changesRefused());
    }
  }

  private static DirectoryServer server(FakeClock clock, DirectoryServer.Builder builder) throws Exception {
    return builder.bind(InetAddress.getLoopbackAddress(), 0)
        .directory(new LocalDirectory(new InMemoryDirectoryStore(), clock)).build().start();
  }

  private static RpcClient client(DirectoryServer server) {
    return RpcClient.builder().address("127.0.0.1", server.port()).transport(Transport.TCP)
        .credentials(new org.onyxrpc.rpc.AuthSys(0, "test", 1000, 1000, new int[0])).build();
  }

  private static Rpcb.Mapping mapping(int version) {
    return new Rpcb.Mapping(PROGRAM, version, "tcp", "127.0.0.1.4." + (version % 256), "");
  }
}
