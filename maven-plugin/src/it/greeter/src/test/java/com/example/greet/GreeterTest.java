package com.example.greet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.example.probe.Mood;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.server.RpcServer;

class GreeterTest {
  @Test
  void callsTheGeneratedStubOverLoopback() throws Exception {
    try (RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
            .addService(GreeterV1.bind(new FriendlyGreeter())).build().start();
        RpcClient client = RpcClient.builder().address("127.0.0.1", server.port()).build()) {
      GreeterV1.Greeter greeter = GreeterV1.newClient(client);
      assertEquals("Hello, Ada Lovelace!", greeter.greet(new Name("Ada", "Lovelace")));
      assertEquals("Hello, Grace!", greeter.greet(new Name("Grace", null)));
    }
  }

  @Test
  void testIdlIsGeneratedToo() {
    assertEquals(2, Mood.CHEERFUL.value());
  }
}
