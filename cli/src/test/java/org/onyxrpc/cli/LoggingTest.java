package org.onyxrpc.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The command's own log configuration: the runtime's warnings, not Netty's chatter. */
class LoggingTest {
  @Test
  void theRuntimesWarningsShowButNotNettysMissingHardwareAddress() {
    assertTrue(LoggerFactory.getLogger("org.onyxrpc.client.RpcClient").isWarnEnabled());
    assertFalse(LoggerFactory.getLogger("org.onyxrpc.client.RpcClient").isInfoEnabled());
    // Printed by every command on a machine with only a loopback interface (a container).
    assertFalse(LoggerFactory.getLogger("io.netty.util.internal.MacAddressUtil").isWarnEnabled());
  }

  /**
   * While {@code onyx directory --zookeeper} waits for ZooKeeper, its client would print a
   * warning with a stack trace every second; the store's own lines say what happens.
   */
  @Test
  void theZooKeeperClientsReconnectionWarningsDoNotShow() {
    assertFalse(LoggerFactory.getLogger("org.apache.zookeeper.ClientCnxn").isWarnEnabled());
    assertFalse(LoggerFactory.getLogger("org.apache.curator.ConnectionState").isWarnEnabled());
    assertTrue(LoggerFactory.getLogger("org.apache.zookeeper.ClientCnxn").isErrorEnabled());
  }
}
