package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.rpc.CallHeader;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.xdr.XdrCodecs;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;

/**
 * A call whose deadline passes while it waits for the NULL ping that goes first (the tag probe:
 * a server slow to answer, as a single-threaded C server busy with another client's call, or a
 * connection still being set up) fails TIMEOUT, "not sent". It must then never be sent: before,
 * it went out when the ping's answer came, after its caller had been told it was not sent, and
 * the server ran it (a caller that tried again ran it twice). So for a call cancelled meanwhile.
 */
class ExpiredBeforeItsProbeTest {
  private static final int PROGRAM = 0x20000601;
  private static final Procedure<Long, Long> RECORD =
      new Procedure<>(PROGRAM, 1, 1, "Expired.record", XdrCodecs.HYPER, XdrCodecs.HYPER);
  /** Sent after the call, on the same connection: once the server has it, it has every copy. */
  private static final Procedure<Long, Long> MARKER =
      new Procedure<>(PROGRAM, 1, 2, "Expired.marker", XdrCodecs.HYPER, XdrCodecs.HYPER);

  private final ServerSocket listener;
  private final List<Integer> seen = new CopyOnWriteArrayList<>(); // procedures other than NULL
  private volatile CountDownLatch pingRead = new CountDownLatch(1);
  private volatile CountDownLatch answerPing = new CountDownLatch(1);
  /** Two markers: when the second is read, whatever the client wrote with the first is too. */
  private volatile CountDownLatch markerRead = new CountDownLatch(2);

  ExpiredBeforeItsProbeTest() throws IOException {
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

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = CallSemantics.class, names = {"AT_MOST_ONCE", "AT_LEAST_ONCE"})
  void aCallThatExpiredWaitingForItsProbeIsNeverSent(CallSemantics semantics) throws Exception {
    ManualTimer clock = new ManualTimer();
    try (RpcClient client = client(clock)) {
      CompletableFuture<Long> call = client.callAsync(RECORD, 1L,
          CallOptions.DEFAULT.withSemantics(semantics).withDeadline(Duration.ofMillis(300)));
      assertTrue(pingRead.await(1, TimeUnit.MINUTES));
      clock.advance(Duration.ofMillis(301)); // past the call's deadline, within the ping's
      ExecutionException failed = assertThrows(ExecutionException.class,
          () -> call.get(1, TimeUnit.MINUTES));
      RpcException e = assertInstanceOf(RpcException.class, failed.getCause());
      assertEquals(RpcStatus.TIMEOUT, e.status(), e::toString);
      assertTrue(e.getMessage().contains("not sent"), e::getMessage);
      assertOnlyMarkersRunOnceThePingIsAnswered(client, semantics);
    }
  }

  /** The same for a call its caller cancelled while it waited. */
  @ParameterizedTest(name = "{0}")
  @EnumSource(value = CallSemantics.class, names = {"AT_MOST_ONCE", "AT_LEAST_ONCE"})
  void aCallCancelledWhileItWaitsForItsProbeIsNeverSent(CallSemantics semantics) throws Exception {
    try (RpcClient client = client(new ManualTimer())) {
      CompletableFuture<Long> call = client.callAsync(RECORD, 1L,
          CallOptions.DEFAULT.withSemantics(semantics));
      assertTrue(pingRead.await(1, TimeUnit.MINUTES));
      assertTrue(call.cancel(true));
      assertOnlyMarkersRunOnceThePingIsAnswered(client, semantics);
    }
  }

  private RpcClient client(ManualTimer clock) {
    return RpcClient.builder().address("127.0.0.1", listener.getLocalPort())
        .timer(clock).timeout(Duration.ofSeconds(100)).attemptTimeout(Duration.ofSeconds(10)).build();
  }

  private void assertOnlyMarkersRunOnceThePingIsAnswered(RpcClient client, CallSemantics semantics)
      throws Exception {
    answerPing.countDown();
    for (int i = 0; i < 2; i++) {
      assertEquals(2L, client.callAsync(MARKER, 2L, CallOptions.DEFAULT.withSemantics(semantics))
          .get(1, TimeUnit.MINUTES));
    }
    assertTrue(markerRead.await(1, TimeUnit.MINUTES));
    assertEquals(List.of(MARKER.number(), MARKER.number()), seen, "the calls the server ran");
  }
}
