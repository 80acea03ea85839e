package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.testing.LeakDetection;
import org.onyxrpc.testing.ScriptedTcpServer;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.testing.TestTransport;
import org.onyxrpc.xdr.XdrCodecs;
import org.onyxrpc.xdr.XdrWriter;

/**
 * Calls made by a reply's callback, on the thread that read the reply (with {@code EVENT_LOOP},
 * the event loop, which encodes them one after another into one batch): a call that cannot be
 * encoded, is too large to send, or is refused for the bytes already queued, fails alone, and
 * never reaches the server; the calls around it go out whole.
 */
@ExtendWith(LeakDetection.class)
class CallsFromCallbacksTest {
  private static final int MAX_RECORD = 64 << 10;
  /** ADD's number, but arguments that fail halfway through their encoding. */
  private static final Procedure<Integer, Integer> UNENCODABLE = new Procedure<>(
      TestService.PROGRAM, 1, TestService.ADD.number(), "Test.unencodable",
      XdrCodecs.of((out, n) -> {
        out.writeInt(n);
        throw new IllegalStateException("cannot encode " + n);
      }, in -> in.readInt()), XdrCodecs.INT, CallSemantics.MAYBE);

  /** Sent once: a stream the server could not read would lose calls, not have them retried. */
  private static final CallOptions ONCE = CallOptions.DEFAULT.withSemantics(CallSemantics.MAYBE)
      .withDeadline(java.time.Duration.ofSeconds(10));
  private final TestService service = new TestService();
  private RpcServer server;

  @BeforeEach
  void start() throws Exception {
    server = TestTransport.server().addService(service.definition()).build().start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aCallThatCannotGoOutFailsAloneAmongTheCallsAroundIt() throws Exception {
    try (RpcClient client = TestTransport.client(server).maxRecordBytes(MAX_RECORD).build()) {
      List<CompletableFuture<?>> made = new ArrayList<>();
      // Answered once its callback is set, so the callback runs where the reply is read.
      CompletableFuture<Void> burst = client.callAsync(TestService.HOLD, 1)
          .thenAccept(first -> {
            for (int i = 0; i < 30; i++) {
              made.add(client.callAsync(TestService.ADD, new TestService.Pair(i, 1000), ONCE));
              if (i % 10 == 3) {
                made.add(client.callAsync(UNENCODABLE, i, ONCE));
              } else if (i % 10 == 7) {
                made.add(client.callAsync(TestService.BLOB, new byte[MAX_RECORD], ONCE));
              }
            }
          });
      service.gate.countDown();
      burst.get(10, TimeUnit.SECONDS);
      int added = 0;
      for (CompletableFuture<?> call : made) {
        Object outcome = outcome(call);
        if (outcome instanceof Integer sum) {
          assertEquals(added + 1000, sum, "the calls around a failed one arrive whole");
          added++;
        } else if (outcome == RpcStatus.INTERNAL || outcome == RpcStatus.RESOURCE_EXHAUSTED) {
          continue;
        } else {
          throw new AssertionError("unexpected outcome " + outcome);
        }
      }
      assertEquals(30, added);
      assertEquals(3, made.stream().filter(c -> outcome(c) == RpcStatus.INTERNAL).count());
      assertEquals(3, made.stream().filter(c -> outcome(c) == RpcStatus.RESOURCE_EXHAUSTED).count());
      assertEquals(7, client.call(TestService.ADD, new TestService.Pair(3, 4)), "the connection still serves");
    }
  }

  @Test
  void aCallRefusedForTheBytesQueuedNeverReachesTheServer() throws Exception {
    // The burst is refused in part only when its calls are made where the trigger's reply is
    // read, which a caller-runs client's background reader may rarely hand to another thread:
    // a round in which none was refused proves nothing, so rounds go on until one is.
    long refused = 0;
    for (int round = 0; round < 5 && refused == 0; round++) {
      refused = burstOfCallsFromACallback();
    }
    org.junit.jupiter.api.Assertions.assertTrue(refused > 0, "the limit refused some, in one of five rounds");
  }

  /** One round: how many calls of the burst were refused; every one refused never went out. */
  private static long burstOfCallsFromACallback() throws Exception {
    java.util.concurrent.atomic.AtomicInteger received = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.CountDownLatch attached = new java.util.concurrent.CountDownLatch(1);
    try (ScriptedTcpServer peer = new ScriptedTcpServer("counting-server", (call, reply, raw) -> {
          if (received.incrementAndGet() == 2) { // the trigger's reply: once its callback is set
            try {
              attached.await();
            } catch (InterruptedException e) {
              throw new java.io.InterruptedIOException();
            }
          }
          RpcMessages.writeSuccessHeader(new XdrWriter(reply), call.xid(), OpaqueAuth.NONE);
          reply.writeInt(0); // an empty opaque
        });
        RpcClient client = RpcClient.builder().address("127.0.0.1", peer.port())
            .maxQueuedBytes(40 << 10).build()) {
      client.call(TestService.BLOB, new byte[0], ONCE); // connected
      List<CompletableFuture<byte[]>> made = new ArrayList<>();
      CompletableFuture<Void> burst = client.callAsync(TestService.BLOB, new byte[0], ONCE)
          .thenAccept(first -> { // on the thread that read the reply
            for (int i = 0; i < 8; i++) { // made together: the first's bytes wait as the rest come
              made.add(client.callAsync(TestService.BLOB, new byte[16 << 10], ONCE));
            }
          });
      attached.countDown();
      burst.get(10, TimeUnit.SECONDS);
      long refused = made.stream().filter(c -> outcome(c) == RpcStatus.RESOURCE_EXHAUSTED).count();
      long answered = made.stream().filter(c -> outcome(c) instanceof byte[]).count();
      assertEquals(8, refused + answered);
      assertEquals(2 + answered, received.get(), "a refused call's bytes never went out");
      return refused;
    }
  }

  /** The call's result, or its status if it failed. */
  private static Object outcome(CompletableFuture<?> call) {
    try {
      return call.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RpcException failure) {
        return failure.status();
      }
      throw new AssertionError(e);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
