package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.onyxrpc.rpc.CallHeader;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;

/**
 * The UDP client under both I/O strategies, with the same outcomes: with {@link
 * IoStrategy#CALLER_RUNS} the caller sends and reads its own datagrams, and a reply read by one
 * caller reaches the caller it belongs to.
 */
class DatagramClientTest {
  private static final CallOptions MAYBE = CallOptions.DEFAULT.withSemantics(CallSemantics.MAYBE);
  private static final CallOptions AT_LEAST_ONCE =
      CallOptions.DEFAULT.withSemantics(CallSemantics.AT_LEAST_ONCE);

  private static RpcClient client(IoStrategy io, int port, Duration timeout, Duration attempt) {
    return RpcClient.builder().address("127.0.0.1", port).transport(Transport.UDP)
        .ioStrategy(io).timeout(timeout).attemptTimeout(attempt).build();
  }

  @ParameterizedTest
  @EnumSource(IoStrategy.class)
  void concurrentSyncAndAsyncCallsShareOneSocket(IoStrategy io) throws Exception {
    // At least once: a burst of datagrams may lose one to a full socket buffer, as UDP may; what
    // is tested is who reads which reply, and a lost call is sent again, a second later (a call
    // slower than that is sent again too, which adding allows).
    ExecutorService callers = Executors.newFixedThreadPool(6);
    try (RpcServer server = RpcServer.builder().transports(Transport.UDP)
            .addService(new TestService().definition()).build().start();
        RpcClient client = client(io, server.port(), Duration.ofSeconds(20), Duration.ofSeconds(1))) {
      List<CompletableFuture<Integer>> async = new ArrayList<>();
      List<Future<?>> sync = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        int thread = t;
        sync.add(callers.submit(() -> {
          for (int i = 0; i < 150; i++) {
            assertEquals(thread + i, client.call(TestService.ADD, new TestService.Pair(thread, i), AT_LEAST_ONCE));
            if (i % 30 == 0) { // answered late, after other callers' replies
              assertEquals(2 * (i % 7), client.call(TestService.DELAYED, i % 7, AT_LEAST_ONCE));
            }
          }
          return null;
        }));
      }
      for (int i = 0; i < 200; i++) { // nobody waits for these: the background reader reads them
        async.add(client.callAsync(TestService.ADD, new TestService.Pair(i, 1), AT_LEAST_ONCE));
      }
      for (Future<?> f : sync) {
        f.get(1, TimeUnit.MINUTES);
      }
      for (int i = 0; i < async.size(); i++) {
        assertEquals(i + 1, async.get(i).get(1, TimeUnit.MINUTES));
      }
      assertEquals(0, client.stats().timeouts());
    } finally {
      callers.shutdownNow();
    }
  }

  @ParameterizedTest
  @EnumSource(IoStrategy.class)
  void repliesInAnyOrderReachTheirCallersAndStrayOnesAreDropped(IoStrategy io) throws Exception {
    ExecutorService callers = Executors.newFixedThreadPool(2);
    try (ScriptedPeer peer = new ScriptedPeer();
        RpcClient client = client(io, peer.port(), Duration.ofSeconds(20), Duration.ofSeconds(20))) {
      Future<Integer> first = callers.submit(
          () -> client.call(TestService.ADD, new TestService.Pair(1, 2), MAYBE));
      Future<Integer> second = callers.submit(
          () -> client.call(TestService.ADD, new TestService.Pair(30, 40), MAYBE));
      Received a = peer.receive();
      Received b = peer.receive();
      peer.reply(a.from, a.xid + 1_000_000, 99); // an xid nobody waits for
      peer.reply(b.from, b.xid, b.a + b.b); // the later call first
      peer.reply(a.from, a.xid, a.a + a.b);
      assertEquals(3, first.get(1, TimeUnit.MINUTES));
      assertEquals(70, second.get(1, TimeUnit.MINUTES));
      assertEquals(1, client.stats().lateReplies());
    } finally {
      callers.shutdownNow();
    }
  }

  @ParameterizedTest
  @EnumSource(IoStrategy.class)
  void aLostDatagramIsSentAgainWithTheSameXid(IoStrategy io) throws Exception {
    try (ScriptedPeer peer = new ScriptedPeer();
        RpcClient client = client(io, peer.port(), Duration.ofSeconds(20), Duration.ofMillis(100))) {
      CompletableFuture<Integer> call =
          client.callAsync(TestService.ADD, new TestService.Pair(5, 6), AT_LEAST_ONCE);
      Received ping = peer.receive(); // the NULL ping that asks whether the server filters repeats
      assertEquals(0, ping.procedure);
      peer.replyVoid(ping.from, ping.xid); // untagged: an at-least-once call may go again
      Received lost = peer.receive(); // dropped, as the network may
      Received again = peer.receive();
      assertEquals(lost.xid, again.xid);
      peer.reply(again.from, again.xid, again.a + again.b);
      assertEquals(11, call.get(1, TimeUnit.MINUTES));
      assertTrue(client.stats().retransmissions() >= 1, client.stats().toString());
    }
  }

  @ParameterizedTest
  @EnumSource(IoStrategy.class)
  void aMaybeCallThatGetsNoReplyTimesOutAndIsNeverSentAgain(IoStrategy io) throws Exception {
    try (ScriptedPeer peer = new ScriptedPeer();
        RpcClient client = client(io, peer.port(), Duration.ofMillis(300), Duration.ofMillis(20))) {
      CompletableFuture<Integer> call = client.callAsync(TestService.ADD, new TestService.Pair(1, 1), MAYBE);
      peer.receive();
      // It went out: it may have run, so never UNAVAILABLE.
      ExecutionFailure.assertStatus(RpcStatus.TIMEOUT, call);
      assertEquals(0, client.stats().retransmissions());
      assertTrue(peer.nothingMore(), "a MAYBE call was sent again");
    }
  }

  @ParameterizedTest
  @EnumSource(IoStrategy.class)
  void aCallToAClosedPortMayHaveRunAsFarAsTheClientKnows(IoStrategy io) throws Exception {
    int port;
    try (DatagramSocket gone = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      port = gone.getLocalPort();
    }
    try (RpcClient client = client(io, port, Duration.ofSeconds(2), Duration.ofMillis(50))) {
      CompletableFuture<Integer> call = client.callAsync(TestService.ADD, new TestService.Pair(1, 1), MAYBE);
      // The datagram left: UNAVAILABLE would claim it did not run. The ICMP error closes the
      // socket, and a MAYBE call is not sent again.
      ExecutionFailure.assertStatus(RpcStatus.OUTCOME_UNKNOWN, call);
    }
  }

  @ParameterizedTest
  @EnumSource(IoStrategy.class)
  void aReplyLongerThanTheMaximumIsCutAndFailsToDecode(IoStrategy io) throws Exception {
    try (ScriptedPeer peer = new ScriptedPeer();
        RpcClient client = RpcClient.builder().address("127.0.0.1", peer.port())
            .transport(Transport.UDP).ioStrategy(io).maxDatagramBytes(512)
            .timeout(Duration.ofMillis(500)).build()) {
      CompletableFuture<String> call = client.callAsync(TestService.ECHO, "x", MAYBE);
      Received r = peer.receive();
      peer.replyString(r.from, r.xid, "y".repeat(1000));
      ExecutionFailure.assertStatus(RpcStatus.INTERNAL, call);
    }
  }

  @ParameterizedTest
  @EnumSource(IoStrategy.class)
  void theBackgroundReaderIsSharedAndStopsWithTheLastClient(IoStrategy io) throws Exception {
    int before = DatagramCallerRunsConnection.BACKGROUND_READER.users();
    try (RpcServer server = RpcServer.builder().transports(Transport.UDP)
            .addService(new TestService().definition()).build().start()) {
      RpcClient one = client(io, server.port(), Duration.ofSeconds(20), Duration.ofSeconds(1));
      RpcClient two = client(io, server.port(), Duration.ofSeconds(20), Duration.ofSeconds(1));
      int expected = io == IoStrategy.CALLER_RUNS ? before + 2 : before;
      assertEquals(expected, DatagramCallerRunsConnection.BACKGROUND_READER.users());
      BackgroundReader shared =
          expected > 0 ? DatagramCallerRunsConnection.BACKGROUND_READER.acquire() : null;
      assertEquals(7, one.callAsync(TestService.ADD, new TestService.Pair(3, 4), MAYBE).get(1, TimeUnit.MINUTES));
      assertEquals(9, two.call(TestService.ADD, new TestService.Pair(4, 5), MAYBE));
      one.close();
      two.close();
      if (shared != null) {
        DatagramCallerRunsConnection.BACKGROUND_READER.release(shared);
        if (before == 0) {
          shared.thread().join(TimeUnit.MINUTES.toMillis(1));
          assertTrue(!shared.thread().isAlive(), "the reader thread outlived its last client");
        }
      }
      assertEquals(before, DatagramCallerRunsConnection.BACKGROUND_READER.users());
    }
  }

  /** What a test asserts of a failed future. */
  private static final class ExecutionFailure {
    static void assertStatus(RpcStatus status, CompletableFuture<?> call) throws Exception {
      try {
        call.get(1, TimeUnit.MINUTES);
      } catch (java.util.concurrent.ExecutionException e) {
        assertEquals(status, ((RpcException) e.getCause()).status(), e.getCause().getMessage());
        return;
      }
      throw new AssertionError("completed normally");
    }
  }

  /** A call the scripted peer received: its xid and, for Test.add, its two ints. */
  private record Received(SocketAddress from, int xid, int procedure, int a, int b) {}

  /** A UDP peer driven by the test: it answers what, when and in the order the test says. */
  private static final class ScriptedPeer implements AutoCloseable {
    private final DatagramSocket socket;

    ScriptedPeer() throws IOException {
      socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
      socket.setSoTimeout(30_000);
    }

    int port() {
      return socket.getLocalPort();
    }

    /** Whether no datagram came after those received: anything sent before now has arrived. */
    boolean nothingMore() throws IOException {
      socket.setSoTimeout(1);
      try {
        socket.receive(new DatagramPacket(new byte[65_536], 65_536));
        return false;
      } catch (java.net.SocketTimeoutException expected) {
        return true;
      } finally {
        socket.setSoTimeout(30_000);
      }
    }

    Received receive() throws IOException {
      DatagramPacket packet = new DatagramPacket(new byte[65_536], 65_536);
      socket.receive(packet);
      XdrReader in = new XdrReader(Unpooled.wrappedBuffer(packet.getData(), 0, packet.getLength()));
      CallHeader call = RpcMessages.readCall(in);
      int a = call.procedure() == TestService.ADD.number() ? in.readInt() : 0;
      int b = call.procedure() == TestService.ADD.number() ? in.readInt() : 0;
      return new Received(packet.getSocketAddress(), call.xid(), call.procedure(), a, b);
    }

    void reply(SocketAddress to, int xid, int result) throws IOException {
      send(to, xid, out -> out.writeInt(result));
    }

    void replyVoid(SocketAddress to, int xid) throws IOException {
      send(to, xid, out -> {});
    }

    void replyString(SocketAddress to, int xid, String result) throws IOException {
      send(to, xid, out -> out.writeString(result, Integer.MAX_VALUE));
    }

    private void send(SocketAddress to, int xid, java.util.function.Consumer<XdrWriter> results)
        throws IOException {
      ByteBuf buf = Unpooled.buffer();
      XdrWriter out = new XdrWriter(buf);
      RpcMessages.writeSuccessHeader(out, xid);
      results.accept(out);
      byte[] bytes = new byte[buf.readableBytes()];
      buf.readBytes(bytes);
      socket.send(new DatagramPacket(bytes, bytes.length, to));
    }

    @Override
    public void close() {
      socket.close();
    }
  }
}
