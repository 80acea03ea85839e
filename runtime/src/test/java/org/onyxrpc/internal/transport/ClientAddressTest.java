package org.onyxrpc.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.channel.local.LocalAddress;
import java.net.Inet6Address;
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

  /**
   * An Inet6Address that holds an IPv4-mapped address (the JDK makes one when given a scope) is
   * the IPv4 host it maps, not the /64 {@code ::} that every IPv4 peer's mapped form falls in.
   */
  @Test
  void anIpv4MappedInet6AddressIsTheIpv4Host() throws Exception {
    byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 192, 0, 2, 7};
    InetAddress held = Inet6Address.getByAddress(null, mapped, 0);
    assertInstanceOf(Inet6Address.class, held, "the JDK keeps the mapped form in an Inet6Address");
    assertEquals(of("192.0.2.7", 1), ClientAddress.of(new InetSocketAddress(held, 2)));
    mapped[15] = 8;
    assertNotEquals(of("192.0.2.7", 1),
        ClientAddress.of(new InetSocketAddress(Inet6Address.getByAddress(null, mapped, 0), 2)));
  }
}
