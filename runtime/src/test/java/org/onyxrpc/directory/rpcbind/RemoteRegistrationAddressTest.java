package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/**
 * A server on another machine registering a wildcard address is stored where its call came from;
 * a loopback address, which on this machine means this machine, not at all.
 */
class RemoteRegistrationAddressTest {
  @Test
  void wildcardBecomesTheCallersAddressOfTheSameFamily() throws Exception {
    InetAddress v4 = InetAddress.getByName("192.0.2.9");
    assertEquals("192.0.2.9.4.87", NamesService.fromCaller("0.0.0.0.4.87", v4));
    assertEquals("192.0.2.9.4.87", NamesService.fromCaller("0.0.0.0.4.87", InetAddress.getByName("::ffff:192.0.2.9")));
    assertEquals("2001:db8::9.4.87", NamesService.fromCaller("::.4.87", InetAddress.getByName("2001:db8::9")));
    assertNull(NamesService.fromCaller("::.4.87", v4), "no IPv6 address known for an IPv4 caller");
    assertEquals("198.51.100.1.4.87", NamesService.fromCaller("198.51.100.1.4.87", v4), "a specific address stays");
  }

  @Test
  void aLoopbackAddressFromAnotherMachineIsNotStored() throws Exception {
    InetAddress v4 = InetAddress.getByName("192.0.2.9");
    InetAddress v6 = InetAddress.getByName("2001:db8::9");
    assertNull(NamesService.fromCaller("127.0.0.1.4.87", v4), "local look-ups would reach this machine's port");
    assertNull(NamesService.fromCaller("127.3.4.5.4.87", v4));
    assertNull(NamesService.fromCaller("::1.4.87", v6));
    assertNull(NamesService.fromCaller("::ffff:127.0.0.1.4.87", v6));
  }

  /**
   * A group (multicast) address or the limited broadcast is no server's: stored, GETADDR handed
   * it to C clients (clnt_create's look-up), whose UDP calls then went to every host of the
   * network that joined the group, 224.0.0.1 being all of them. A registrant elsewhere may name
   * another unicast host, but not make this directory point callers at the whole network.
   */
  @Test
  void aGroupOrBroadcastAddressFromAnotherMachineIsNotStored() throws Exception {
    InetAddress v4 = InetAddress.getByName("192.0.2.9");
    InetAddress v6 = InetAddress.getByName("2001:db8::9");
    assertNull(NamesService.fromCaller("224.0.0.1.4.87", v4));
    assertNull(NamesService.fromCaller("239.255.1.2.4.87", v4));
    assertNull(NamesService.fromCaller("255.255.255.255.4.87", v4));
    assertNull(NamesService.fromCaller("ff02::1.4.87", v6));
    assertNull(NamesService.fromCaller("ff0e::1.4.87", v6));
    assertNull(NamesService.fromCaller("::ffff:224.0.0.1.4.87", v6));
  }
}
