package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.testing.LoopbackHosts;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.testing.Unavailable;
import org.onyxrpc.transport.Transport;

/**
 * An IPv6 caller is named as its address, without a scope when it has none: the event loop's UDP
 * socket (epoll) reported {@code ::1} with a scope of 0, and every log line and message that named
 * the peer, and the procedure's {@code CallContext}, said {@code /[0:0:0:0:0:0:0:1%0]:port}.
 */
class Ipv6PeerNamesTest {
  private static final InetAddress LOOPBACK6 = LoopbackHosts.host("::1");

  @BeforeAll
  static void requireIpv6() {
    try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(LOOPBACK6, 0))) {
      // ::1 can be bound
    } catch (SocketException e) {
      Unavailable.because("IPv6 tests need ::1 on loopback; binding it failed: " + e.getMessage());
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(UdpIo.class)
  void anIpv6PeerWithNoScopeIsNamedWithoutOne(UdpIo io) throws Exception {
    Queue<String> seen = new ConcurrentLinkedQueue<>();
    ServiceDefinition who = ServiceDefinition.builder(TestService.PROGRAM, 1)
        .procedure(TestService.ADD, (p, ctx) -> {
          seen.add(ctx.remoteAddress().toString());
          return p.a() + p.b();
        }).build();
    RpcServerBuilder b = RpcServer.builder().bind(LOOPBACK6, 0).directory(Directory.none())
        .transports(Transport.TCP, Transport.UDP).udpIo(io).addService(who);
    try (RpcServer server = (io == UdpIo.DEDICATED_THREAD ? b.directExecutor() : b).build().start()) {
      for (Transport transport : List.of(Transport.UDP, Transport.TCP)) {
        try (RpcClient c = RpcClient.builder().address("::1", server.port()).transport(transport)
            .timeout(Duration.ofSeconds(20)).build()) {
          assertEquals(5, c.call(TestService.ADD, new TestService.Pair(2, 3)));
        }
        String peer = seen.remove();
        assertTrue(peer.matches("/\\[0:0:0:0:0:0:0:1\\]:\\d+"), transport + ": " + peer);
      }
    }
  }
}
