package org.onyxrpc.directory.zookeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.onyxrpc.directory.HostIdentity;

/** The standalone directory's command line. */
class ZooKeeperDirectoryMainTest {
  @Test
  void advertisedAddressesAndHostIdMakeTheHost() throws Exception {
    ZooKeeperDirectoryMain.Options o = ZooKeeperDirectoryMain.parse(new String[] {"--zookeeper", "zk:2181",
        "--advertise", "203.0.113.7", "--advertise", "2001:db8::7", "--host-id", "db7", "--port", "1111"});
    HostIdentity host = o.host();
    assertEquals("db7", host.id());
    assertEquals("203.0.113.7.4.87", host.advertise("0.0.0.0.4.87"));
    assertEquals("2001:db8::7.4.87", host.advertise("::.4.87"));
    assertEquals("", host.advertise("127.0.0.1.4.87"), "a loopback bind is not reachable from elsewhere");
    assertEquals("198.51.100.1.4.87", host.advertise("198.51.100.1.4.87"), "a specific bind stays");
    assertEquals(1111, o.port());
  }

  @Test
  void theHostIdIsTheFirstAdvertisedAddressUnlessGiven() throws Exception {
    ZooKeeperDirectoryMain.Options o = ZooKeeperDirectoryMain.parse(new String[] {"--zookeeper", "zk:2181",
        "--advertise", "203.0.113.7"});
    assertEquals("203.0.113.7", o.host().id());
    assertEquals("", o.host().advertise("::.4.87"), "no IPv6 address advertised: a :: bind is not stored for others");
  }

  @Test
  void badArgumentsAreRefusedClearly() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ZooKeeperDirectoryMain.parse(new String[] {}))
        .getMessage().contains("--zookeeper"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ZooKeeperDirectoryMain.parse(
        new String[] {"--zookeeper", "zk", "--advertise", "0.0.0.0"})).getMessage().contains("cannot advertise"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ZooKeeperDirectoryMain.parse(
        new String[] {"--zookeeper", "zk", "--advertise", "db7.example.com"})).getMessage().contains("IP address"));
    assertThrows(IllegalArgumentException.class, () -> ZooKeeperDirectoryMain.parse(new String[] {"--zookeeper"}));
    assertEquals(InetAddress.getLoopbackAddress(), ZooKeeperDirectoryMain.parse(
        new String[] {"--zookeeper", "zk", "--bind", "127.0.0.1"}).bind());
  }
}
