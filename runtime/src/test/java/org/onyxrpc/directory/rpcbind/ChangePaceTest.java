package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
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
    try (DirectoryFixture fixture = new DirectoryFixture(clock);
        RpcClient client = fixture.client(Transport.TCP, 1000)) {
      Names.RegisterArgs reg = new Names.RegisterArgs(new ServiceInstance("paced", PROGRAM, 1, "tcp",
          "127.0.0.1.4.1", ""), 60_000);
      Rpcb.Mapping m = new Rpcb.Mapping(PROGRAM, 2, "tcp", "127.0.0.1.4.2", "");
      int burst = 2 * (Portmap.MAX_DUMP / 4);
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
      assertEquals(2, fixture.server.changesRefused());
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
    try (DirectoryFixture fixture = new DirectoryFixture(clock);
        RpcClient client = fixture.client(Transport.TCP, 1000)) {
      Names.RegisterArgs reg = new Names.RegisterArgs(new ServiceInstance("paced", PROGRAM, 1, "tcp",
          "127.0.0.1.4.1", ""), 60_000);
      Rpcb.Mapping m = new Rpcb.Mapping(PROGRAM, 2, "tcp", "127.0.0.1.4.2", "");
      int burst = 2 * (Portmap.MAX_DUMP / 4);
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
      assertEquals(0, fixture.server.changesRefused());

      assertFalse(client.call(Rpcb.unset(4), m), "a real change is still refused");
      assertEquals(1, fixture.server.changesRefused());
    }
  }
}
