package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.testing.LeakDetection;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.testing.TestService;

/**
 * A client that shuts its side of the connection once its calls are sent ({@code
 * shutdown(SHUT_WR)}, as {@code nc -N} or a batch client does) still gets every reply, as from a
 * libtirpc server; the server closes the connection once they are written.
 */
@ExtendWith(LeakDetection.class)
class HalfClosedPeerTest {
  private final TestService service = new TestService();
  private RpcServer server;

  @BeforeEach
  void start() throws Exception {
    server = RpcServer.builder().addService(service.definition()).build().start();
  }

  @AfterEach
  void stop() {
    service.gate.countDown();
    assertTrue(server.shutdown(Duration.ofSeconds(5)), "nothing is left in flight");
  }

  private static byte[] add(int xid, int a, int b) {
    return RawTcpPeer.call(xid, 2, TestService.PROGRAM, 1, 1, OpaqueAuth.NONE,
        ByteBuffer.allocate(8).putInt(a).putInt(b).array());
  }

  private static byte[] hold(int xid, int n) {
    return RawTcpPeer.call(xid, 2, TestService.PROGRAM, 1, 10, OpaqueAuth.NONE,
        ByteBuffer.allocate(4).putInt(n).array());
  }

  private static int result(byte[] reply) {
    return ByteBuffer.wrap(reply, reply.length - 4, 4).getInt();
  }

  private static int xid(byte[] reply) {
    return ByteBuffer.wrap(reply).getInt();
  }

  @Test
  void callsSentBeforeAHalfCloseAreAllAnswered() throws Exception {
    try (RawTcpPeer peer = new RawTcpPeer(server.port())) {
      for (int i = 1; i <= 20; i++) {
        peer.sendRecord(add(i, i, 100));
      }
      peer.sendRecord(hold(21, 7)); // still running when the half-close arrives
      peer.shutdownOutput();
      java.util.Map<Integer, Integer> results = new java.util.TreeMap<>();
      for (int i = 1; i <= 20; i++) { // in any order: calls run concurrently
        byte[] reply = peer.readRecord();
        results.put(xid(reply), result(reply));
      }
      for (int i = 1; i <= 20; i++) {
        assertEquals(i + 100, results.get(i), "reply to xid " + i);
      }
      service.gate.countDown();
      byte[] held = peer.readRecord();
      assertEquals(21, xid(held));
      assertEquals(7, result(held));
      assertTrue(peer.closedByPeer(), "closed once every reply is written");
    }
  }

  @Test
  void aHalfCloseInTheMiddleOfARecordAnswersTheWholeOnesAndCloses() throws Exception {
    try (RawTcpPeer peer = new RawTcpPeer(server.port())) {
      peer.sendRecord(hold(1, 5));
      peer.writeInt(0x8000_0000 | 100); // a record that will never be whole
      peer.sendRaw(new byte[10]);
      peer.shutdownOutput();
      service.gate.countDown();
      assertEquals(5, result(peer.readRecord()));
      assertTrue(peer.closedByPeer());
    }
  }

  @Test
  void aHalfCloseWithNothingInFlightClosesTheConnection() throws Exception {
    try (RawTcpPeer peer = new RawTcpPeer(server.port())) {
      peer.sendRecord(add(1, 1, 2));
      assertEquals(3, result(peer.readRecord()));
      peer.shutdownOutput();
      assertTrue(peer.closedByPeer());
    }
  }
}
