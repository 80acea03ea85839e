package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.LeakDetection;
import org.onyxrpc.testing.LoopbackHosts;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.testing.TestTransport;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * A peer that pipelines small calls with large results and never reads the replies: the server
 * must not hold them for it without bound (four such peers exhausted 256 MiB of direct memory
 * with 40-byte calls). Replies its peer has not taken count against {@code maxBufferedBytes};
 * once that is spent, the connection whose replies pile up unread is closed, and everyone else
 * is served.
 */
@ExtendWith(LeakDetection.class)
class UnreadRepliesTest {
  private static final int PROGRAM = 0x20000203;
  /** n zero bytes: a small call with a large result, as a file server's read. */
  static final Procedure<Integer, byte[]> READ =
      new Procedure<>(PROGRAM, 1, 1, "Replies.read", XdrCodecs.INT, XdrCodecs.OPAQUE);

  /** Answers once the test opens the gate, so that every call is read before any reply. */
  private final CountDownLatch gate = new CountDownLatch(1);

  private ServiceDefinition reads() {
    return ServiceDefinition.builder(PROGRAM, 1).procedure(READ, (n, ctx) -> {
      gate.await();
      return new byte[n];
    }).build();
  }

  @Test
  void aPeerThatDoesNotReadItsRepliesIsClosedOnceTheBudgetIsSpent() throws Exception {
    int calls = 64;
    int resultBytes = 1 << 20; // 64 MiB of replies for 64 small calls: far beyond socket buffers
    long budget = 1 << 20;
    try (RpcServer server = TestTransport.server().maxBufferedBytes(budget)
            .idleTimeout(Duration.ofMinutes(10)) // not what closes it
            .addService(reads()).addService(new TestService().definition()).build().start();
        Socket greedy = new Socket()) {
      greedy.setReceiveBufferSize(4096);
      greedy.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
      ByteArrayOutputStream pipelined = new ByteArrayOutputStream();
      for (int xid = 1; xid <= calls; xid++) {
        byte[] call = RawTcpPeer.call(xid, 2, PROGRAM, 1, 1, OpaqueAuth.NONE,
            ByteBuffer.allocate(4).putInt(resultBytes).array());
        pipelined.write(ByteBuffer.allocate(4).putInt(0x8000_0000 | call.length).array());
        pipelined.write(call);
      }
      greedy.getOutputStream().write(pipelined.toByteArray());
      LimitsAndShutdownTest.awaitCalls(server, calls);
      gate.countDown();
      Await.until(() -> server.callsInFlight() == 0); // every reply made, none read

      try (RpcClient good = TestTransport.client(server).timeout(Duration.ofSeconds(10)).build()) {
        assertEquals(5, good.call(TestService.ADD, new TestService.Pair(2, 3)));
        assertArrayEquals(new byte[1000], good.call(READ, 1000));
      }
      Await.until(() -> server.unreadReplyBytes() == 0); // the unread replies were let go

      greedy.setSoTimeout(5_000);
      int replies = readRepliesUntilClosed(new DataInputStream(greedy.getInputStream()));
      assertTrue(replies >= 0 && replies < calls,
          "closed before the server had kept every unread reply; read " + replies);
    }
  }

  @Test
  void uploadsThatSpendTheBudgetForRecordsDoNotCostASlowReaderItsReply() throws Exception {
    gate.countDown();
    long budget = 1 << 20;
    int resultBytes = 512 << 10; // half the budget: more than the sockets take at once
    try (RpcServer server = TestTransport.server().maxBufferedBytes(budget)
            .addService(reads()).build().start();
        // Two hosts: one address holds at most half of the budget for records.
        RawTcpPeer upload1 = new RawTcpPeer(server.port(), LoopbackHosts.host("127.0.0.2"));
        RawTcpPeer upload2 = new RawTcpPeer(server.port(), LoopbackHosts.host("127.0.0.3"));
        Socket reader = new Socket()) {
      for (RawTcpPeer upload : List.of(upload1, upload2)) {
        upload.writeInt(0x8000_0000 | (4 << 20));
        upload.sendRaw(new byte[1 << 20]); // 1 MiB of a 4 MiB record each
      }
      Await.until(() -> server.bufferedBytes() >= budget);

      reader.setReceiveBufferSize(4096);
      reader.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
      byte[] call = RawTcpPeer.call(1, 2, PROGRAM, 1, 1, OpaqueAuth.NONE,
          ByteBuffer.allocate(4).putInt(resultBytes).array());
      // In one write: a connection holding part of a record is not read while that budget is spent.
      reader.getOutputStream().write(
          ByteBuffer.allocate(4 + call.length).putInt(0x8000_0000 | call.length).put(call).array());
      LimitsAndShutdownTest.awaitCalls(server, 1);
      Await.until(() -> server.callsInFlight() == 0); // the reply is made and waits for its reader

      reader.setSoTimeout(5_000);
      DataInputStream in = new DataInputStream(reader.getInputStream());
      int header = in.readInt();
      byte[] reply = new byte[header & 0x7FFF_FFFF];
      in.readFully(reply); // the whole reply: the connection was not closed under it
      assertEquals(24 + 4 + resultBytes, reply.length);
    }
  }

  /** Replies read before the stream ends, or -1 if it is still open when none comes. */
  static int readRepliesUntilClosed(DataInputStream in) throws IOException {
    int replies = 0;
    try {
      while (true) {
        int header = in.readInt();
        in.skipNBytes(header & 0x7FFF_FFFF);
        replies++;
      }
    } catch (SocketTimeoutException open) {
      return -1;
    } catch (IOException closed) { // end of stream, or reset
      return replies;
    }
  }
}
