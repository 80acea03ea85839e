package org.onyxrpc.internal.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Collections;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.onyxrpc.directory.HostIdentity;

/** The prefix test behind {@link LocalAddresses#onNetworkOf}, bit by bit, and how often the interfaces are read. */
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

  /**
   * Each call from another machine asks whether its source is this machine's, and which of this
   * machine's addresses faces it (for each entry on the wildcard address it is answered): the
   * interfaces are read at most ten times a second for all of them, where each question read them
   * all (a fraction of a millisecond here, more on a host of many interfaces). The answers are
   * the interfaces' own.
   */
  @Test
  void theInterfacesAreReadTenTimesASecondNotForEachQuestion() throws Exception {
    for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      for (InetAddress a : Collections.list(nif.getInetAddresses())) {
        assertTrue(LocalAddresses.isLocal(a), a + " of " + nif.getName());
      }
    }
    InetAddress elsewhere = ip("198.51.100.7");
    assertFalse(LocalAddresses.isLocal(elsewhere));
    assertEquals(HostIdentity.detect().first(false), LocalAddresses.firstReachable(false));
    assertEquals(HostIdentity.detect().first(true), LocalAddresses.firstReachable(true));

    long start = System.nanoTime();
    long before = LocalAddresses.READINGS.sum();
    for (int i = 0; i < 10_000; i++) {
      LocalAddresses.isLocal(elsewhere);
      LocalAddresses.onNetworkOf(elsewhere);
      LocalAddresses.firstReachable(false);
    }
    long tenths = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) / 100 + 1;
    long readings = LocalAddresses.READINGS.sum() - before;
    assertTrue(readings <= tenths + 1, readings + " readings in " + tenths + " tenths of a second or less");
  }
}
