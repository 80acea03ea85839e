package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.LeakDetection;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.testing.TestService;

/**
 * A connection closed for garbage that follows a call (a record mark beyond any limit) closes
 * lingering: it shuts its output once the reply is written, then reads and drops what the peer
 * still sends, so that the kernel does not answer the unread garbage with a reset that throws
 * away the reply not yet taken. Over TCP, where that reset happens (raw sockets, so that the
 * client's receive buffer can be made small).
 */
@ExtendWith(LeakDetection.class)
class LingeringCloseTest {
  private static final int GARBAGE_MARK = 0x7fff_ffff;
  /** Far beyond what the client's small receive buffer holds, so most of it waits in the server's send queue. */
  private static final int REPLY_BYTES = 1 << 20;

  private final TestService service = new TestService();
  private RpcServer server;

  private void start(Duration shutdownTimeout) throws Exception {
    server = RpcServer.builder().addService(service.definition()).shutdownTimeout(shutdownTimeout)
        .build().start();
  }

  @AfterEach
  void stop() {
    assertTrue(server.shutdown(Duration.ofSeconds(5)), "nothing is left in flight");
  }

  private Socket connect(int receiveBuffer) throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(receiveBuffer); // before connect: it sets the window offered
    socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
    socket.setSoTimeout(60_000); // only keeps a broken build from hanging
    Await.until(() -> server.connections() == 1); // accepted: its close can be waited for
    return socket;
  }

  @Test
  void aLargeReplyBeforeGarbageArrivesWholeThenEndOfStream() throws Exception {
    start(Duration.ofSeconds(10));
    byte[] blob = new byte[REPLY_BYTES];
    Arrays.fill(blob, (byte) 0x5a);
    byte[] call = RawTcpPeer.call(3, 2, TestService.PROGRAM, 1, TestService.BLOB.number(),
        OpaqueAuth.NONE, ByteBuffer.allocate(4 + blob.length).putInt(blob.length).put(blob).array());
    try (Socket socket = connect(16 << 10)) {
      OutputStream out = socket.getOutputStream();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      bytes.writeBytes(ByteBuffer.allocate(4).putInt(0x8000_0000 | call.length).array());
      bytes.writeBytes(call);
      bytes.writeBytes(ByteBuffer.allocate(4).putInt(GARBAGE_MARK).array());
      bytes.writeBytes(new byte[1 << 20]); // more garbage, which the server no longer decodes
      out.write(bytes.toByteArray());
      out.flush();
      // Not a byte read before the server is done with the connection.
      Await.until(() -> server.connections() == 0);
      DataInputStream in = new DataInputStream(socket.getInputStream());
      byte[] reply = RawTcpPeer.readRecord(in);
      assertEquals(3, ByteBuffer.wrap(reply).getInt(), "xid");
      byte[] result = Arrays.copyOfRange(reply, reply.length - blob.length, reply.length);
      assertArrayEquals(blob, result, "the whole reply");
      assertEquals(-1, in.read(), "then end of stream, not a reset");
    }
  }

  @Test
  void aConnectionIdleWithUnreadBytesWhenTheDrainBeginsEndsWithEndOfStreamNotAReset()
      throws Exception {
    server = RpcServer.builder().addService(service.definition()).maxBufferedBytes(64 << 10)
        .build().start();
    try (RawTcpPeer peer = new RawTcpPeer(server.port())) {
      peer.sendRecord(RawTcpPeer.call(4, 2, TestService.PROGRAM, 1, 2, OpaqueAuth.NONE, new byte[4]));
      assertEquals(4, peer.readReply().xid());
      // No call in flight, and part of a record larger than the byte budget: the connection is
      // not read until the budget has room, and the rest waits unread in the server's kernel.
      peer.writeInt(0x8000_0000 | 1 << 20);
      CompletableFuture<Void> upload = CompletableFuture.runAsync(() -> {
        try {
          peer.sendRaw(new byte[512 << 10]);
        } catch (IOException e) {
          // reset by the server: what the test reads says so
        }
      });
      Await.until(() -> server.openConnections().starved() == 1);
      CompletableFuture<Boolean> shutdown =
          CompletableFuture.supplyAsync(() -> server.shutdown(Duration.ofSeconds(10)));
      assertEquals(-1, peer.read(), "end of stream, not a reset");
      peer.close();
      assertTrue(shutdown.get(1, TimeUnit.MINUTES));
      upload.get(1, TimeUnit.MINUTES);
    }
  }

  @Test
  void aPeerThatNeverStopsSendingIsClosedAtTheLingerDeadline() throws Exception {
    start(Duration.ofMillis(200)); // the linger is no longer than the shutdown timeout
    try (Socket socket = connect(64 << 10)) {
      OutputStream out = socket.getOutputStream();
      out.write(ByteBuffer.allocate(4).putInt(GARBAGE_MARK).array());
      CompletableFuture<Void> flood = CompletableFuture.runAsync(() -> {
        byte[] garbage = new byte[64 << 10];
        try {
          while (true) {
            out.write(garbage);
          }
        } catch (IOException e) {
          // the server closed: what it had not read is answered with a reset
        }
      });
      Await.until(() -> server.connections() == 0);
      flood.get(1, TimeUnit.MINUTES); // the reset ends it
      assertEquals(-1, socket.getInputStream().read(), "its output was shut before the close");
    }
  }
}
