package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.DirectoryStore;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.Registration;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.internal.rpcbind.Rpcb;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrReader;

/**
 * A caller on this machine that registers without end, and one that sends strings past rpcbind's
 * bounds: the store stops at its limit and the directory goes on answering; an overlong netid,
 * address or owner is GARBAGE_ARGS before it is stored; a list longer than a reply holds is cut.
 */
class DirectoryFloodTest {
  private static final int FIRST = 0x30000000;

  @Test
  void setsPastTheStoresLimitAreRefusedAndTheDirectoryGoesOnAnswering() throws Exception {
    // One caller fills the store here; its share (CallerSharesTest) would stop it at a quarter.
    try (DirectoryFixture fixture = DirectoryFixture.withoutCallerShares(); RpcClient c = fixture.client(Transport.TCP, 0)) {
      List<Rpcb.Mapping> own = c.call(Rpcb.dump(Rpcb.VERSION_4), null); // the directory's own entries
      int ownOthers = (int) own.stream().filter(m -> !m.owner().equals("superuser")).count();
      int max = InMemoryDirectoryStore.DEFAULT_MAX_ENTRIES;
      int taken = 0;
      for (int i = 0; i < max + 100; i++) {
        taken += c.call(Rpcb.set(Rpcb.VERSION_4), new Rpcb.Mapping(FIRST + i, 1, "tcp", "127.0.0.1.1.1", "")) ? 1 : 0;
      }
      // A caller over TCP is "unknown": its entries, with every other owner's but the superuser's,
      // fill all but an eighth of the store.
      assertEquals(max - max / 8 - ownOthers, taken);
      assertEquals(own.size() + taken, c.call(Rpcb.dump(Rpcb.VERSION_4), null).size());
      assertEquals("127.0.0.1.1.1", c.call(Rpcb.getAddr(Rpcb.VERSION_4), new Rpcb.Mapping(FIRST, 1, "tcp", "", "")));

      // Full: refused, until an entry goes (an unknown caller may remove another unknown's, as with rpcbind).
      int next = FIRST + max + 100;
      assertFalse(c.call(Rpcb.set(Rpcb.VERSION_4), new Rpcb.Mapping(next, 1, "tcp", "127.0.0.1.1.1", "")));
      assertTrue(c.call(Rpcb.unset(Rpcb.VERSION_4), new Rpcb.Mapping(FIRST, 1, "", "", "")));
      assertTrue(c.call(Rpcb.set(Rpcb.VERSION_4), new Rpcb.Mapping(next, 1, "tcp", "127.0.0.1.1.1", "")));

      // Root's services (NFS's mountd, statd), which register through the local socket as the
      // superuser, still find their places; before, the flood had taken them all.
      int kept = max / 8 - (own.size() - ownOthers);
      for (int i = 0; i < kept; i++) {
        assertTrue(fixture.directory.table().set(
            new ServiceInstance("", 0x50000000 + i, 1, "tcp", "0.0.0.0.8.1", "superuser")), "superuser SET " + i);
      }
      assertFalse(fixture.directory.table().set(
          new ServiceInstance("", 0x50000000 + kept, 1, "tcp", "0.0.0.0.8.1", "superuser")), "now the store is full");
      assertEquals(max, c.call(Rpcb.dump(Rpcb.VERSION_4), null).size());
    }
  }

  /**
   * A shared store lists up to four times a host's own bound: GETADDRLIST answers with this
   * machine's addresses first and then the other hosts' up to a list's most (4,096), each a true
   * one, as LOOKUP keeps its first 1,024; before, it answered SYSTEM_ERR, leaving every caller
   * with no address at all once the hosts together registered one program version more often.
   */
  @Test
  void getAddrListOfMoreEntriesThanAListHoldsListsThisMachinesFirst() throws Exception {
    List<Registration> elsewhere = new ArrayList<>();
    for (int i = 0; i < Portmap.MAX_DUMP + 100; i++) {
      elsewhere.add(new Registration(new ServiceInstance("", FIRST, 1, "tcp",
          "10.0." + i / 256 + "." + i % 256 + ".0.111", "unknown"), Registration.PERMANENT));
    }
    InMemoryDirectoryStore here = new InMemoryDirectoryStore();
    DirectoryStore shared = new DirectoryStore() {
      @Override
      public boolean put(Registration registration) {
        return here.put(registration);
      }

      @Override
      public boolean remove(ServiceInstance.Key key) {
        return here.remove(key);
      }

      @Override
      public List<Registration> list(long nowMillis) {
        List<Registration> all = new ArrayList<>(elsewhere);
        all.addAll(here.list(nowMillis));
        return all;
      }

      @Override
      public List<Registration> listLocal(long nowMillis) {
        return here.list(nowMillis);
      }

      @Override
      public int removeExpired(long nowMillis) {
        return here.removeExpired(nowMillis);
      }
    };
    try (DirectoryFixture fixture = new DirectoryFixture(new LocalDirectory(shared));
        RpcClient c = fixture.client(Transport.TCP, 0)) {
      assertTrue(c.call(Rpcb.set(Rpcb.VERSION_4), new Rpcb.Mapping(FIRST, 1, "tcp", "127.0.0.1.0.200", "")));
      List<Rpcb.Entry> listed = c.call(Rpcb.GETADDRLIST, new Rpcb.Mapping(FIRST, 1, "", "", ""));
      assertEquals(Portmap.MAX_DUMP, listed.size());
      assertEquals("127.0.0.1.0.200", listed.get(0).address(), "this machine's first");
      Set<String> registered = new HashSet<>();
      elsewhere.forEach(r -> registered.add(r.instance().address()));
      assertTrue(listed.stream().skip(1).allMatch(e -> registered.contains(e.address())));
      assertEquals(Portmap.MAX_DUMP, listed.stream().map(Rpcb.Entry::address).distinct().count());
    }
  }

