package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.onyxrpc.client.RpcClient;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.transport.Transport;
import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void addsOverTcpAndUdp() throws Exception {
    try (RpcServer server = RpcServer.builder().port(0).addService(new TestService().definition()).build().start()) {
      for (Transport t : Transport.values()) {
        try (RpcClient client = RpcClient.builder().address("127.0.0.1", server.port()).transport(t).build()) {
          assertEquals(5, client.call(TestService.ADD, new TestService.Pair(2, 3)));
          assertEquals("héllo", client.call(TestService.ECHO, "héllo"));
          client.ping(TestService.PROGRAM, 1);
        }
      }
    }
  }
}
