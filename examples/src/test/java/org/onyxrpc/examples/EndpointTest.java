package org.onyxrpc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.examples.files.FileServer;
import org.onyxrpc.examples.kvstore.KeyValueServer;
import org.onyxrpc.server.RpcServer;

/** A server's startup line names the transports it really listens on. */
class EndpointTest {
  @TempDir Path root;

  @Test
  void theFileServerSaysItListensOnTcpOnly() throws Exception {
    Endpoint where = Endpoint.tcp("localhost", 0);
    try (RpcServer server = FileServer.start(root, where)) {
      assertEquals("TCP on 127.0.0.1 port " + server.port(), where.listening(server));
    }
  }

  @Test
  void theKeyValueServerListensOnTcpAndUdp() throws Exception {
    Endpoint where = Endpoint.tcp("localhost", 0);
    try (RpcServer server = KeyValueServer.start(where)) {
      assertEquals("TCP and UDP on 127.0.0.1 port " + server.port(), where.listening(server));
    }
  }

  @Test
  void aClientsCommandLineNamesAHostAPortOrBoth() {
    assertEquals(Endpoint.tcp("localhost", 4711), Endpoint.calledAt(List.of(), 4711));
    assertEquals(Endpoint.tcp("localhost", 4799), Endpoint.calledAt(List.of("4799"), 4711));
    assertEquals(Endpoint.tcp("calc.example", 4711), Endpoint.calledAt(List.of("calc.example"), 4711));
    assertEquals(Endpoint.tcp("10.0.0.7", 4711), Endpoint.calledAt(List.of("10.0.0.7"), 4711));
    assertEquals(Endpoint.tcp("calc.example", 4799), Endpoint.calledAt(List.of("calc.example", "4799"), 4711));
  }

  @Test
  void anInProcessServerIsNamedAsItIs() throws Exception {
    Endpoint where = Endpoint.inProcess("endpoint-test");
    try (RpcServer server = KeyValueServer.start(where)) {
      assertEquals("IN_PROCESS as endpoint-test", where.listening(server));
    }
  }
}
