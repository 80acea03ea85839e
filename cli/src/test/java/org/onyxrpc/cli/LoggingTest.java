package org.onyxrpc.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The command's own log configuration: the runtime's warnings, not Netty's chatter. */
class LoggingTest {
  @Test
  void theRuntimesWarningsShowButNotNettysMissingHardwareAddress() {
    // onyx directory and onyx mq serve: their servers' warnings show.
    assertTrue(LoggerFactory.getLogger("org.onyxrpc.server.RpcServer").isWarnEnabled());
    assertFalse(LoggerFactory.getLogger("org.onyxrpc.server.RpcServer").isInfoEnabled());
    // Printed by every command on a machine with only a loopback interface (a container).
    assertFalse(LoggerFactory.getLogger("io.netty.util.internal.MacAddressUtil").isWarnEnabled());
  }

  /**
   * A call's failure is the command's result, printed once as JSON: the client's warning about
   * the same failure (a TLS session the server refused) would tell it again on stderr.
   */
  @Test
  void theClientsWarningsAboutAFailedCallDoNotShow() {
    assertFalse(LoggerFactory.getLogger("org.onyxrpc.client.RpcClient").isWarnEnabled());
    assertFalse(LoggerFactory.getLogger("org.onyxrpc.client.ClientConnection").isWarnEnabled());
    assertTrue(LoggerFactory.getLogger("org.onyxrpc.client.RpcClient").isErrorEnabled());
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

  /**
   * A "ZooKeeper" that accepts connections and never answers (a hung server, another service's
   * port given to --zookeeper) made Curator log "Background operation retry gave up" and "Background
   * retry gave up" as errors, each with a stack trace of ten lines, about 25 s after start, between
   * the directory's own "still waiting for ZooKeeper" lines (seen with a socket that only accepts).
   * The store retries those operations itself and the directory says it is still waiting.
   */
  @Test
  void curatorsBackgroundRetryErrorsDoNotShow() {
    assertFalse(LoggerFactory.getLogger("org.apache.curator.framework.imps.CuratorFrameworkImpl").isErrorEnabled());
    assertTrue(LoggerFactory.getLogger("org.onyxrpc.directory.zookeeper.ZooKeeperDirectoryStore").isWarnEnabled());
  }
}
