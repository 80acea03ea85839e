package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.transport.Transport;

/**
 * Over UDP, an ICMP port unreachable says nothing listens at the server's port. A call does not
 * then wait for its deadline: one never sent is UNAVAILABLE at once, one that went out before
 * the server went may have run (OUTCOME_UNKNOWN). The deadlines here are a minute long, so a
 * call that waited for its deadline would end TIMEOUT, not with the status asserted.
 */
class UdpPortUnreachableTest {
  private static final Duration MINUTE = Duration.ofMinutes(1);

  private static RpcClient client(IoStrategy io, int port) {
    return RpcClient.builder().address("127.0.0.1", port).transport(Transport.UDP).ioStrategy(io)
        .timeout(MINUTE).attemptTimeout(Duration.ofMillis(200)).build();
  }

  private static int closedPort() throws IOException {
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @ParameterizedTest
  @EnumSource(value = CallSemantics.class, names = {"AT_LEAST_ONCE", "AT_MOST_ONCE"})
  void aCallToAClosedPortIsUnavailableAtOnceWithTheEventLoop(CallSemantics semantics)
      throws Exception {
    neverSent(IoStrategy.EVENT_LOOP, semantics);
  }

  @ParameterizedTest
  @EnumSource(value = CallSemantics.class, names = {"AT_LEAST_ONCE", "AT_MOST_ONCE"})
  void aCallToAClosedPortIsUnavailableAtOnceWhenTheCallerRuns(CallSemantics semantics)
      throws Exception {
    neverSent(IoStrategy.CALLER_RUNS, semantics);
  }

  /** The NULL ping that goes first meets the closed port: the call itself never left. */
  private static void neverSent(IoStrategy io, CallSemantics semantics) throws Exception {
    try (RpcClient client = client(io, closedPort())) {
      RpcException e = assertThrows(RpcException.class, () -> client.call(TestService.ADD,
          new TestService.Pair(1, 2), CallOptions.DEFAULT.withSemantics(semantics)));
      assertEquals(RpcStatus.UNAVAILABLE, e.status(), e.getMessage());
      // The machine answered, so "nothing listens at", not "cannot reach", and said once.
      assertTrue(e.getMessage().matches("nothing listens at udp 127\\.0\\.0\\.1:\\d+ to call Test\\.add"
          + " \\([^)]*\\): ICMP port unreachable"), e.getMessage());
    }
  }

  /**
   * {@code ping}, as a program's first call often is, to a port nobody listens on (a C server
   * that died, its rpcbind entry left behind). Its datagram went, so it may have "run"; but UDP
   * has no connection, and the message said "the connection was lost before its reply".
   */
  @ParameterizedTest
  @EnumSource(IoStrategy.class)
  void aPingToAClosedPortSaysNothingListensAndNoConnectionWasLost(IoStrategy io) throws Exception {
    int port = closedPort();
    try (RpcClient client = client(io, port)) {
      RpcException e = assertThrows(RpcException.class,
          () -> client.ping(TestService.PROGRAM, 1));
      assertEquals(RpcStatus.OUTCOME_UNKNOWN, e.status(), e.getMessage());
      assertEquals("NULL (program 0x" + Integer.toHexString(TestService.PROGRAM)
          + " version 1 procedure 0) may have executed: it was sent to udp 127.0.0.1:"
          + port + ", no reply came, then nothing listens at the server's port (ICMP port"
          + " unreachable)", e.getMessage());
    }
  }

  @ParameterizedTest
  @EnumSource(IoStrategy.class)
  void aCallSentBeforeTheServerWentMayHaveRun(IoStrategy io) throws Exception {
    sentBeforeTheServerWent(io, CallSemantics.AT_LEAST_ONCE);
  }

  /**
   * An at-most-once call to an Onyx server, which tags its replies and so has a duplicate request
   * cache, is retransmitted too: the server took the call and ran it, then went; the call's next
   * retransmission meets the closed port. It may have run, whatever the ICMP says of the port now:
   * OUTCOME_UNKNOWN, not UNAVAILABLE, and not a wait for the deadline. (To a server that does not
   * tag, an at-most-once call is sent once and waits for its deadline: FaultyCServerTest.)
   */
  @ParameterizedTest
  @EnumSource(IoStrategy.class)
  void anAtMostOnceCallRetransmittedToAnOnyxServerThatWentMayHaveRun(IoStrategy io)
      throws Exception {
    TestService service = new TestService();
    org.onyxrpc.server.RpcServer server = org.onyxrpc.server.RpcServer.builder().port(0)
        .transports(Transport.UDP).shutdownTimeout(Duration.ofMillis(100))
        .addService(service.definition()).build().start();
    try (RpcClient client = client(io, server.port())) {
      java.util.concurrent.CompletableFuture<Integer> call = client.callAsync(TestService.HOLD, 1,
          CallOptions.DEFAULT.withSemantics(CallSemantics.AT_MOST_ONCE));
      org.onyxrpc.testing.Await.until(() -> service.holding.get() == 1);
      server.close(); // the call ran (and holds); the port closes
      java.util.concurrent.ExecutionException e = assertThrows(
          java.util.concurrent.ExecutionException.class, () -> call.get(2, TimeUnit.MINUTES));
      RpcException failure = (RpcException) e.getCause();
      assertEquals(RpcStatus.OUTCOME_UNKNOWN, failure.status(), failure.getMessage());
      assertTrue(failure.getMessage().contains("ICMP port unreachable"), failure.getMessage());
    } finally {
      service.gate.countDown();
      server.close();
    }
  }

  private static void sentBeforeTheServerWent(IoStrategy io, CallSemantics semantics)
      throws Exception {
    DatagramSocket server = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    CountDownLatch called = new CountDownLatch(1);
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[65_536];
      try {
        while (true) {
          DatagramPacket call = new DatagramPacket(buffer, buffer.length);
          server.receive(call);
          ByteBuffer in = ByteBuffer.wrap(call.getData(), 0, call.getLength());
          if (in.getInt(20) == 0) { // the ping: answered, untagged, as a C server would
            byte[] reply = ByteBuffer.allocate(24).putInt(in.getInt(0)).putInt(1).array();
            server.send(new DatagramPacket(reply, reply.length, call.getSocketAddress()));
          } else { // the call: taken, never answered, and the server goes
            server.close();
            called.countDown();
            return;
          }
        }
      } catch (IOException e) {
        // closed
      }
    }, "udp-server-that-goes");
    t.setDaemon(true);
    t.start();
    try (RpcClient client = client(io, server.getLocalPort())) {
      RpcException e = assertThrows(RpcException.class, () -> client.call(TestService.ADD,
          new TestService.Pair(1, 2), CallOptions.DEFAULT.withSemantics(semantics)));
      assertTrue(called.await(1, TimeUnit.MINUTES));
      assertEquals(RpcStatus.OUTCOME_UNKNOWN, e.status(), e.getMessage());
      assertTrue(e.getMessage().contains("ICMP port unreachable"), e.getMessage());
    } finally {
      server.close();
    }
  }
}
