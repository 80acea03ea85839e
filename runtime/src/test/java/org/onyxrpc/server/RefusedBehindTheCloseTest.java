package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.LeakDetection;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;
import org.onyxrpc.xdr.XdrReader;

/**
 * An event-loop connection whose drain is over while its peer has not yet taken a large reply
 * closes behind that reply: its output is shut once the reply is written. A record the peer sends
 * meanwhile cannot be answered (a refusal would be queued behind the close, and the output's
 * shutdown throws it away), so it is dropped, not refused: the server never counts a refusal its
 * peer does not read.
 */
@ExtendWith(LeakDetection.class)
class RefusedBehindTheCloseTest {
  private static final int PROGRAM = 0x20000a50;
  private static final Procedure<Void, Integer> COUNT = new Procedure<>(PROGRAM, 1, 1,
      "BehindClose.count", XdrCodecs.VOID, XdrCodecs.INT);
  /** Held until the test completes it: a reply above the high water mark. */
  private static final Procedure<Void, byte[]> LARGE = new Procedure<>(PROGRAM, 1, 2,
      "BehindClose.large", XdrCodecs.VOID, XdrCodecs.OPAQUE);
  /** Held until the test completes it: a reply below the low water mark, written behind. */
  private static final Procedure<Void, byte[]> SMALL = new Procedure<>(PROGRAM, 1, 3,
      "BehindClose.small", XdrCodecs.VOID, XdrCodecs.OPAQUE);
  /** Refusals of more bytes than the send buffer holds: not all go out with the replies' end. */
  private static final int CALLS = 1000;
  private static final int LARGE_BYTES = 256 * 1024;
  private static final int SMALL_BYTES = 24 * 1024;
  /** Netty's default low water mark, below which a channel is writable again. */
  private static final int LOW_WATER_MARK = 32 * 1024;

  @Test
  void recordsSentWhileTheCloseWaitsForTheRepliesAreNotRefused() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    CompletableFuture<byte[]> large = new CompletableFuture<>();
    CompletableFuture<byte[]> small = new CompletableFuture<>();
    CountDownLatch started = new CountDownLatch(2);
    RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .transports(Transport.TCP).tcpIo(TcpIo.EVENT_LOOP).directory(Directory.none())
        .shutdownTimeout(Duration.ofMinutes(1))
        .addService(ServiceDefinition.builder(PROGRAM, 1)
            .procedure(COUNT, (v, ctx) -> runs.incrementAndGet())
            .asyncProcedure(LARGE, (v, ctx) -> {
              started.countDown();
              return large;
            })
            .asyncProcedure(SMALL, (v, ctx) -> {
              started.countDown();
              return small;
            })
            .build())
        .build().start();
    byte[] largeReply = filled(LARGE_BYTES, 7);
    byte[] smallReply = filled(SMALL_BYTES, 9);
    Thread shutdown = new Thread(server::close, "shutdown");
    try (Socket peer = RawTcpPeer.smallWindow(server.port())) {
      OutputStream out = peer.getOutputStream();
      out.write(RawTcpPeer.records(RawTcpPeer.call(1, PROGRAM, 1, LARGE.number(), OpaqueAuth.NONE,
          new byte[0]), 1));
      out.write(RawTcpPeer.records(RawTcpPeer.call(2, PROGRAM, 1, SMALL.number(), OpaqueAuth.NONE,
          new byte[0]), 1));
      assertTrue(started.await(1, TimeUnit.MINUTES), "both calls started");
      server.openConnections().sendBuffers(4096); // so the kernel takes the replies a little at a time
      shutdown.start();
      Await.until(server::draining);
      long refusedBefore = server.refusedDraining();
      large.complete(largeReply); // above the high water mark: the channel is not writable
      small.complete(smallReply); // written behind it
      // Both calls done and the drain's grace over, the connection closes behind the replies,
      // which wait for the peer to read them.
      Await.until(() -> server.openConnections().drainOver() == 1);
      // The peer takes the replies a little at a time until the large one is written and only the
      // small one waits in the channel's buffer, below the low water mark: the channel is writable
      // again, and the close still waits for the small reply. The peer stops reading: that holds.
      DataInputStream in = new DataInputStream(peer.getInputStream());
      ByteArrayOutputStream taken = new ByteArrayOutputStream();
      byte[] chunk = new byte[256];
      long pending = server.openConnections().pendingWriteBytes();
      while (pending >= LOW_WATER_MARK) {
        in.readFully(chunk);
        taken.write(chunk);
        pending = server.openConnections().pendingWriteBytes();
      }
      assertTrue(pending > 0, "the small reply was written whole before the test could send");

      out.write(RawTcpPeer.records(RawTcpPeer.call(3, PROGRAM, 1, COUNT.number(), OpaqueAuth.NONE,
          new byte[0]), CALLS));
      peer.shutdownOutput(); // the server reads the calls, then this end
      DataInputStream rest = new DataInputStream(new SequenceInputStream(
          new ByteArrayInputStream(taken.toByteArray()), in));
      assertArrayEquals(largeReply, result(rest));
      assertArrayEquals(smallReply, result(rest));
      int refusalsRead = 0;
      while (true) {
        byte[] record;
        try {
          record = RawTcpPeer.readRecord(rest);
        } catch (EOFException end) {
          break; // the server's end shut behind its replies
        }
        XdrReader reply = new XdrReader(Unpooled.wrappedBuffer(record));
        assertEquals(RpcStatus.PROG_UNAVAIL, RpcMessages.readReply(reply).status());
        refusalsRead++;
      }
      shutdown.join(TimeUnit.MINUTES.toMillis(2));
      assertEquals(0, runs.get(), "run after the drain");
      assertEquals(server.refusedDraining() - refusedBefore, refusalsRead,
          "refusals the server counted (left) and the peer read (right): the others were written "
          + "behind the close and thrown away when the output was shut");
    } finally {
      large.complete(largeReply);
      small.complete(smallReply);
      if (shutdown.isAlive()) {
        shutdown.join(TimeUnit.MINUTES.toMillis(2));
      }
      server.close();
    }
  }

  private static byte[] result(DataInputStream in) throws IOException {
    XdrReader reply = new XdrReader(Unpooled.wrappedBuffer(RawTcpPeer.readRecord(in)));
    assertEquals(RpcStatus.SUCCESS, RpcMessages.readReply(reply).status());
    return XdrCodecs.OPAQUE.decode(reply);
  }

  private static byte[] filled(int size, int value) {
    byte[] bytes = new byte[size];
    Arrays.fill(bytes, (byte) value);
    return bytes;
  }
}
