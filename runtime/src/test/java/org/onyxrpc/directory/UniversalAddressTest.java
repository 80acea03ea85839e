package org.onyxrpc.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class UniversalAddressTest {
  @Test
  void ipv4CarriesThePortAsTwoDecimalBytes() throws Exception {
    InetSocketAddress a = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 4711);
    assertEquals("127.0.0.1.18.103", UniversalAddress.format(a));
    assertEquals(a, UniversalAddress.parse("127.0.0.1.18.103"));
    assertEquals("0.0.0.0.0.111", UniversalAddress.format(new InetSocketAddress(
        InetAddress.getByName("0.0.0.0"), 111)));
  }

  /**
   * IPv6 text as C peers write it (libtirpc's taddr2uaddr writes inet_ntop's, but a SET carries
   * any): upper case, uncompressed, IPv4-mapped. Each is read as the address it is; an answer
   * keeps the text registered, as rpcbind keeps it, and the IPv4-mapped wildcard is no wildcard,
   * as it is none to rpcbind's addrmerge (not in6addr_any): it was answered as "127.0.0.1.1.2",
   * IPv4 text that libtirpc's uaddr2taddr cannot read for the tcp6 or udp6 entry it came in.
   */
  @Test
  void ipv6TextAsCPeersWriteIt() throws Exception {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    assertEquals(new InetSocketAddress(InetAddress.getByName("::1"), 111), UniversalAddress.parse("0:0:0:0:0:0:0:1.0.111"));
    assertEquals("::1.0.111", UniversalAddress.format(UniversalAddress.parse("0:0:0:0:0:0:0:1.0.111")));
    assertEquals("fe80::1.1.2", UniversalAddress.format(UniversalAddress.parse("FE80::1.1.2")));
    assertEquals(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 111),
        UniversalAddress.parse("::FFFF:127.0.0.1.0.111"));
    assertEquals(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 111),
        UniversalAddress.parse("::ffff:7f00:1.0.111"));
    for (String kept : new String[] {"FE80::1.1.2", "0:0:0:0:0:0:0:1.0.111", "::FFFF:127.0.0.1.0.111",
        "::ffff:0.0.0.0.1.2"}) {
      assertEquals(kept, UniversalAddress.reachableFrom(kept, loopback), kept);
    }
    assertEquals("::1.1.2", UniversalAddress.reachableFrom("0:0:0:0:0:0:0:0.1.2", loopback));
    assertEquals("::1.1.2", UniversalAddress.reachableFrom("::0.0.0.0.1.2", loopback));
  }

  @Test
  void ipv6UsesTheShortTextForm() throws Exception {
    assertEquals("::1.0.111", UniversalAddress.format(new InetSocketAddress(
        InetAddress.getByName("::1"), 111)));
    assertEquals("::.8.1", UniversalAddress.format(new InetSocketAddress(
        InetAddress.getByName("::"), 2049)));
    assertEquals("fe80::1:0:0:2.1.0", UniversalAddress.format(new InetSocketAddress(
        InetAddress.getByName("fe80:0:0:0:1:0:0:2"), 256)));
    assertEquals(new InetSocketAddress(InetAddress.getByName("::1"), 111), UniversalAddress.parse("::1.0.111"));
  }

  @Test
  void malformedAddressesAreRefusedWithoutANameLookup() {
    for (String bad : new String[] {"", "1.2.3.4", "1.2.3.4.5", "localhost.0.111", "1.2.3.4.256.1",
        "1.2.3.4.-1.1", "example.com.1.2", "a.b.c.d.1.2"}) {
      assertThrows(IllegalArgumentException.class, () -> UniversalAddress.parse(bad), bad);
    }
  }

  @Test
  void ipv4OctetsOverAByteAreRefusedAsTextNotAskedOfDns() {
    // InetAddress.getByName takes "1.2.3.999" for a host name and sends DNS a query for it: any
    // caller of UADDR2TADDR could make the directory look up names (and wait for the answer).
    for (String bad : new String[] {"1.2.3.999.0.111", "999.999.999.999.1.1", "256.0.0.1.0.111",
        "1.2.3.0400.0.111", "1..3.4.0.111"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> UniversalAddress.parse(bad), bad);
      assertNull(e.getCause(), bad + " was looked up: " + e.getCause());
    }
  }

  /**
   * inet_aton reads "010" as octal 8, Java and strtol as decimal 10; inet_pton refuses it, and so
   * does rpcbind's UADDR2TADDR (RpcbindDifferentialTest). Before, "10.0.0.010" was taken (by SET,
   * by the names program, from a directory's answer) and named two hosts to two kinds of client.
   * An IPv6 address's IPv4 tail alike. Port bytes are read by strtol in base 10 by everyone.
   */
  @Test
  void ipv4NumbersWithLeadingZerosAreRefusedAsInetPtonRefusesThem() throws Exception {
    for (String bad : new String[] {"10.0.0.010.0.111", "127.0.0.001.0.111", "00.0.0.0.0.111",
        "::ffff:10.0.0.010.0.111", "::ffff:01.2.3.4.0.111", "64:ff9b::1.2.3.08.0.111"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> UniversalAddress.parse(bad), bad);
      assertNull(e.getCause(), bad + " was looked up: " + e.getCause());
    }
    assertEquals(new InetSocketAddress(InetAddress.getByName("10.0.0.10"), 111),
        UniversalAddress.parse("10.0.0.10.00.111"));
    assertEquals(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 111), UniversalAddress.parse("0.0.0.0.0.111"));
    assertEquals(new InetSocketAddress(InetAddress.getByName("64:ff9b::102:300"), 1),
        UniversalAddress.parse("64:ff9b::1.2.3.0.0.1"));
  }

  /**
   * IPv6 forms a peer may send as a universal address: a zone id (which inet_pton refuses, and
   * which would name an interface of this machine), too many or too few dots, a port byte over
   * 255 (a port over 65535), hex that is not, groups too long or too many, an IPv4 tail that is no
   * address, brackets, spaces: each refused. The largest port and a link-local address without a
   * zone read, as tcp6.
   */
  @Test
  void hostileIpv6FormsAreRefused() throws Exception {
    for (String bad : new String[] {"fe80::1%eth0.1.2", "fe80::1%1.1.2", "::1%lo.0.111", "fe80::1%25eth0.1.2",
        "::1.1.2.3", "::1..0.111", "::1.0.111.", "::1.1", "::1.256.1", "::1.1.1000", "::1.255.256", "::1.0.-1",
        "::1.0.0x6f", "::g.1.2", "fe80::zz.0.111", "12345::1.0.111", ":::1.0.111", "1:2:3:4:5:6:7:8:9.0.111",
        "::1.2.3.4.5.0.111", "::ffff:1.2.3.999.0.111", "::ffff:1.2.3.04.0.111", "[::1].0.111", "[::1]:111",
        " ::1.0.111", "::1.0.111 "}) {
      assertThrows(IllegalArgumentException.class, () -> UniversalAddress.parse(bad), bad);
    }
    assertEquals(new InetSocketAddress(InetAddress.getByName("::1"), 65535), UniversalAddress.parse("::1.255.255"));
    assertEquals(new InetSocketAddress(InetAddress.getByName("fe80::1"), 258), UniversalAddress.parse("fe80::1.1.2"));
    assertEquals("tcp6", UniversalAddress.netid(org.onyxrpc.transport.Transport.TCP,
        UniversalAddress.parse("fe80::1.1.2").getAddress()));
  }

  @Test
  void aColonHostStartingWithADotIsRefusedNotLookedUp() {
    // InetAddress.getByName reads ".:" as a host name, not an IPv6 literal, and asks the name
    // service (nscd, /etc/hosts, DNS) about it: any peer could make the directory wait for that.
    for (String bad : new String[] {".:.0.111", "..::1.0.111", ".::ffff:1.2.3.4.1.2"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> UniversalAddress.parse(bad), bad);
      assertNull(e.getCause(), bad + " was looked up: " + e.getCause());
    }
  }

  @Test
  void wildcardIsAnsweredAsLoopbackToALocalCaller() throws Exception {
    InetAddress local = InetAddress.getByName("127.0.0.1");
    assertEquals("127.0.0.1.18.103", UniversalAddress.reachableFrom("0.0.0.0.18.103", local));
    assertEquals("::1.18.103", UniversalAddress.reachableFrom("::.18.103", local));
    assertEquals("10.1.2.3.18.103", UniversalAddress.reachableFrom("10.1.2.3.18.103", local));
  }

  /**
   * An answer of many entries on the wildcard address, to a caller on another machine, looks
   * through the machine's interfaces once for each family, not once for each entry: a LOOKUP
   * of 1,024 such entries took a few hundred milliseconds of the directory's time for each call.
   */
  @Test
  void manyWildcardsAnsweredToOneCallerChooseTheHostOnceForEachFamily() throws Exception {
    InetAddress remote = InetAddress.getByName("198.51.100.9");
    java.util.function.UnaryOperator<String> reachable = UniversalAddress.reachableFrom(remote);
    long before = UniversalAddress.HOSTS_CHOSEN.sum();
    for (int i = 0; i < 500; i++) {
      String v4 = "0.0.0.0.1." + (i % 256);
      String v6 = "::.2." + (i % 256);
      assertEquals(UniversalAddress.reachableFrom(v4, remote), reachable.apply(v4));
      assertEquals(UniversalAddress.reachableFrom(v6, remote), reachable.apply(v6));
      assertEquals("10.1.2.3.4.5", reachable.apply("10.1.2.3.4.5"));
      assertEquals("not one", reachable.apply("not one"));
    }
    // 2 by the operator, and 1,000 by the single-address form beside it, one for each address.
    assertEquals(2 + 1000, UniversalAddress.HOSTS_CHOSEN.sum() - before);
  }
}
