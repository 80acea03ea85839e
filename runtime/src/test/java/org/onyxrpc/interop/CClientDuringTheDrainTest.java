package org.onyxrpc.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.onyxrpc.client.CallOptions;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.testing.Await;
import org.onyxrpc.transport.Transport;

/**
 * A libtirpc client in the middle of its calls (interop_client "retransmit": COUNT_RUNS(2500),
 * then COUNT_RUNS(0), on one CLIENT) when the Onyx server's drain begins, over TCP and UDP: the
 * call that was running is answered with its result (over UDP its resends, which libtirpc sends
 * every second while it runs, are not refused in its place), and the next one, sent during the
 * drain, is refused as README's "The drain" says: "RPC: Program unavailable", and it did not run.
 * Another client's call held in its procedure keeps the drain on while the C client calls.
 */
class CClientDuringTheDrainTest {
  @TempDir static Path work;
  private static NativeInterop c;
  private RpcServer server;

  @BeforeAll
  static void build() throws Exception {
    c = NativeInterop.build(work);
  }

  @AfterEach
  void stop() throws InterruptedException {
    OnyxServers.stop(server, c);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Transport.class, names = {"TCP", "UDP"})
  void theRunningCallIsAnsweredAndTheNextRefusedUnrun(Transport transport) throws Exception {
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch counting = new CountDownLatch(1);
    CountDownLatch drainOn = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .transports(Transport.TCP, Transport.UDP).shutdownTimeout(Duration.ofMinutes(2))
        .addService(ServiceDefinition.builder(InteropProgram.PROGRAM, InteropProgram.VERSION)
            .procedure(InteropProgram.GREET, (who, ctx) -> {
              if (who.equals("hold")) {
                held.countDown();
                release.await();
              }
              return "hello, " + who;
            })
            .procedure(InteropProgram.COUNT_RUNS, (delayMs, ctx) -> {
              if (delayMs != 0) { // the C client's first call: it runs until the drain is on
                counting.countDown();
                drainOn.await();
              }
              return runs.incrementAndGet();
            })
            .build())
        .build().start();
    try (RpcClient holder = RpcClient.builder().address("127.0.0.1", server.port())
            .timeout(Duration.ofMinutes(2)).build();
        RpcClient probe = RpcClient.builder().address("127.0.0.1", server.port())
            .transport(Transport.UDP).timeout(Duration.ofSeconds(20)).build()) {
      CompletableFuture<String> holding = holder.callAsync(InteropProgram.GREET, "hold");
      assertTrue(held.await(60, TimeUnit.SECONDS), "the held call runs");
      String name = "drain-" + transport.name().toLowerCase(Locale.ROOT);
      Process client = c.startClient(name, transport.name().toLowerCase(Locale.ROOT),
          server.port(), List.of("retransmit"));
      assertTrue(counting.await(60, TimeUnit.SECONDS), "the C client's COUNT_RUNS(2500) runs");

      CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
      Await.until(() -> refused(probe));
      if (transport == Transport.UDP) {
        // A resend reaches the draining server while the call runs (libtirpc's after 1 s): it is
        // dropped as a duplicate of a running call (or, were it refused, the probe's refusal is
        // not the only one, and the transcript below tells).
        Await.until(() -> server.stats().duplicatesInProgressDropped() > 0
            || server.stats().errorReplies() > 1);
      }
      drainOn.countDown();

      assertEquals("COUNT_RUNS(2500) -> 1\nCOUNT_RUNS(0) -> RPC: Program unavailable\n",
          c.finishClient(client, name));
      assertEquals(1, runs.get(), "COUNT_RUNS(0) did not run");
      if (transport == Transport.UDP) {
        assertTrue(server.stats().duplicatesInProgressDropped() > 0, server.stats()::toString);
      }
      release.countDown();
      assertEquals("hello, hold", holding.get(60, TimeUnit.SECONDS));
      closing.get(60, TimeUnit.SECONDS);
    } finally {
      drainOn.countDown();
      release.countDown();
    }
  }

  /** Whether a one-shot call over UDP is refused PROG_UNAVAIL: the drain has begun. */
  private static boolean refused(RpcClient probe) {
    try {
      probe.call(InteropProgram.GREET, "probe", CallOptions.DEFAULT.withSemantics(CallSemantics.MAYBE));
      return false;
    } catch (RpcException e) {
      assertEquals(RpcStatus.PROG_UNAVAIL, e.status(), e::toString);
      return true;
    }
  }
}
