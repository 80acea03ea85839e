package org.onyxrpc.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostIdentityTest {
  @Test
  void describedAsAnOperatorWritesAddresses() throws Exception {
    HostIdentity host = HostIdentity.advertising("db7", List.of(InetAddress.getByName("192.0.2.2"),
        InetAddress.getByName("fd00::2")));
    assertEquals("db7 [192.0.2.2, fd00:0:0:0:0:0:0:2]", host.describe());
  }

  @Test
  void detectedAddressesAreReachableFromElsewhere() {
    HostIdentity host = HostIdentity.detect();
    for (InetAddress a : host.addresses()) {
      assertFalse(a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress(), a.toString());
    }
    assertFalse(host.id().isEmpty());
  }

  @Test
  void aWildcardAnsweredToAnotherMachineIsAnInterfaceAddressNeverLoopback() throws Exception {
    InetAddress remote = InetAddress.getByName("198.51.100.9");
    InetAddress first = HostIdentity.detect().first(false);
    String expected = first == null ? "0.0.0.0.4.87" : UniversalAddress.format(new InetSocketAddress(first, 1111));
    assertEquals(expected, UniversalAddress.reachableFrom("0.0.0.0.4.87", remote));
    assertEquals("127.0.0.1.4.87", UniversalAddress.reachableFrom("0.0.0.0.4.87", InetAddress.getLoopbackAddress()));
  }

  @Test
  void loopbackAndWildcardCannotBeAdvertised() throws Exception {
    assertThrows(IllegalArgumentException.class,
        () -> HostIdentity.advertising(null, List.of(InetAddress.getLoopbackAddress())));
    assertThrows(IllegalArgumentException.class,
        () -> HostIdentity.advertising(null, List.of(InetAddress.getByName("0.0.0.0"))));
    assertThrows(IllegalArgumentException.class, () -> new HostIdentity("x".repeat(129), List.of()));
    HostIdentity host = HostIdentity.advertising(null, List.of(InetAddress.getByName("203.0.113.5")));
    assertEquals("", host.advertise("fe80::1.4.87"), "link-local: not reachable from elsewhere");
    assertEquals("", host.advertise("not an address"));
  }

  @Test
  void aGroupOrTheBroadcastIsNotAdvertised() throws Exception {
    // No server's address: other machines' directories skip an entry advertised at one.
    HostIdentity host = HostIdentity.advertising(null, List.of(InetAddress.getByName("203.0.113.5")));
    assertEquals("", host.advertise("224.0.0.1.4.87"));
    assertEquals("", host.advertise("255.255.255.255.4.87"));
    assertEquals("", host.advertise("ff02::1.4.87"));
    assertEquals("203.0.113.7.4.87", host.advertise("203.0.113.7.4.87"));
  }
}
