package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
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
 * One caller (here, one source address: 127.0.0.2) that SETs and registers without end stops at
 * its share of the directory's entries, and another caller (127.0.0.3) still registers. Before,
 * only the store's total bounded the entries: the first caller took every place but root's.
 */
class CallerSharesTest {
  private static final int FIRST = 0x30000000;

  @Test
  void aCallerStopsAtItsDefaultShareAndAnotherStillSets() throws Exception {
    try (Directory d = new Directory(DirectoryServer.builder());
        RawTcpPeer first = d.peer("127.0.0.2"); RawTcpPeer second = d.peer("127.0.0.3")) {
      int share = Portmap.MAX_DUMP / 4;
      for (int i = 0; i < share; i++) {
        assertTrue(set(first, FIRST + i), "SET " + i + " within the share");
      }
      assertFalse(set(first, FIRST + share), "past the share");
      assertTrue(set(second, FIRST + share), "another caller still sets");
      assertEquals(share + 1, d.directory.table().local().stream()
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
      assertEquals(Integer.valueOf(30_000), register(first, FIRST + 1, 30_000), "renewing one's own needs no room");
      assertTrue(set(second, FIRST + 2), "another caller still sets");

      // An entry gone (here UNSET; a lease that ends alike) gives its place back.
      assertTrue(call(first, Rpcb.unset(Rpcb.VERSION_4), new Rpcb.Mapping(FIRST, 1, "", "", "")));
      assertTrue(set(first, FIRST + 4), "room again");
      assertFalse(set(first, FIRST + 5));
    }
  }

  @Test
  void anEntrySetAgainByAnotherCallerCountsForItsNewOwner() throws Exception {
    try (Directory d = new Directory(DirectoryServer.builder().maxEntriesPerCaller(1));
        RawTcpPeer first = d.peer("127.0.0.2"); RawTcpPeer second = d.peer("127.0.0.3")) {
      assertTrue(set(first, FIRST));
      assertTrue(call(first, Rpcb.unset(Rpcb.VERSION_4), new Rpcb.Mapping(FIRST, 1, "", "", "")));
      assertTrue(set(second, FIRST), "gone, so the second caller's to set");
      // Its owner is the second caller: the mapping is in its share, not in the first's.
      assertFalse(set(second, FIRST + 1), "the second caller is at its share");
      assertTrue(set(first, FIRST + 2), "the first caller holds nothing");
    }
  }

  @Test
  void aSetOfAMappingThatIsThereNeedsNoRoomAndMovesNoCount() throws Exception {
    try (Directory d = new Directory(DirectoryServer.builder().maxEntriesPerCaller(1));
        RawTcpPeer first = d.peer("127.0.0.2"); RawTcpPeer second = d.peer("127.0.0.3")) {
      assertTrue(set(first, FIRST));
      assertTrue(set(second, FIRST + 1));
      // rpcbind's map_set answers TRUE for a mapping already there at that address, adding none.
      assertTrue(set(second, FIRST), "the first caller's mapping, already there");
      assertTrue(set(first, FIRST + 1), "the second caller's, already there");
      assertFalse(set(first, FIRST + 2), "the first caller still holds its own");
      assertTrue(call(first, Rpcb.unset(Rpcb.VERSION_4), new Rpcb.Mapping(FIRST, 1, "", "", "")));
      assertTrue(set(first, FIRST + 2), "and only that one");
      assertFalse(set(second, FIRST + 3), "the second caller still holds its own");
    }
  }

  @Test
  void theShareIsAtLeastOne() {
    assertThrows(IllegalArgumentException.class, () -> DirectoryServer.builder().maxEntriesPerCaller(0));
  }

  private static boolean set(RawTcpPeer peer, int program) throws IOException {
    return call(peer, Rpcb.set(Rpcb.VERSION_4), new Rpcb.Mapping(program, 1, "tcp", "127.0.0.1.1.1", ""));
  }

  private static Integer register(RawTcpPeer peer, int program, int leaseMillis) throws IOException {
    return call(peer, Names.REGISTER, new Names.RegisterArgs(
        new ServiceInstance("org.example.Flood", program, 1, "tcp", "127.0.0.1.1.1", ""), leaseMillis));
  }

  /** One call over {@code peer}'s connection, from the address it is bound to. */
  private static <A, R> R call(RawTcpPeer peer, Procedure<A, R> procedure, A args) throws IOException {
    ByteBuf buf = Unpooled.buffer();
    procedure.arguments().encode(new XdrWriter(buf), args);
    byte[] bytes = new byte[buf.readableBytes()];
    buf.readBytes(bytes);
    buf.release();
    peer.sendRecord(RawTcpPeer.call(1, 2, procedure.program(), procedure.version(), procedure.number(),
        OpaqueAuth.NONE, bytes));
    XdrReader in = new XdrReader(Unpooled.wrappedBuffer(peer.readRecord()));
    assertEquals(RpcStatus.SUCCESS, RpcMessages.readReply(in).status());
    return procedure.result().decode(in);
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
