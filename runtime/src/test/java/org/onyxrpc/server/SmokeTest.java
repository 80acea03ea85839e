package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.client.RpcClientBuilder;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.transport.Transport;

class SmokeTest {
  @TempDir
  Path dir;

  @Test
  void addsOverEveryTransportOfOneServer() throws Exception {
    Path socket = dir.resolve("smoke.sock");
    // Unix-domain sockets are Linux's; the build's other runs cover them there.
    java.util.Set<Transport> all = OS.LINUX.isCurrentOs() ? java.util.EnumSet.allOf(Transport.class)
        : java.util.EnumSet.of(Transport.TCP, Transport.UDP, Transport.IN_PROCESS);
    try (RpcServer server = RpcServer.builder().port(0).unixSocket(socket).inProcess("smoke")
        .transports(Transport.TCP, all.toArray(new Transport[0]))
        .addService(new TestService().definition()).build().start()) {
      for (Transport t : all) {
        RpcClientBuilder builder = switch (t) {
          case TCP, UDP -> RpcClient.builder().address("127.0.0.1", server.port()).transport(t);
          case UNIX -> RpcClient.builder().unixSocket(socket);
          case IN_PROCESS -> RpcClient.builder().inProcess("smoke");
        };
        try (RpcClient client = builder.build()) {
          assertEquals(5, client.call(TestService.ADD, new TestService.Pair(2, 3)), t.toString());
          assertEquals("héllo", client.call(TestService.ECHO, "héllo"));
          client.ping(TestService.PROGRAM, 1);
        }
      }
    }
  }
}
