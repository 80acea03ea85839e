package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.LeakDetection;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.testing.TestTransport;

/**
 * A client that pipelines calls and then garbage in one write gets the replies to its calls
 * before the server closes the connection for the garbage, as from a half-close; a call that
 * never finishes holds the close up no longer than the shutdown timeout. Over every record-marked
 * transport (TestTransport: the pom runs it again over Unix-domain and in-process streams).
 */
@ExtendWith(LeakDetection.class)
class RepliesBeforeACloseTest {
  /** A record mark beyond any record limit: the decoder gives up on the stream at once. */
  private static final int GARBAGE_MARK = 0x7fff_ffff;

  private final TestService service = new TestService();
  private RpcServer server;

  private void start(Duration shutdownTimeout) throws Exception {
    server = TestTransport.server().addService(service.definition()).shutdownTimeout(shutdownTimeout)
        .build().start();
  }

  @AfterEach
  void stop() {
    service.gate.countDown();
    assertTrue(server.shutdown(Duration.ofSeconds(5)), "nothing is left in flight");
  }

  /** One record of {@code call}, then a garbage record mark, as the bytes of one write. */
  private static byte[] callThenGarbage(byte[] call) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes(ByteBuffer.allocate(4).putInt(0x8000_0000 | call.length).array());
    bytes.writeBytes(call);
    bytes.writeBytes(ByteBuffer.allocate(8).putInt(GARBAGE_MARK).putInt(42).array());
    return bytes.toByteArray();
  }

  @Test
  void aNullCallBeforeGarbageInTheSameWriteIsAnsweredThenTheConnectionCloses() throws Exception {
    start(Duration.ofSeconds(10));
    try (RawTcpPeer peer = TestTransport.raw(server)) {
      peer.sendRaw(callThenGarbage(
          RawTcpPeer.call(7, 2, TestService.PROGRAM, 1, 0, OpaqueAuth.NONE, new byte[0])));
      assertEquals(ReplyHeader.accepted(7, RpcStatus.SUCCESS), peer.readReply());
      assertTrue(peer.closedByPeer(), "closed once the reply is written");
    }
  }

  @Test
  void aCallStillRunningWhenGarbageArrivesIsAnsweredBeforeTheClose() throws Exception {
    start(Duration.ofSeconds(10));
    try (RawTcpPeer peer = TestTransport.raw(server)) {
      peer.sendRaw(callThenGarbage(TestService.rawHold(8, 5)));
      Await.until(() -> service.holding.get() == 1);
      service.gate.countDown();
      byte[] reply = peer.readRecord();
      assertEquals(8, ByteBuffer.wrap(reply).getInt(), "xid");
      assertEquals(5, ByteBuffer.wrap(reply, reply.length - 4, 4).getInt(), "result");
      assertTrue(peer.closedByPeer(), "closed once the reply is written");
    }
  }

  @Test
  void aCallThatNeverFinishesHoldsTheCloseUpNoLongerThanTheShutdownTimeout() throws Exception {
    start(Duration.ofMillis(200));
    try (RawTcpPeer peer = TestTransport.raw(server)) {
      peer.sendRaw(callThenGarbage(TestService.rawHold(9, 1)));
      Await.until(() -> service.holding.get() == 1);
      assertTrue(peer.closedByPeer(), "closed without the reply the held call never made");
    }
  }
}
