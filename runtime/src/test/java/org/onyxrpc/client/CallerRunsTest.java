package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.xdr.XdrCodecs;
import org.onyxrpc.xdr.XdrWriter;

/**
 * {@link IoStrategy#CALLER_RUNS}: callers read their own replies, take turns leading, and hand
 * the connection to a background reader when nobody waits. (The rest of the client's behaviour
 * is tested under both strategies: the build runs the runtime's tests a second time with this
 * one as the default.)
 */
class CallerRunsTest {
  private static final CallOptions MAYBE = CallOptions.DEFAULT.withSemantics(CallSemantics.MAYBE);
  private RpcServer server;

  private final TestService service = new TestService();

  /** A HOLD with its own gate, {@link #later}, to order two held replies. */
  private static final Procedure<Integer, Integer> HOLD_LATER =
      new Procedure<>(0x20000402, 1, 1, "Later.hold", XdrCodecs.INT, XdrCodecs.INT);
  private final CountDownLatch later = new CountDownLatch(1);

  @BeforeEach
  void start() throws Exception {
    server = RpcServer.builder().addService(service.definition())
        .addService(ServiceDefinition.builder(0x20000402, 1)
            .procedure(HOLD_LATER, (n, ctx) -> {
              later.await();
              return n;
            })
            .build())
        .build().start();
  }

  @AfterEach
  void stop() {
    service.gate.countDown(); // a HOLD call still held would keep close() waiting
    later.countDown();
    server.close();
  }

  private static RpcClient client(int port, Duration timeout) {
    return RpcClient.builder().address("127.0.0.1", port).timeout(timeout)
        .ioStrategy(IoStrategy.CALLER_RUNS).build();
  }

