package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.LeakDetection;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.testing.TestTransport;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * Replies made on an executor's threads, not the I/O thread, to a peer that pipelines calls and
 * reads nothing: they count against the budget for unread replies ({@code maxBufferedBytes}) as
 * they are handed over, not once the I/O thread next counts its connection. Before, a reply handed
 * over sat in Netty's queue uncharged until the I/O thread finished its call, and an I/O thread
 * busy elsewhere let every call in flight (up to {@code maxConcurrentCallsPerConnection} per
 * connection) pile its reply up first: 24 MiB against a budget of 16 here, and 19 and 94 MiB were
 * seen with mq's replies.
 */
@ExtendWith(LeakDetection.class)
class OffLoopUnreadRepliesTest {
  private static final int PROGRAM = 0x20000231;
  /** n zero bytes, once the gate opens. */
  static final Procedure<Integer, byte[]> READ =
      new Procedure<>(PROGRAM, 1, 1, "OffLoop.read", XdrCodecs.INT, XdrCodecs.OPAQUE);
  /** Watches its connection and waits; its connection's close holds the I/O thread (below). */
  static final Procedure<Integer, Integer> HOLD =
      new Procedure<>(PROGRAM, 1, 2, "OffLoop.hold", XdrCodecs.INT, XdrCodecs.INT);

  private static final int CALLS = 24;
  private static final int RESULT_BYTES = 1 << 20;
  private static final long BUDGET = 16L << 20;

  private final CountDownLatch started = new CountDownLatch(CALLS);
  private final CountDownLatch gate = new CountDownLatch(1);
  private final CountDownLatch watching = new CountDownLatch(1);
  private final CountDownLatch loopHeld = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);

  private ServiceDefinition service() {
    return ServiceDefinition.builder(PROGRAM, 1)
        .procedure(READ, (n, ctx) -> {
          started.countDown();
          gate.await();
          return new byte[n];
        })
        .procedure(HOLD, (n, ctx) -> {
          // A test's device, not a procedure's manners: the action blocks the I/O thread, so that
          // the replies made meanwhile are handed over while nothing on that thread counts them.
          ctx.onConnectionClosed(() -> {
            loopHeld.countDown();
            awaitUninterruptibly(release);
          });
          watching.countDown();
          release.await();
          return n;
        })
        .build();
  }

  @Test
  void repliesHandedOverFromAnExecutorAreChargedBeforeTheyPileUp() throws Exception {
    ThreadPoolExecutor pool = (ThreadPoolExecutor) Executors.newFixedThreadPool(CALLS + 2);
    try (RpcServer server = TestTransport.server().ioThreads(1) // one I/O thread for every connection
            .executor(pool).maxConcurrentCalls(2 * CALLS + 4) // a connection runs half of them
            .maxBufferedBytes(BUDGET).idleTimeout(Duration.ofMinutes(10)) // not what closes it
            .addService(service()).addService(new TestService().definition()).build().start();
        Socket greedy = new Socket();
        Socket holder = new Socket()) {
      holder.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
      send(holder.getOutputStream(), HOLD.number(), 1, 1);
      await(watching);

      greedy.setReceiveBufferSize(4096);
      greedy.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
      send(greedy.getOutputStream(), READ.number(), CALLS, RESULT_BYTES);
      await(started); // every call read and running, no reply made yet

      try {
        holder.close(); // its close runs the watch on the I/O thread, which then waits
        await(loopHeld);
        gate.countDown();
        // Every reply made and handed over (the holder's procedure is the one thread still busy).
        Await.until(() -> pool.getActiveCount() == 1 && pool.getQueue().isEmpty());
      } finally {
        release.countDown();
      }

      greedy.setSoTimeout(5_000);
      int replies =
          UnreadRepliesTest.readRepliesUntilClosed(new DataInputStream(greedy.getInputStream()));
      assertTrue(replies >= 0 && replies < CALLS, "the non-reader was closed; read " + replies);
      try (RpcClient good = TestTransport.client(server).timeout(Duration.ofSeconds(10)).build()) {
        assertEquals(5, good.call(TestService.ADD, new TestService.Pair(2, 3)));
      }
      Await.until(() -> server.unreadReplyBytes() == 0); // every charge given back
      // One reply past the budget at most: the one that spends it, with its record mark and
      // Netty's overhead for the queued write.
      long slack = RESULT_BYTES + 1024;
      assertTrue(server.unreadReplyBytesPeak() <= BUDGET + slack,
          "held " + server.unreadReplyBytesPeak() + " bytes of unread replies against a budget of " + BUDGET);
    } finally {
      pool.shutdownNow();
    }
  }

  /** {@code calls} pipelined calls of {@code procedure} with argument {@code arg}, in one write. */
  private static void send(OutputStream out, int procedure, int calls, int arg) throws IOException {
    ByteArrayOutputStream pipelined = new ByteArrayOutputStream();
    for (int xid = 1; xid <= calls; xid++) {
      byte[] call = RawTcpPeer.call(xid, 2, PROGRAM, 1, procedure, OpaqueAuth.NONE,
          ByteBuffer.allocate(4).putInt(arg).array());
      pipelined.write(ByteBuffer.allocate(4).putInt(0x8000_0000 | call.length).array());
      pipelined.write(call);
    }
    out.write(pipelined.toByteArray());
    out.flush();
  }

  private static void await(CountDownLatch latch) throws InterruptedException {
    assertTrue(latch.await(30, java.util.concurrent.TimeUnit.SECONDS), "timed out");
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
