package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.onyxrpc.client.IoStrategy;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.internal.transport.ClientAddress;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.LoopbackHosts;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.testing.Unavailable;
import org.onyxrpc.transport.Transport;

/**
 * Onyx servers bound to {@code ::1} and to {@code ::} (dual stack), TCP and UDP, with either
 * {@link UdpIo}, called by Onyx clients of either {@link IoStrategy} at {@code ::1} (and {@code
 * [::1]}, as a user copies it from a URL), and on {@code ::} by IPv4 clients too (at 127.0.0.1 and
 * at {@code ::ffff:127.0.0.1}): every call answered, and the procedure sees the address the call
 * came from in its own family, an IPv4 peer of {@code ::} as the {@link Inet4Address} it is (not
 * its mapped IPv6 form), which is what the per-client limits count it by.
 */
class Ipv6EndToEndTest {
  private static final InetAddress LOOPBACK6 = LoopbackHosts.host("::1");
  private static final InetAddress LOOPBACK4 = LoopbackHosts.host("127.0.0.1");

  @BeforeAll
  static void requireIpv6() {
    try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(LOOPBACK6, 0))) {
      // ::1 can be bound
    } catch (SocketException e) {
      Unavailable.because("IPv6 tests need ::1 on loopback; binding it failed: " + e.getMessage());
    }
  }

  private static RpcServer server(String bind, UdpIo io, TestService service, Queue<SocketAddress> callers)
      throws Exception {
    ServiceDefinition who = ServiceDefinition.builder(TestService.PROGRAM, 1)
        .procedure(TestService.ADD, (p, ctx) -> {
          callers.add(ctx.remoteAddress());
          return p.a() + p.b();
        })
        .procedure(TestService.HOLD, (n, ctx) -> {
          service.holding.incrementAndGet();
          service.gate.await();
          return n;
        })
        .build();
    RpcServerBuilder b = RpcServer.builder().bind(LoopbackHosts.host(bind), 0).directory(Directory.none())
        .transports(Transport.TCP, Transport.UDP).udpIo(io).maxConnections(8).addService(who);
    return (io == UdpIo.DEDICATED_THREAD ? b.directExecutor() : b).build().start();
  }

  /** Calls ADD at {@code host} over both transports with both I/O strategies: the peers seen. */
  private static void callEveryWay(RpcServer server, String host, Queue<SocketAddress> callers,
      Class<? extends InetAddress> family, InetAddress seen) throws Exception {
    for (Transport transport : List.of(Transport.TCP, Transport.UDP)) {
      for (IoStrategy io : IoStrategy.values()) {
        String how = host + " " + transport + " " + io;
        try (RpcClient c = RpcClient.builder().address(host, server.port()).transport(transport)
            .ioStrategy(io).timeout(Duration.ofSeconds(20)).build()) {
          assertEquals(5, c.call(TestService.ADD, new TestService.Pair(2, 3)), how);
        }
        InetSocketAddress peer = (InetSocketAddress) callers.remove();
        assertInstanceOf(family, peer.getAddress(), how + ": " + peer);
        assertEquals(seen, peer.getAddress(), how);
        // The limits' key: an IPv4 peer's own address, an IPv6 peer's /64 (::1's is ::).
        assertEquals(seen instanceof Inet4Address ? seen : LoopbackHosts.host("::"), ClientAddress.of(peer), how);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(UdpIo.class)
  void onTheIpv6LoopbackEveryClientIsAnsweredAndSeenAtIt(UdpIo io) throws Exception {
    Queue<SocketAddress> callers = new ConcurrentLinkedQueue<>();
    try (RpcServer server = server("::1", io, new TestService(), callers)) {
      for (String host : List.of("::1", "[::1]", "0:0:0:0:0:0:0:1")) {
        callEveryWay(server, host, callers, Inet6Address.class, LOOPBACK6);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(UdpIo.class)
  void onTheIpv6WildcardBothFamiliesAreAnsweredEachSeenInItsOwn(UdpIo io) throws Exception {
    Queue<SocketAddress> callers = new ConcurrentLinkedQueue<>();
    try (RpcServer server = server("::", io, new TestService(), callers)) {
      callEveryWay(server, "::1", callers, Inet6Address.class, LOOPBACK6);
      callEveryWay(server, "[::1]", callers, Inet6Address.class, LOOPBACK6);
      callEveryWay(server, "127.0.0.1", callers, Inet4Address.class, LOOPBACK4);
      callEveryWay(server, "::ffff:127.0.0.1", callers, Inet4Address.class, LOOPBACK4);
    }
  }

  /**
   * A host (127.0.0.2) holding calls on connections to the dual-stack server takes its share of
   * the places (three quarters) and no more, and neither the other IPv4 host (127.0.0.1) nor the
   * IPv6 one (::1) is counted with it: each still connects and is served.
   */
  @Test
  void onTheIpv6WildcardAnIpv4HostHasOneShareAndOthersOfBothFamiliesTheirOwn() throws Exception {
    TestService service = new TestService();
    List<RawTcpPeer> peers = new ArrayList<>();
    RpcServer server = server("::", UdpIo.EVENT_LOOP, service, new ConcurrentLinkedQueue<>());
    try {
      int share = 8 - 8 / 4;
      for (int i = 1; i <= 8; i++) {
        RawTcpPeer peer = new RawTcpPeer(server.port(), LoopbackHosts.host("127.0.0.2"));
        peers.add(peer);
        try {
          peer.sendRecord(TestService.rawHold(i, i));
        } catch (java.io.IOException refused) {
          // closed by the server before the call went out
        }
        if (i <= share) {
          int held = i;
          Await.until(() -> service.holding.get() == held); // in flight: not evictable
        } else {
          assertTrue(peer.closedByPeer(), "a newcomer of 127.0.0.2 beyond its share is refused");
        }
      }
      assertEquals(share, service.holding.get());
      for (String other : List.of("127.0.0.1", "::1")) {
        try (RpcClient c = RpcClient.builder().address(other, server.port())
            .timeout(Duration.ofSeconds(20)).build()) {
          assertEquals(5, c.call(TestService.ADD, new TestService.Pair(2, 3)), other);
        }
      }
    } finally {
      // The held calls are let go before the server closes: closed first, it waited out its
      // whole shutdown timeout (10 s) for them.
      service.gate.countDown();
      try {
        server.close();
      } finally {
        for (RawTcpPeer p : peers) {
          p.close();
        }
      }
    }
  }
}
