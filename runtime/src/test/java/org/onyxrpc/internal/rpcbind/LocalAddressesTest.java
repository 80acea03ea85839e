package org.onyxrpc.internal.rpcbind;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** The prefix test behind {@link LocalAddresses#onNetworkOf}, bit by bit. */
class LocalAddressesTest {
  private static InetAddress ip(String text) throws Exception {
    return InetAddress.getByName(text);
  }

  @Test
  void aCallerIsOnTheNetworkItsPrefixBitsAgreeOn() throws Exception {
    assertTrue(LocalAddresses.sameNetwork(ip("198.51.100.1"), 24, ip("198.51.100.200")));
    assertFalse(LocalAddresses.sameNetwork(ip("198.51.100.1"), 24, ip("198.51.101.1")));
    assertTrue(LocalAddresses.sameNetwork(ip("10.0.0.1"), 31, ip("10.0.0.0")));
    assertFalse(LocalAddresses.sameNetwork(ip("10.0.0.1"), 31, ip("10.0.0.2")));
    assertTrue(LocalAddresses.sameNetwork(ip("2001:db8::1"), 64, ip("2001:db8::ffff:1")));
    assertFalse(LocalAddresses.sameNetwork(ip("2001:db8::1"), 64, ip("2001:db8:0:1::1")));
  }

  @Test
  void noPrefixAndOtherFamiliesMatchNothing() throws Exception {
    assertFalse(LocalAddresses.sameNetwork(ip("198.51.100.1"), 0, ip("203.0.113.1")));
    assertFalse(LocalAddresses.sameNetwork(ip("198.51.100.1"), 33, ip("198.51.100.1")));
    assertFalse(LocalAddresses.sameNetwork(ip("2001:db8::1"), 64, ip("198.51.100.1")));
  }
}
