package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.EventLoopGroup;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.internal.transport.NettyTransports;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.LeakDetection;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.transport.Transport;

/**
 * A call sent once (or at most once), made right after its server restarted on the same port:
 * the old connection was closed by the server (its FIN is in the client's kernel) before the
 * call was written, so the call cannot have reached a live server process. It must go on a new
 * connection to the new server, not end OUTCOME_UNKNOWN on the old one. Neither I/O strategy
 * has read the close when the call comes: the caller-runs client's clock has not moved (a busy
 * connection is trusted for a while, but not with such a call), and the event-loop client's
 * loop is held until the call is handed to it (it asks the kernel, with epoll's TCP_INFO).
 */
@ExtendWith(LeakDetection.class)
class FastServerRestartTest {
  private static final TestService.Pair TWO_AND_THREE = new TestService.Pair(2, 3);

  private EventLoopGroup oneLoop;

  @BeforeEach
  void loop() {
    oneLoop = NettyTransports.newEventLoopGroup(1, "test-restart-loop");
  }

  @AfterEach
  void stopLoop() {
    oneLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private static RpcServer server(int port) throws java.io.IOException {
    return RpcServer.builder().bind(InetAddress.getLoopbackAddress(), port)
        .transports(Transport.TCP).directory(Directory.none())
        .addService(new TestService().definition()).build().start();
  }

  @ParameterizedTest
  @EnumSource(IoStrategy.class)
  void aOneShotCallRightAfterARestartOnTheSamePortGoesToTheNewServer(IoStrategy io) throws Exception {
    callRightAfterARestart(io, CallSemantics.MAYBE);
  }

  /**
   * An at-most-once call, which the server's duplicate cache would let go again: lost on the old
   * connection, it would be sent again to the new server, which cannot account for a call of the
   * old one's (OUTCOME_UNKNOWN).
   */
  @ParameterizedTest
  @EnumSource(IoStrategy.class)
  void anAtMostOnceCallRightAfterARestartOnTheSamePortGoesToTheNewServer(IoStrategy io) throws Exception {
    callRightAfterARestart(io, CallSemantics.AT_MOST_ONCE);
  }

  private void callRightAfterARestart(IoStrategy io, CallSemantics semantics) throws Exception {
    CallOptions options = CallOptions.DEFAULT.withSemantics(semantics);
    assumeTrue(io == IoStrategy.CALLER_RUNS || NettyTransports.epoll(),
        "with NIO an event loop cannot ask the kernel whether the server closed a connection it has not read");
    ManualTimer clock = new ManualTimer(); // never advanced
    RpcServer first = server(0);
    int port = first.port();
    RpcServer second = null;
    RpcClientBuilder builder = RpcClient.builder().address("127.0.0.1", port).ioStrategy(io)
        .timeout(Duration.ofSeconds(30)).timer(clock);
    if (io == IoStrategy.EVENT_LOOP) {
      builder.eventLoopGroup(oneLoop);
    }
    try (RpcClient client = builder.build()) {
      assertEquals(5, client.call(TestService.ADD, TWO_AND_THREE, options));
      CountDownLatch sent = new CountDownLatch(1);
      if (io == IoStrategy.EVENT_LOOP) {
        oneLoop.next().execute(() -> { // the loop reads nothing until the call is handed to it
          try {
            sent.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
      }
      first.close(); // its connections closed: on loopback, the FIN is in the client's kernel
      second = server(port);
      CompletableFuture<Integer> call = client.callAsync(TestService.ADD, TWO_AND_THREE, options);
      sent.countDown();
      // Time for a retransmission, should the call have been lost on the old connection.
      Await.until(() -> {
        clock.advance(Duration.ofMillis(100));
        return call.isDone();
      });
      assertEquals(5, call.get(1, TimeUnit.MINUTES));
      assertEquals(2, client.stats().connects());
    } finally {
      first.close();
      if (second != null) {
        second.close();
      }
    }
  }
}
