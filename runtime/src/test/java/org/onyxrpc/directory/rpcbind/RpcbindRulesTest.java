package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Random;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.internal.rpcbind.Rpcb;
import org.onyxrpc.rpc.AuthSys;
import org.onyxrpc.rpc.Credentials;
import org.onyxrpc.server.CallContext;
import org.onyxrpc.transport.Transport;

/** How much a UDP reply may carry, and the standalone directory's arguments. */
class RpcbindRulesTest {
  private static CallContext call(Transport t, String from, Credentials credentials) throws Exception {
    return new CallContext(1, Portmap.PROGRAM, 4, 4, credentials,
        new InetSocketAddress(InetAddress.getByName(from), 700), t);
  }

  private static List<Rpcb.Mapping> mappings(int n) {
    List<Rpcb.Mapping> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(new Rpcb.Mapping(0x20000000 + i, 1, "tcp", "0.0.0.0.1." + i, "superuser"));
    }
    return list;
  }

  @Test
  void aUdpDumpToAnotherMachineIsNeverLargerThanItsCall() throws Exception {
    List<Rpcb.Mapping> all = mappings(50);
    assertEquals(all, Amplification.trim(call(Transport.UDP, "127.0.0.1", Credentials.NONE), all, Rpcb.MAPPING_LIST),
        "loopback sources cannot be forged from elsewhere");
    assertEquals(all, Amplification.trim(call(Transport.TCP, "192.0.2.1", Credentials.NONE), all, Rpcb.MAPPING_LIST),
        "TCP's handshake proves the source");
    assertEquals(List.of(), Amplification.trim(call(Transport.UDP, "192.0.2.1", Credentials.NONE), all,
        Rpcb.MAPPING_LIST), "a 40-byte call gets no entries");
    // A caller that pads its call with a large credential gets what fits in no more bytes.
    AuthSys padded = new AuthSys(0, "x".repeat(200), 1, 1, new int[16]);
    CallContext big = call(Transport.UDP, "192.0.2.1", padded);
    List<Rpcb.Mapping> some = Amplification.trim(big, all, Rpcb.MAPPING_LIST);
    assertTrue(!some.isEmpty() && some.size() < all.size(), some.size() + " entries");
    int callBytes = 40 + padded.toOpaqueAuth().body().length;
    int replyBytes = 24 + 4 + some.size() * (4 + 4 + 4 + 4 + 4 + 4 + 16 + 4 + 12);
    assertTrue(replyBytes <= callBytes, replyBytes + " reply bytes for a call of " + callBytes);
  }

  /**
   * A flood of small DUMP datagrams against a full table: each reply carries a handful of
   * entries, and each call encodes and sorts about that many, not the table. Before, the list
   * was encoded whole and then by halves (8,191 entries for 4,096) and the table sorted whole,
   * about a millisecond of the directory's time for each 40-byte datagram.
   */
  @Test
  void aUdpDumpToAnotherMachineEncodesAndSortsWhatFitsNotTheWholeTable() throws Exception {
    List<Rpcb.Mapping> all = mappings(Portmap.MAX_DUMP);
    int[] encoded = {0};
    XdrCodec<List<Rpcb.Mapping>> counting = new XdrCodec<>() {
      @Override
      public void encode(XdrWriter out, List<Rpcb.Mapping> value) {
        encoded[0] += value.size();
        Rpcb.MAPPING_LIST.encode(out, value);
      }

      @Override
      public List<Rpcb.Mapping> decode(XdrReader in) {
        return Rpcb.MAPPING_LIST.decode(in);
      }
    };
    AuthSys padded = new AuthSys(0, "x".repeat(200), 1, 1, new int[16]);
    CallContext remote = call(Transport.UDP, "192.0.2.1", padded);
    List<Rpcb.Mapping> some = Amplification.trim(remote, all, counting);
    assertEquals(all.subList(0, some.size()), some);
    assertTrue(!some.isEmpty() && encoded[0] < 100, encoded[0] + " entries encoded for " + some.size());

    // The table gives the first entries in order without sorting all of them: as many as a
    // reply to the call could hold at 4 bytes each, a few more than fit.
    int most = Amplification.most(remote);
    assertTrue(most >= some.size() && most < 200, "most " + most);
    assertEquals(Integer.MAX_VALUE, Amplification.most(call(Transport.TCP, "192.0.2.1", padded)));
    LocalDirectory directory = new LocalDirectory(new InMemoryDirectoryStore());
    List<Integer> programs = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      programs.add(0x30000000 + i);
    }
    Collections.shuffle(programs, new Random(7));
    for (int p : programs) {
      directory.table().set(new ServiceInstance("", p, 1, "tcp", "127.0.0.1.1.1", "superuser"));
    }
    List<ServiceInstance> sorted = directory.table().local();
    assertEquals(sorted.subList(0, most), directory.table().local(most));
    assertEquals(List.of(), directory.table().local(0));
    assertEquals(sorted, directory.table().local(Integer.MAX_VALUE));
  }

  /**
   * A name with thousands of entries, looked up over UDP from another machine: the table gives
   * the first few in order without sorting all of them (each such datagram sorted every entry of
   * the name before, to send a handful), the same the whole sorted list begins with.
   */
  @Test
  void aNamesFirstEntriesAreFoundWithoutSortingThemAll() {
    LocalDirectory directory = new LocalDirectory(new InMemoryDirectoryStore());
    List<Integer> ports = new ArrayList<>();
    for (int i = 1; i <= 3000; i++) {
      ports.add(i);
    }
    Collections.shuffle(ports, new Random(11));
    for (int p : ports) {
      directory.table().register(new ServiceInstance("many", 0x30000001, 1, "tcp",
          "127.0.0.1." + (p >> 8) + "." + (p & 0xFF), "superuser"), Duration.ofMinutes(5));
    }
    List<ServiceInstance> sorted = directory.table().named("many");
    assertEquals(3000, sorted.size());
    assertEquals(sorted.subList(0, 26), directory.table().named("many", 26));
    assertEquals(List.of(), directory.table().named("many", 0));
    assertEquals(sorted, directory.table().named("many", Integer.MAX_VALUE));
  }

  /**
   * GETADDR of an entry whose netid is not IP's (a Unix-domain socket's path, up to 107 bytes,
   * or any address a local process set) is for callers on this machine, as GETADDRLIST lists it
   * only for them: the path means nothing elsewhere, and a datagram with a forged source got it
   * whole, a reply twice the size of its call. An IP entry is answered as before.
   */
  @Test
  void getAddrOfAUnixSocketsEntryIsForCallersOnThisMachine() throws Exception {
    LocalDirectory directory = new LocalDirectory(new InMemoryDirectoryStore());
    String path = "/" + "p".repeat(106);
    directory.table().set(new ServiceInstance("", 0x20000001, 1, "local", path, "superuser"));
    directory.table().set(new ServiceInstance("", 0x20000001, 1, "tcp", "192.0.2.9.0.80", "superuser"));
    RpcbindService rpcbind = new RpcbindService(directory.table(), new RpcbCounters(), null, new Callers());
    Rpcb.Mapping local = new Rpcb.Mapping(0x20000001, 1, "local", "", "");
    for (boolean exactVersion : new boolean[] {false, true}) {
      assertEquals("", rpcbind.getAddr(local, call(Transport.UDP, "198.51.100.7", Credentials.NONE), exactVersion),
          "a datagram from another machine, or claiming to be");
      assertEquals("", rpcbind.getAddr(local, call(Transport.TCP, "198.51.100.7", Credentials.NONE), exactVersion));
      assertEquals(path, rpcbind.getAddr(local, call(Transport.UDP, "127.0.0.1", Credentials.NONE), exactVersion));
      assertEquals(path, rpcbind.getAddr(local, call(Transport.TCP, "127.0.0.1", Credentials.NONE), exactVersion));
      // One of this machine's own addresses that is not loopback: a datagram "from" it may come
      // from anywhere (see CallersTest), and its answer was the path whole, a reply of 136 bytes
      // to a call of 68, twice README's bound; over TCP the handshake proves it.
      InetSocketAddress own = new InetSocketAddress(CallersTest.localNotLoopback(), 700);
      assertEquals("", rpcbind.getAddr(local,
          new CallContext(1, Portmap.PROGRAM, 4, 3, Credentials.NONE, own, Transport.UDP), exactVersion),
          "a datagram claiming " + own.getAddress());
      assertEquals(path, rpcbind.getAddr(local,
          new CallContext(1, Portmap.PROGRAM, 4, 3, Credentials.NONE, own, Transport.TCP), exactVersion));
      assertEquals("192.0.2.9.0.80", rpcbind.getAddr(new Rpcb.Mapping(0x20000001, 1, "tcp", "", ""),
          call(Transport.UDP, "198.51.100.7", Credentials.NONE), exactVersion));
    }
    directory.close();
  }

  /**
   * DUMP lists an entry that is not IP's (a Unix-domain socket's path) only to callers on this
   * machine, as GETADDR, GETADDRLIST, LOOKUP and the names LIST show it: the path means nothing
   * elsewhere, and told other machines what this one's socket files are called (before, any
   * caller's DUMP listed them). What a caller is not shown is left out before a UDP reply's few
   * are chosen, so it takes no place of what it is: a local process that set hundreds of socket
   * or tcp6 entries under low program numbers left a padded UDP DUMP from elsewhere only those
   * (portmap's, which lists tcp and udp only, nothing at all).
   */
  @Test
  void aDumpListsSocketPathsOnlyToCallersOnThisMachine() throws Exception {
    LocalDirectory directory = new LocalDirectory(new InMemoryDirectoryStore());
    for (int p = 0; p < 200; p++) {
      directory.table().set(new ServiceInstance("", 0x20000000 + p, 1, "local", "/run/s" + p + ".sock", "superuser"));
      directory.table().set(new ServiceInstance("", 0x20000000 + p, 1, "tcp6", "2001:db8::9.0.80", "superuser"));
    }
    directory.table().set(new ServiceInstance("", 0x20001000, 1, "tcp", "192.0.2.9.0.80", "superuser"));
    RpcbindService rpcbind = new RpcbindService(directory.table(), new RpcbCounters(), null, new Callers());
    java.util.function.Function<CallContext, List<String>> netids =
        ctx -> rpcbind.dump(ctx).stream().map(Rpcb.Mapping::netid).toList();

    List<String> remote = netids.apply(call(Transport.TCP, "198.51.100.7", Credentials.NONE));
    assertEquals(0, java.util.Collections.frequency(remote, "local"), "socket paths listed to another machine");
    assertEquals(201, remote.size());
    assertEquals(401, netids.apply(call(Transport.TCP, "127.0.0.1", Credentials.NONE)).size());
    assertEquals(401, netids.apply(call(Transport.UDP, "127.0.0.1", Credentials.NONE)).size());

    AuthSys padded = new AuthSys(0, "x".repeat(200), 1, 1, new int[16]);
    List<String> datagram = netids.apply(call(Transport.UDP, "198.51.100.7", padded));
    assertTrue(!datagram.isEmpty() && !datagram.contains("local"), "over UDP from elsewhere: " + datagram);

    PortmapService portmap = new PortmapService(directory.table(), new RpcbCounters(), null, new Callers(),
        new CallerShares(directory.table(), CallerShares.DEFAULT_MAX_ENTRIES_PER_CALLER), CallerWriteRates.unpaced());
    assertEquals(List.of(new Portmap.Mapping(0x20001000, 1, Portmap.IPPROTO_TCP, 80)),
        portmap.dump(call(Transport.UDP, "198.51.100.7", padded)),
        "portmap's DUMP of the tcp entry, behind 400 of other netids");
    directory.close();
  }

  /**
   * GETADDRLIST lists the entries of the caller's protocol family, as rpcbind's
   * rpcbproc_getaddrlist_4_local does: tcp and udp over IPv4, tcp6 and udp6 over IPv6, a socket's
   * over the directory's own socket (and, an Onyx extension for its RemoteDirectory, to an IP
   * caller on this machine). Before, every IP entry went to every caller: {@code rpcinfo -l} over
   * IPv4 listed tcp6 and udp6, and a caller over the local socket got IP entries and no socket's.
   */
  @Test
  void getAddrListListsTheCallersFamily() throws Exception {
    LocalDirectory directory = new LocalDirectory(new InMemoryDirectoryStore());
    for (String[] e : new String[][] {{"local", "/run/p.sock"}, {"tcp", "192.0.2.9.0.80"},
        {"tcp6", "2001:db8::9.0.80"}, {"udp", "192.0.2.9.0.81"}, {"udp6", "2001:db8::9.0.81"}}) {
      directory.table().set(new ServiceInstance("", 0x20000001, 1, e[0], e[1], "superuser"));
    }
    RpcbindService rpcbind = new RpcbindService(directory.table(), new RpcbCounters(), null, new Callers());
    Rpcb.Mapping asked = new Rpcb.Mapping(0x20000001, 1, "", "", "");
    java.util.function.Function<CallContext, List<String>> netids =
        ctx -> rpcbind.getAddrList(asked, ctx).stream().map(Rpcb.Entry::netid).toList();
    // Over TCP from elsewhere (a datagram from elsewhere is answered within its own size)
    assertEquals(List.of("tcp", "udp"), netids.apply(call(Transport.TCP, "198.51.100.7", Credentials.NONE)));
    assertEquals(List.of("tcp6", "udp6"), netids.apply(call(Transport.TCP, "2001:db8::7", Credentials.NONE)));
    // On this machine, every entry: its caller reaches both families and the socket.
    for (Transport t : new Transport[] {Transport.TCP, Transport.UDP}) {
      assertEquals(List.of("local", "tcp", "tcp6", "udp", "udp6"),
          netids.apply(call(t, "127.0.0.1", Credentials.NONE)), t.name());
      assertEquals(List.of("local", "tcp", "tcp6", "udp", "udp6"), netids.apply(call(t, "::1", Credentials.NONE)));
    }
    CallContext overTheSocket = new CallContext(1, Portmap.PROGRAM, 4, 11, Credentials.NONE,
        org.onyxrpc.transport.UnixSocketAddress.of(java.nio.file.Path.of("/run/rpcbind.sock")), Transport.UNIX);
    assertEquals(List.of("local"), netids.apply(overTheSocket));
    directory.close();
  }

  /**
   * Over UDP from another host GETADDRLIST's reply holds one entry or two (the amplification
   * bound): the caller's netid's is the one kept, so that {@code rpcinfo -l -T udp6} lists the
   * udp6 entry it can call over the transport it used. Before, the first listed was kept: tcp6's
   * to a udp6 caller ('expected: <[udp6]> but was: <[tcp6]>').
   */
  @Test
  void getAddrListOverUdpFromAnotherHostKeepsAnEntryOfTheCallersNetid() throws Exception {
    LocalDirectory directory = new LocalDirectory(new InMemoryDirectoryStore());
    for (String[] e : new String[][] {{"tcp", "192.0.2.9.0.80"}, {"tcp6", "2001:db8::9.0.80"},
        {"udp", "192.0.2.9.0.81"}, {"udp6", "2001:db8::9.0.81"}}) {
      directory.table().set(new ServiceInstance("", 0x20000001, 1, e[0], e[1], "superuser"));
    }
    RpcbindService rpcbind = new RpcbindService(directory.table(), new RpcbCounters(), null, new Callers());
    Rpcb.Mapping asked = new Rpcb.Mapping(0x20000001, 1, "udp6", "2001:db8::1.0.111", "");
    java.util.function.Function<CallContext, List<String>> netids =
        ctx -> rpcbind.getAddrList(asked, ctx).stream().map(Rpcb.Entry::netid).toList();
    assertEquals(List.of("udp6"), netids.apply(call(Transport.UDP, "2001:db8::7", Credentials.NONE)));
    assertEquals(List.of("udp"), netids.apply(call(Transport.UDP, "198.51.100.7", Credentials.NONE)));
    // Over TCP, and on this machine, the whole list in the directory's order, as before.
    assertEquals(List.of("tcp6", "udp6"), netids.apply(call(Transport.TCP, "2001:db8::7", Credentials.NONE)));
    assertEquals(List.of("tcp", "tcp6", "udp", "udp6"), netids.apply(call(Transport.UDP, "127.0.0.1", Credentials.NONE)));
    directory.close();
  }

  /**
   * A DUMP (portmap 2, rpcbind 3 and 4) or a names LOOKUP or LIST over UDP from another host of
   * which no entry fits the bound is refused SYSTEM_ERR, a truthful answer no larger than the
   * call: an empty list says that nothing is registered ({@code rpcinfo -s -T udp} printed "No
   * remote programs registered." where programs were). Before, each answered an empty list ('Expected
   * org.onyxrpc.rpc.RpcException to be thrown, but nothing was thrown.'). An empty table is still
   * an empty list, and a caller over TCP or on this machine still gets everything.
   */
  @Test
  void aUdpListFromAnotherHostOfWhichNoEntryFitsIsRefusedNotAnsweredEmpty() throws Exception {
    LocalDirectory directory = new LocalDirectory(new InMemoryDirectoryStore());
    RpcbindService rpcbind = new RpcbindService(directory.table(), new RpcbCounters(), null, new Callers());
    PortmapService portmap = new PortmapService(directory.table(), new RpcbCounters(), null, new Callers(),
        new CallerShares(directory.table(), CallerShares.DEFAULT_MAX_ENTRIES_PER_CALLER), CallerWriteRates.unpaced());
    NamesService names = new NamesService(directory.table(), false, new Callers());
    CallContext elsewhere = call(Transport.UDP, "198.51.100.7", Credentials.NONE);
    assertEquals(List.of(), rpcbind.dump(elsewhere), "nothing registered: an empty list is the truth");
    assertEquals(List.of(), portmap.dump(elsewhere));
    assertEquals(List.of(), names.lookup("calc", elsewhere));
    assertEquals(List.of(), names.list(elsewhere));

    directory.table().set(new ServiceInstance("", 0x20000001, 1, "tcp", "192.0.2.9.0.80", "superuser"));
    directory.table().register(new ServiceInstance("calc", 0x20000001, 1, "tcp", "192.0.2.9.0.80", "superuser"),
        Duration.ofMinutes(1));
    for (org.junit.jupiter.api.function.Executable asked : List.<org.junit.jupiter.api.function.Executable>of(
        () -> rpcbind.dump(elsewhere), () -> portmap.dump(elsewhere), () -> names.lookup("calc", elsewhere),
        () -> names.list(elsewhere))) {
      org.onyxrpc.rpc.RpcException e = assertThrows(org.onyxrpc.rpc.RpcException.class, asked);
      assertEquals(org.onyxrpc.rpc.RpcStatus.SYSTEM_ERR, e.status(), e.getMessage());
      assertTrue(e.getMessage().endsWith("over UDP from another host: no entry fits a reply no larger than its"
          + " call (the directory is no amplifier); ask over TCP"), e.getMessage());
    }
    for (CallContext whole : new CallContext[] {call(Transport.TCP, "198.51.100.7", Credentials.NONE),
        call(Transport.UDP, "127.0.0.1", Credentials.NONE)}) {
      assertTrue(!rpcbind.dump(whole).isEmpty());
      assertEquals(1, portmap.dump(whole).size());
      assertEquals(1, names.lookup("calc", whole).size());
    }
    directory.close();
  }
}
