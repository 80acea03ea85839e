package org.onyxrpc.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.channel.local.LocalAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** A host is one client however many ports, or IPv6 addresses of its /64, it uses. */
class ClientAddressTest {
  private static InetAddress of(String address, int port) throws Exception {
    return ClientAddress.of(new InetSocketAddress(InetAddress.getByName(address), port));
  }

  @Test
  void aHostIsItsAddressOrItsIpv6Network() throws Exception {
    assertEquals(InetAddress.getByName("192.0.2.7"), of("192.0.2.7", 1000));
    assertEquals(of("192.0.2.7", 1000), of("192.0.2.7", 2000));
    assertEquals(of("192.0.2.7", 1), of("::ffff:192.0.2.7", 1), "IPv4-mapped is IPv4");
    assertEquals(InetAddress.getByName("2001:db8:1:2::"), of("2001:db8:1:2:aaaa:bbbb:cccc:dddd", 1));
    assertEquals(of("2001:db8:1:2::1", 1), of("2001:db8:1:2:ffff::9", 2), "one /64, one client");
    assertNotEquals(of("2001:db8:1:2::1", 1), of("2001:db8:1:3::1", 1));
    assertNull(ClientAddress.of(new LocalAddress("in-process")));
  }
}