  @Test
  void syncCallersTakeTurnsLeadingWhileAsyncCallsShareTheConnection() throws Exception {
    ExecutorService callers = Executors.newFixedThreadPool(8);
    try (RpcClient client = client(server.port(), Duration.ofSeconds(20))) {
      List<CompletableFuture<Integer>> async = new ArrayList<>();
      List<Future<?>> sync = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        sync.add(callers.submit(() -> {
          for (int i = 0; i < 200; i++) {
            assertEquals(thread + i, client.call(TestService.ADD, new TestService.Pair(thread, i)));
            if (i % 50 == 0) {
              int n = i % 7;
              assertEquals(2 * n, client.call(TestService.DELAYED, n));
            }
          }
          return null;
        }));
      }
      for (int i = 0; i < 500; i++) {
        async.add(client.callAsync(TestService.DELAYED, i % 20));
      }
      for (Future<?> f : sync) {
        f.get(30, TimeUnit.SECONDS);
      }
      for (int i = 0; i < async.size(); i++) {
        assertEquals(i % 20 * 2, async.get(i).get(10, TimeUnit.SECONDS));
      }
      assertEquals(1, client.stats().connects());
    } finally {
      callers.shutdownNow();
    }
  }

  /**
   * Both replies are held by the test (before: 200 ms and 600 ms sleeps, and the second call had
   * to end within 3 s, which a loaded machine need not manage): the leader's is let go first, and
   * the follower's only once the leader has left with it. The follower's deadline is a minute, so
   * its reply read within 30 s shows it took the lead rather than waited out its deadline.
   */
  @Test
  void aFollowerLeadsWhenTheLeaderHasItsReply() throws Exception {
    ExecutorService callers = Executors.newFixedThreadPool(2);
    try (RpcClient client = client(server.port(), Duration.ofMinutes(1))) {
      Future<Integer> first = callers.submit(() -> client.call(TestService.HOLD, 200));
      Await.until(() -> service.holding.get() == 1); // after the NULL ping: the first call leads now
      // This caller follows until the first leaves with its reply, then must read its own.
      Future<Integer> second = callers.submit(() -> client.call(HOLD_LATER, 600));
      Await.until(() -> server.stats().calls() >= 3);
      service.gate.countDown();
      assertEquals(200, first.get(30, TimeUnit.SECONDS));
      later.countDown();
      long start = System.nanoTime();
      assertEquals(600, second.get(30, TimeUnit.SECONDS));
      assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30), "read at once, not at its deadline");
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void aLeaderStopsReadingAtItsDeadline() {
    try (RpcClient client = client(server.port(), Duration.ofMillis(200))) {
      long start = System.nanoTime();
      // Its reply is held until the test lets it go, so a TIMEOUT at all shows that the leader
      // stopped reading at its deadline. (Before: a 2 s sleep, and the call had to end in under
      // 1.5 s, which a loaded machine need not manage.)
      RpcException e = assertThrows(RpcException.class, () -> client.call(TestService.HOLD, 1, MAYBE));
      assertEquals(RpcStatus.TIMEOUT, e.status());
      long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(took >= 190, took + " ms");
      service.gate.countDown();
      // Its own deadline: a NULL ping and the call, on a loaded machine, may outlast 200 ms.
      assertEquals(5, client.call(TestService.ADD, new TestService.Pair(2, 3),
          CallOptions.DEFAULT.withDeadline(Duration.ofSeconds(30))));
    }
  }

  @Test
  void asyncCallsAreReadInTheBackground() throws Exception {
    try (RpcClient client = client(server.port(), Duration.ofSeconds(10))) {
      // Held at the server until the callback is attached, so the reply cannot beat it there.
      CompletableFuture<String> reader = client.callAsync(TestService.HOLD, 1)
          .thenApply(echo -> Thread.currentThread().getName());
      service.gate.countDown();
      // The background reader, or a connecting thread still draining the client's owner when
      // the reply came: either is one of the client's own threads, not a caller.
      String thread = reader.get(5, TimeUnit.SECONDS);
      assertTrue(thread.startsWith("onyx-client-reader") || thread.startsWith("onyx-client-connect"),
          thread);
    }
  }

  /**
   * A reply's callback that makes a sync call, on the thread reading a batch of replies: before,
   * its call was held back to be written with the batch, which could not end until the call
   * returned, and it timed out; its reading in the middle of the batch must not disturb the
   * replies still to be delivered either.
   */
  @Test
  void aSyncCallMadeByAReplyCallbackIsAnswered() throws Exception {
    try (RpcClient client = client(server.port(), Duration.ofSeconds(10))) {
      List<CompletableFuture<Integer>> chained = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        int n = i;
        chained.add(client.callAsync(TestService.ADD, new TestService.Pair(n, 1), MAYBE)
            .thenApply(sum -> client.call(TestService.ADD, new TestService.Pair(sum, 100), MAYBE)));
      }
      for (int i = 0; i < chained.size(); i++) {
        assertEquals(i + 101, chained.get(i).get(1, TimeUnit.MINUTES));
      }
      assertEquals(0, client.stats().timeouts());
    }
  }

  @Test
  void callsMadeByReplyCallbacksAreWrittenAndAnswered() throws Exception {
    try (RpcClient client = client(server.port(), Duration.ofSeconds(10))) {
      int total = 5_000;
      AtomicInteger issued = new AtomicInteger();
      AtomicLong sum = new AtomicLong();
      CountDownLatch done = new CountDownLatch(total);
      Runnable[] next = new Runnable[1];
      next[0] = () -> {
        int i = issued.getAndIncrement();
        if (i < total) {
          client.callAsync(TestService.ADD, new TestService.Pair(i, 1)).whenComplete((r, t) -> {
            if (t == null) {
              sum.addAndGet(r);
            }
            done.countDown();
            next[0].run(); // on the thread that read the reply: written with its batch
          });
        }
      };
      for (int w = 0; w < 32; w++) {
        next[0].run();
      }
      assertTrue(done.await(20, TimeUnit.SECONDS));
      assertEquals((long) total * (total - 1) / 2 + total, sum.get());
      assertEquals(1, client.stats().connects());
    }
  }

  @Test
  void aLargeReplyArrivesWhole() {
    byte[] blob = new byte[5 << 20];
    new Random(7).nextBytes(blob);
    try (RpcClient client = client(server.port(), Duration.ofSeconds(20))) {
      for (int i = 0; i < 3; i++) {
        assertArrayEquals(blob, client.call(TestService.BLOB, blob));
        assertEquals(3, client.call(TestService.ADD, new TestService.Pair(1, 2)));
      }
    }
  }

  @Test
  void callsAroundTheSizeStagedInPlaceArriveWhole() {
    // A call up to MAX_STAGED_BYTES is encoded into the connection's staging buffer; a larger one
    // overflows it part-way and is encoded again into a buffer of its own.
    Random random = new Random(11);
    try (RpcClient client = client(server.port(), Duration.ofSeconds(20))) {
      for (int size = SocketWriter.MAX_STAGED_BYTES - 80; size <= SocketWriter.MAX_STAGED_BYTES + 8;
          size += 4) {
        byte[] blob = new byte[size];
        random.nextBytes(blob);
        assertArrayEquals(blob, client.call(TestService.BLOB, blob), "a call of " + size + " bytes");
      }
      byte[] small = {1, 2, 3}; // its procedure's calls have been large: in a buffer of its own
      assertArrayEquals(small, client.call(TestService.BLOB, small));
      assertEquals(3, client.call(TestService.ADD, new TestService.Pair(1, 2)));
      assertEquals(1, client.stats().connects());
    }
  }

  @Test
  void aReplyInFragmentsThatArriveApartIsReassembled() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        RpcClient client = client(listener.getLocalPort(), Duration.ofSeconds(10))) {
      String text = "fragmented ".repeat(300);
      CompletableFuture<Void> peer = CompletableFuture.runAsync(() -> {
        try (Socket s = listener.accept()) {
          int xid = readCallXid(s);
          byte[] reply = successReply(xid, text);
          DataOutputStream out = new DataOutputStream(s.getOutputStream());
          int[] cuts = {0, reply.length / 3, 2 * reply.length / 3, reply.length};
          for (int f = 0; f < 3; f++) {
            out.writeInt((f == 2 ? 0x8000_0000 : 0) | (cuts[f + 1] - cuts[f]));
            out.write(reply, cuts[f], cuts[f + 1] - cuts[f]);
            out.flush();
            Thread.sleep(40); // each fragment in a read of its own
          }
        } catch (IOException | InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
      assertEquals(text, client.call(TestService.ECHO, text, MAYBE));
      peer.get(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aConnectionTheServerClosedWhileIdleIsReplacedBeforeTheNextCall() throws Exception {
    ManualTimer clock = new ManualTimer();
    CountDownLatch firstClosed = new CountDownLatch(1);
    try (ServerSocket listener = new ServerSocket(0, 2, InetAddress.getLoopbackAddress());
        RpcClient client = RpcClient.builder().address("127.0.0.1", listener.getLocalPort())
            .timeout(Duration.ofSeconds(10)).ioStrategy(IoStrategy.CALLER_RUNS).timer(clock)
            .build()) {
      CompletableFuture<Void> peer = CompletableFuture.runAsync(() -> {
        for (int connection = 0; connection < 2; connection++) {
          try (Socket s = listener.accept()) {
            s.setSoLinger(true, 60); // close() returns once the client's kernel has our FIN
            int xid = readCallXid(s);
            s.getOutputStream().write(record(successReply(xid, "reply " + connection)));
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
          firstClosed.countDown();
        }
      });
      assertEquals("reply 0", client.call(TestService.ECHO, "a", MAYBE));
      assertTrue(firstClosed.await(1, TimeUnit.MINUTES));
      clock.advance(Duration.ofMillis(20)); // quiet for longer than a busy connection is trusted
      assertEquals("reply 1", client.call(TestService.ECHO, "b", MAYBE));
      assertEquals(2, client.stats().connects());
      peer.get(5, TimeUnit.SECONDS);
    }
  }

  /** Reads one call record and returns its xid. */
  private static int readCallXid(Socket s) throws IOException {
    DataInputStream in = new DataInputStream(s.getInputStream());
    int header = in.readInt();
    byte[] body = new byte[header & 0x7FFF_FFFF];
    in.readFully(body);
    return ((body[0] & 0xFF) << 24) | ((body[1] & 0xFF) << 16) | ((body[2] & 0xFF) << 8) | (body[3] & 0xFF);
  }

  /** An accepted, successful reply (RFC 5531) carrying one XDR string. */
  private static byte[] successReply(int xid, String result) {
    ByteBuf buf = Unpooled.buffer();
    XdrWriter out = new XdrWriter(buf);
    out.writeInt(xid);
    out.writeInt(1); // REPLY
    out.writeInt(0); // MSG_ACCEPTED
    out.writeInt(0); // verifier AUTH_NONE
    out.writeInt(0); // of no bytes
    out.writeInt(0); // SUCCESS
    out.writeString(result, Integer.MAX_VALUE);
    byte[] bytes = new byte[buf.readableBytes()];
    buf.readBytes(bytes);
    return bytes;
  }

  private static byte[] record(byte[] message) {
    ByteBuf buf = Unpooled.buffer();
    buf.writeInt(0x8000_0000 | message.length).writeBytes(message);
    byte[] bytes = new byte[buf.readableBytes()];
    buf.readBytes(bytes);
    return bytes;
  }
}