  @Test
  void stringsPastTheirBoundsAreGarbageAndNothingIsStored() throws Exception {
    try (DirectoryFixture fixture = new DirectoryFixture(); RawTcpPeer peer = new RawTcpPeer(fixture.port());
        RpcClient c = fixture.client(Transport.TCP, 0)) {
      int[][] lengths = {{Rpcb.MAX_NETID + 1, 13, 0}, {3, Rpcb.MAX_ADDRESS + 1, 0}, {3, 13, Rpcb.MAX_OWNER + 1},
          {3, 13, Integer.MAX_VALUE}};
      int xid = 1;
      for (int[] l : lengths) {
        peer.sendRecord(RawTcpPeer.call(xid++, 2, Rpcb.PROGRAM, Rpcb.VERSION_4, 1, OpaqueAuth.NONE,
            mapping(FIRST, l[0], l[1], l[2])));
        assertEquals(RpcStatus.GARBAGE_ARGS, peer.readReply().status(), List.of(l[0], l[1], l[2]).toString());
      }
      assertEquals("", c.call(Rpcb.getAddr(Rpcb.VERSION_4), new Rpcb.Mapping(FIRST, 1, "tcp", "", "")));
    }
  }

  /**
   * A netid at rpcbind's bound on the wire whose bytes are not UTF-8: rpcbind stores any bytes,
   * and so does the directory now, each such byte read as one char (U+DCFF) and written back as
   * that byte. Before, each was read as U+FFFD, three bytes, and the netid no longer fit an
   * entry's 32 (not set, FALSE).
   */
  @Test
  void aNetidThatIsNotUtf8IsSetAndListedAsSent() throws Exception {
    try (DirectoryFixture fixture = new DirectoryFixture(); RawTcpPeer peer = new RawTcpPeer(fixture.port());
        RpcClient c = fixture.client(Transport.TCP, 0)) {
      byte[] netid = new byte[Rpcb.MAX_NETID];
      java.util.Arrays.fill(netid, (byte) 0xFF);
      ByteBuf args = Unpooled.buffer();
      args.writeInt(FIRST).writeInt(1).writeInt(netid.length).writeBytes(netid)
          .writeInt(1).writeBytes(new byte[] {'x', 0, 0, 0}).writeInt(0);
      byte[] bytes = new byte[args.readableBytes()];
      args.readBytes(bytes);
      args.release();
      peer.sendRecord(RawTcpPeer.call(1, 2, Rpcb.PROGRAM, Rpcb.VERSION_4, 1, OpaqueAuth.NONE, bytes));
      byte[] reply = peer.readRecord();
      XdrReader in = new XdrReader(Unpooled.wrappedBuffer(reply));
      assertEquals(RpcStatus.SUCCESS, RpcMessages.readReply(in).status());
      assertTrue(in.readBool(), "SET's answer");
      List<Rpcb.Mapping> set = c.call(Rpcb.dump(Rpcb.VERSION_4), null).stream()
          .filter(m -> m.program() == FIRST).toList();
      assertEquals(1, set.size(), set.toString());
      assertEquals("\udcff".repeat(Rpcb.MAX_NETID), set.get(0).netid());
      peer.sendRecord(RawTcpPeer.call(2, 2, Rpcb.PROGRAM, Rpcb.VERSION_4, 4, OpaqueAuth.NONE, new byte[0]));
      String dumped = new String(peer.readRecord(), StandardCharsets.ISO_8859_1);
      String sent = new String(netid, StandardCharsets.ISO_8859_1);
      assertTrue(dumped.contains("\0\0\0\u0020" + sent + "\0\0\0"), "DUMP lists it as it was sent");
    }
  }

  /** rpcb {prog, 1, netid, addr, owner} with strings of the lengths given, claimed if not sent. */
  private static byte[] mapping(int program, int netid, int address, int owner) {
    ByteBuf b = Unpooled.buffer();
    b.writeInt(program).writeInt(1);
    for (int length : new int[] {netid, address, owner}) {
      b.writeInt(length);
      if (length > 1024) {
        break; // a length claimed past what the record holds
      }
      String s = length == 3 ? "tcp" : length == 13 ? "127.0.0.1.1.1" : "x".repeat(length);
      b.writeBytes(s.getBytes(StandardCharsets.US_ASCII)).writeZero((4 - length % 4) % 4);
    }
    byte[] bytes = new byte[b.readableBytes()];
    b.readBytes(bytes);
    b.release();
    return bytes;
  }
}
