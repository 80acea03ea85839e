package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.onyxrpc.directory.DirectoryTable;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.internal.directory.Names;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.internal.rpcbind.Rpcb;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.LoopbackHosts;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;

/**
 * One caller that SETs and registers without end stops at its share of the directory's entries,
 * and another caller still registers. Before, only the store's total bounded the entries: the
 * first caller took every place but root's. A caller the kernel vouches for no uid of is, on
 * this machine, the machine: before, each address it called from (127.0.0.2, 127.0.0.3 ...) had
 * a share of its own, so one local user took a share per address, and five took every place.
 */
class CallerSharesTest {
  private static final int FIRST = 0x30000000;

  /** A lease granted (not 0, refused) of at most {@code asked} ms and more than nine tenths of it. */
  private static void assertGranted(int asked, Integer granted, String what) {
    assertTrue(granted > asked * 9 / 10 && granted <= asked, what + ": " + granted);
  }

  @Test
  void aLocalCallerStopsAtItsDefaultShareWhicheverAddressOfThisMachineItCallsFrom() throws Exception {
    try (Directory d = new Directory(DirectoryServer.builder());
        RawTcpPeer first = d.peer("127.0.0.2"); RawTcpPeer second = d.peer("127.0.0.3");
        RawTcpPeer third = d.peer("127.0.0.4")) {
      int share = Portmap.MAX_DUMP / 4;
      for (int i = 0; i < share; i++) {
        assertTrue(set(first, FIRST + i), "SET " + i + " within the share");
      }
      assertFalse(set(first, FIRST + share), "past the share");
      assertFalse(set(second, FIRST + share), "from another loopback address: the same caller");
      assertEquals(Integer.valueOf(0), register(third, FIRST + share, 30_000),
          "a registration from a third is refused too");
      assertFalse(datagramSet(d, "127.0.0.5", FIRST + share), "and a SET over UDP from a fourth");
      assertEquals(share, d.directory.table().local().stream()
          .filter(i -> i.program() - FIRST >= 0 && i.program() - FIRST <= share).count());
    }
  }

  @Test
  void aConfiguredShareCountsSetsAndRegistrationsAndFreesAsEntriesGo() throws Exception {
    try (Directory d = new Directory(DirectoryServer.builder().maxEntriesPerCaller(2));
        RawTcpPeer first = d.peer("127.0.0.2"); RawTcpPeer second = d.peer("127.0.0.3")) {
      assertTrue(set(first, FIRST));
      assertEquals(Integer.valueOf(30_000), register(first, FIRST + 1, 30_000), "a registration counts too");
      assertFalse(set(first, FIRST + 2), "past the share");
      assertEquals(Integer.valueOf(0), register(first, FIRST + 3, 30_000), "registration refused past it too");
      // Granted: what the entry has left, since a renewal this soon leaves its lease as it was
      // (DirectoryTable.register), up to the 30 s asked.
      assertGranted(30_000, register(first, FIRST + 1, 30_000), "renewing one's own needs no room");
      assertGranted(30_000, register(second, FIRST + 1, 30_000), "and so from another address of this machine");
      assertFalse(set(second, FIRST + 2), "whose share it is");

      // An entry gone (here UNSET; a lease that ends alike) gives its place back.
      assertTrue(call(first, Rpcb.unset(Rpcb.VERSION_4), new Rpcb.Mapping(FIRST, 1, "", "", "")));
      assertTrue(set(second, FIRST + 4), "room again");
      assertFalse(set(first, FIRST + 5));
    }
  }

  /**
   * Callers told apart (as the kernel's uids through the local socket, or other machines, are),
   * through the shares the directory's services use: SET as rpcbind's, registration as Names'.
   */
  @Test
  void anotherCallerStillSetsPastOnesShare() {
    try (Shares s = new Shares(2)) {
      Caller first = s.caller("1000");
      Caller second = s.caller("1001");
      assertTrue(first.set(FIRST));
      assertNotNull(first.register(FIRST + 1));
      assertFalse(first.set(FIRST + 2), "past the share");
      assertTrue(second.set(FIRST + 2), "another caller still sets");
      assertNotNull(second.register(FIRST + 3), "and registers");
      assertFalse(second.set(FIRST + 4), "until its own share is full");
    }
  }

  @Test
  void anEntrySetAgainByAnotherCallerCountsForItsNewOwner() {
    try (Shares s = new Shares(1)) {
      Caller first = s.caller("1000");
      Caller second = s.caller("1001");
      assertTrue(first.set(FIRST));
      assertTrue(first.unset(FIRST));
      assertTrue(second.set(FIRST), "gone, so the second caller's to set");
      // Its owner is the second caller: the mapping is in its share, not in the first's.
      assertFalse(second.set(FIRST + 1), "the second caller is at its share");
      assertTrue(first.set(FIRST + 2), "the first caller holds nothing");
    }
  }

  @Test
  void aSetOfAMappingThatIsThereNeedsNoRoomAndMovesNoCount() {
    try (Shares s = new Shares(1)) {
      Caller first = s.caller("1000");
      Caller second = s.caller("1001");
      assertTrue(first.set(FIRST));
      assertTrue(second.set(FIRST + 1));
      // rpcbind's map_set answers TRUE for a mapping already there at that address, adding none.
      assertTrue(second.set(FIRST), "the first caller's mapping, already there");
      assertTrue(first.set(FIRST + 1), "the second caller's, already there");
      assertFalse(first.set(FIRST + 2), "the first caller still holds its own");
      assertTrue(first.unset(FIRST));
      assertTrue(first.set(FIRST + 2), "and only that one");
      assertFalse(second.set(FIRST + 3), "the second caller still holds its own");
      assertNull(second.register(FIRST + 3), "nor registers past it");
    }
  }

