package org.onyxrpc.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The thread names seen in the benchmarks, on the side each belongs to. */
class ServerThreadsTest {
  @ParameterizedTest
  @ValueSource(strings = {
      "server-socket-baseline-conn", "server-netty-baseline-3-1", "onyx-server-io-4-1",
      "onyx-server-accept-3-1", "server-grpc-worker-5-1", "RMI TCP Connection(1)-127.0.0.1",
      "RMI TCP Connection(idle)", "RMI TCP Accept-0", "server-thrift-worker-1",
      "server-oncrpc4j(1) SelectorRunner"})
  void servers(String name) {
    assertTrue(ServerThreads.isServer(name));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "org.onyxrpc.benchmarks.Echo.echo-jmh-worker-1", "main", "onyx-client-io-7-1",
      "netty-baseline-client-2-1", "grpc-default-worker-ELG-3-1", "RMI Scheduler(0)",
      "oncrpc4j-client(1) SelectorRunner", "onyx-directory-lease-6-1"})
  void clientsAndTheRest(String name) {
    assertFalse(ServerThreads.isServer(name));
  }

  @Test
  void factoryNamesDaemonThreadsAsServers() {
    Thread t = ServerThreads.factory("x").newThread(() -> {});
    assertEquals("server-x-1", t.getName());
    assertTrue(t.isDaemon());
    assertTrue(ServerThreads.isServer(t.getName()));
  }
}
