package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.rpc.CallHeader;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.xdr.XdrCodecs;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;

/**
 * A retransmitting call waits for the NULL ping that asks whether its server filters duplicates
 * (the tag probe). When the call's first attempt timeout passes before the ping is answered but
 * within the ping's own deadline, the call must still go out once when the answer comes: to a
 * server that knows nothing of tags, as a C server, a second transmission of an at-most-once call
 * runs it again. Before: each attempt timeout spent waiting added another wait on the same ping,
 * and each sent the call (uncounted as a retransmission).
 */
class LateTagProbeTest {
  private static final int PROGRAM = 0x20000600;
  private static final Procedure<Long, Long> RECORD =
      new Procedure<>(PROGRAM, 1, 1, "Late.record", XdrCodecs.HYPER, XdrCodecs.HYPER);
  /** Sent after the call, on the same connection: once the server has it, it has every copy. */
  private static final Procedure<Long, Long> MARKER =
      new Procedure<>(PROGRAM, 1, 2, "Late.marker", XdrCodecs.HYPER, XdrCodecs.HYPER);

  private final ServerSocket listener;
  private final List<Integer> seen = new CopyOnWriteArrayList<>(); // procedures other than NULL
  private volatile CountDownLatch pingRead = new CountDownLatch(1);
  private volatile CountDownLatch answerPing = new CountDownLatch(1);
  private volatile CountDownLatch markerRead = new CountDownLatch(1);

  LateTagProbeTest() throws IOException {
    listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::serve, "plain-server");
    t.setDaemon(true);
    t.start();
  }

  @AfterEach
  void stop() throws IOException {
    listener.close();
  }

  /** A server without tags, as a C one: answers each call untagged, the NULL ping when told. */
  private void serve() {
    while (true) {
      try (Socket s = listener.accept(); DataInputStream in = new DataInputStream(s.getInputStream())) {
        OutputStream out = s.getOutputStream();
        while (true) {
          byte[] record = new byte[in.readInt() & 0x7FFF_FFFF];
          in.readFully(record);
          CallHeader call = RpcMessages.readCall(new XdrReader(Unpooled.wrappedBuffer(record)));
          if (call.procedure() == 0) {
            pingRead.countDown();
            answerPing.await();
          } else {
            seen.add(call.procedure());
          }
          ByteBuf reply = Unpooled.buffer();
          reply.writeInt(0);
          RpcMessages.writeReply(new XdrWriter(reply), ReplyHeader.accepted(call.xid(), RpcStatus.SUCCESS));
          if (call.procedure() != 0) {
            reply.writeLong(call.procedure());
          }
          reply.setInt(0, 0x8000_0000 | (reply.readableBytes() - 4));
          out.write(reply.array(), reply.arrayOffset(), reply.readableBytes());
          out.flush();
          if (call.procedure() == MARKER.number()) {
            markerRead.countDown();
          }
        }
      } catch (IOException e) {
        if (listener.isClosed()) {
          return; // the test is over; otherwise the client of one round went
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  @Test
  void anAtMostOnceCallIsSentOnceWhenItsProbeIsAnsweredAfterItsAttemptTimeout() throws Exception {
    // The call's first attempt timeout falls, jittered, anywhere in 0.8 s to 1.2 s; the ping's
    // deadline is 1 s: the clock is moved to just before that, so in about half of the rounds the
    // call's timer has fired while it waited. Twenty rounds make a round without it unlikely.
    for (int round = 0; round < 20; round++) {
      seen.clear();
      pingRead = new CountDownLatch(1);
      answerPing = new CountDownLatch(1);
      markerRead = new CountDownLatch(1);
      ManualTimer clock = new ManualTimer();
      try (RpcClient client = RpcClient.builder().address("127.0.0.1", listener.getLocalPort())
          .timer(clock).timeout(Duration.ofSeconds(100)).attemptTimeout(Duration.ofSeconds(1)).build()) {
        CompletableFuture<Long> call = client.callAsync(RECORD, 1L,
            CallOptions.DEFAULT.withSemantics(CallSemantics.AT_MOST_ONCE));
        assertTrue(pingRead.await(1, TimeUnit.MINUTES));
        clock.advance(Duration.ofMillis(999));
        answerPing.countDown();
        assertEquals(1L, call.get(1, TimeUnit.MINUTES));
        assertEquals(2L, client.callAsync(MARKER, 2L, CallOptions.DEFAULT.withSemantics(CallSemantics.MAYBE))
            .get(1, TimeUnit.MINUTES));
        assertTrue(markerRead.await(1, TimeUnit.MINUTES));
        assertEquals(List.of(RECORD.number(), MARKER.number()), seen, "round " + round);
        assertEquals(0, client.stats().retransmissions());
      }
    }
  }
}
