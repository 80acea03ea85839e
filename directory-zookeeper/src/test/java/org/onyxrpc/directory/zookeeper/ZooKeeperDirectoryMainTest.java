package org.onyxrpc.directory.zookeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
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
  void theSessionTimeoutIsTheOperatorsToChoose() {
    assertEquals(Duration.ofSeconds(60),
        ZooKeeperDirectoryMain.parse(new String[] {"--zookeeper", "zk"}).sessionTimeout());
    assertEquals(Duration.ofSeconds(8), ZooKeeperDirectoryMain.parse(
        new String[] {"--zookeeper", "zk", "--session-timeout", "8"}).sessionTimeout());
    for (String bad : new String[] {"0", "-3", "8s", "3601"}) {
      String message = assertThrows(IllegalArgumentException.class, () -> ZooKeeperDirectoryMain.parse(
          new String[] {"--zookeeper", "zk", "--session-timeout", bad})).getMessage();
      assertTrue(message.contains("--session-timeout") && message.contains(bad), message);
    }
  }

  @Test
  void theMaximumStalenessIsTheOperatorsToChoose() {
    assertEquals(Duration.ofSeconds(ZooKeeperDirectoryStore.DEFAULT_MAX_STALENESS_SECONDS),
        ZooKeeperDirectoryMain.parse(new String[] {"--zookeeper", "zk"}).maxStaleness());
    assertEquals(Duration.ofSeconds(300), ZooKeeperDirectoryMain.parse(
        new String[] {"--zookeeper", "zk", "--max-staleness", "300"}).maxStaleness());
    for (String bad : new String[] {"0", "3601", "5s", ""}) {
      String message = assertThrows(IllegalArgumentException.class, () -> ZooKeeperDirectoryMain.parse(
          new String[] {"--zookeeper", "zk", "--max-staleness", bad})).getMessage();
      assertTrue(message.startsWith("--max-staleness ") && message.endsWith(bad), message);
    }
  }

  @Test
  void theEnsembleGrantsTheSessionAskedFor() throws Exception {
    try (TestingServer zookeeper = new TestingServer(true)) {
      ZooKeeperDirectoryMain.Options o = ZooKeeperDirectoryMain.parse(
          new String[] {"--zookeeper", zookeeper.getConnectString(), "--session-timeout", "8"});
      try (CuratorFramework curator = ZooKeeperDirectoryMain.curator(o)) {
        curator.start();
        assertTrue(curator.blockUntilConnected(30, TimeUnit.SECONDS));
        assertEquals(8_000, curator.getZookeeperClient().getZooKeeper().getSessionTimeout());
      }
    }
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
