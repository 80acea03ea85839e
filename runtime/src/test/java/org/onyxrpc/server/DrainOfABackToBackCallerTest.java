package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * A server shut down while its client calls back to back: at the drain's instant no call is in
 * flight and none has been refused, and the drain watches a moment for a refusal before it
 * closes the connection ({@link ServerDrain#SETTLE_NANOS}), so the client's next call is refused
 * PROG_UNAVAIL (it did not run), never cut off with the connection. Before, such a drain closed
 * the connections at once, and the call being sent ended OUTCOME_UNKNOWN ("the connection was
 * lost before its reply": examples' RollingRestartTest, about one run in five on a loaded
 * machine). A race, so many rounds; each call is counted, at most once.
 */
class DrainOfABackToBackCallerTest {
  private static final int PROGRAM = 0x2000088b;
  private static final Procedure<Void, Integer> WORK =
      new Procedure<>(PROGRAM, 1, 1, "BackToBack.work", XdrCodecs.VOID, XdrCodecs.INT);
  private static final int ROUNDS = 20;

  @ParameterizedTest
  @EnumSource(TcpIo.class)
  void theCallAfterTheDrainsInstantIsRefusedNotCutOff(TcpIo io) throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      AtomicInteger worked = new AtomicInteger();
      RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0).tcpIo(io)
          .shutdownTimeout(Duration.ofMinutes(1))
          .addService(ServiceDefinition.builder(PROGRAM, 1)
              .procedure(WORK, (v, ctx) -> worked.incrementAndGet())
              .build())
          .build().start();
      RpcClient client = RpcClient.builder().address("127.0.0.1", server.port())
          .timeout(Duration.ofMinutes(1)).build();
      CountDownLatch warmed = new CountDownLatch(20);
      AtomicInteger answered = new AtomicInteger();
      CompletableFuture<RpcException> ended = new CompletableFuture<>();
      Thread caller = new Thread(() -> {
        try (client) {
          while (true) {
            client.call(WORK, null);
            answered.incrementAndGet();
            warmed.countDown();
          }
        } catch (RpcException e) {
          ended.complete(e); // the client closed (its end of the connection with it)
        } catch (RuntimeException | Error e) {
          ended.completeExceptionally(e);
        }
      }, "back-to-back");
      caller.start();
      try {
        assertTrue(warmed.await(1, TimeUnit.MINUTES), "round " + round + ": calls never answered");
        server.close();
        RpcException e = ended.get(1, TimeUnit.MINUTES);
        assertNotEquals(RpcStatus.OUTCOME_UNKNOWN, e.status(),
            "round " + round + " (" + io + "): " + e.getMessage());
        assertEquals(answered.get(), worked.get(), "round " + round + ": calls answered, run");
      } finally {
        server.close();
        caller.join(TimeUnit.MINUTES.toMillis(1));
      }
    }
  }
}