  @Test
  void theShareIsAtLeastOne() {
    assertThrows(IllegalArgumentException.class, () -> DirectoryServer.builder().maxEntriesPerCaller(0));
  }

  private static boolean set(RawTcpPeer peer, int program) throws IOException {
    return call(peer, Rpcb.set(Rpcb.VERSION_4), mapping(program));
  }

  private static Rpcb.Mapping mapping(int program) {
    return new Rpcb.Mapping(program, 1, "tcp", "127.0.0.1.1.1", "");
  }

  private static Integer register(RawTcpPeer peer, int program, int leaseMillis) throws IOException {
    return call(peer, Names.REGISTER, new Names.RegisterArgs(instance(program), leaseMillis));
  }

  private static ServiceInstance instance(int program) {
    return new ServiceInstance("org.example.Flood", program, 1, "tcp", "127.0.0.1.1.1", "");
  }

  /** One call over {@code peer}'s connection, from the address it is bound to. */
  private static <A, R> R call(RawTcpPeer peer, Procedure<A, R> procedure, A args) throws IOException {
    peer.sendRecord(message(procedure, args));
    return result(procedure, peer.readRecord());
  }

  /** A SET in one datagram from {@code from}, port any. */
  private static boolean datagramSet(Directory d, String from, int program) throws IOException {
    Procedure<Rpcb.Mapping, Boolean> set = Rpcb.set(Rpcb.VERSION_4);
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LoopbackHosts.host(from), 0))) {
      socket.setSoTimeout(60_000); // a failing test's wait only: the directory answers every SET
      byte[] out = message(set, mapping(program));
      socket.send(new DatagramPacket(out, out.length,
          new InetSocketAddress(InetAddress.getLoopbackAddress(), d.server.port())));
      DatagramPacket in = new DatagramPacket(new byte[512], 512);
      socket.receive(in);
      byte[] reply = new byte[in.getLength()];
      System.arraycopy(in.getData(), 0, reply, 0, reply.length);
      return result(set, reply);
    }
  }

  private static <A> byte[] message(Procedure<A, ?> procedure, A args) {
    ByteBuf buf = Unpooled.buffer();
    procedure.arguments().encode(new XdrWriter(buf), args);
    byte[] bytes = new byte[buf.readableBytes()];
    buf.readBytes(bytes);
    buf.release();
    return RawTcpPeer.call(1, 2, procedure.program(), procedure.version(), procedure.number(),
        OpaqueAuth.NONE, bytes);
  }

  private static <R> R result(Procedure<?, R> procedure, byte[] reply) {
    XdrReader in = new XdrReader(Unpooled.wrappedBuffer(reply));
    assertEquals(RpcStatus.SUCCESS, RpcMessages.readReply(in).status());
    return procedure.result().decode(in);
  }

  /** A table and its shares, as a directory server's services use them. */
  private static final class Shares implements AutoCloseable {
    final LocalDirectory directory = new LocalDirectory(new InMemoryDirectoryStore());
    final DirectoryTable table = directory.table();
    final CallerShares shares;

    Shares(int perCaller) {
      shares = new CallerShares(table, perCaller);
    }

    @Override
    public void close() {
      directory.close(); // its sweeping, which a registration started
    }

    /** A caller the kernel vouched for as {@code uid}: its owner and its share are the uid's. */
    Caller caller(String uid) {
      return new Caller(this, uid);
    }
  }

  private record Caller(Shares s, String uid) {
    /** As RpcbindService's SET. */
    boolean set(int program) {
      ServiceInstance i = new ServiceInstance("", program, 1, "tcp", "127.0.0.1.1.1", uid);
      return s.shares.add(uid, uid, i.key(), false, () -> s.table.set(i) ? i : null) != null;
    }

    boolean unset(int program) {
      return s.table.unset(program, 1, "", uid);
    }

    /** As NamesService's REGISTER: the lease granted, or null. */
    Duration register(int program) {
      // A name of its own: another uid's name is not joined, under any program (RulesTest).
      ServiceInstance i = new ServiceInstance("org.example.Flood" + uid, program, 1, "tcp",
          "127.0.0.1.1.1", uid);
      return s.shares.add(uid, uid, i.key(), true, () -> s.table.register(i, Duration.ofSeconds(30)));
    }
  }

  /** A directory server on a free loopback port, over a fresh store. */
  private static final class Directory implements AutoCloseable {
    final LocalDirectory directory = new LocalDirectory(new InMemoryDirectoryStore());
    final DirectoryServer server;

    Directory(DirectoryServer.Builder builder) throws IOException {
      server = builder.bind(InetAddress.getLoopbackAddress(), 0).directory(directory).build().start();
    }

    RawTcpPeer peer(String from) throws IOException {
      return new RawTcpPeer(server.port(), LoopbackHosts.host(from));
    }

    @Override
    public void close() {
      server.close();
      directory.close();
    }
  }
}
