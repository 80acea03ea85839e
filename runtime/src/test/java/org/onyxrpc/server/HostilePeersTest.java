package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.testing.TestTransport;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.transport.Transport;
import org.junit.jupiter.api.extension.ExtendWith;
import org.onyxrpc.testing.LeakDetection;

/**
 * Peers that send garbage, huge lengths, or stop mid-record get an error reply or a closed
 * connection, and a well-behaved client's calls on the same server carry on undisturbed.
 */
@ExtendWith(LeakDetection.class)
class HostilePeersTest {
  private RpcServer server;
  private final TestService service = new TestService();
  private RpcClient goodClient;
  private CompletableFuture<Integer> goodCallInFlight;

  @BeforeEach
  void start() throws Exception {
    server = TestTransport.server()
        .maxRecordBytes(1024)
        .maxDatagramBytes(512)
        .recordTimeout(Duration.ofMillis(300))
        .addService(service.definition())
        .build()
        .start();
    goodClient = TestTransport.client(server).build();
    // A call that is running on the server the whole time the hostile peer does its worst: held
    // until the test is over (a 700 ms sleep, before, was mostly waited out after each test).
    goodCallInFlight = goodClient.callAsync(TestService.HOLD, 700);
    Await.until(() -> service.holding.get() == 1);
  }

  @AfterEach
  void stop() throws Exception {
    service.gate.countDown();
    assertEquals(700, goodCallInFlight.get(5, TimeUnit.SECONDS), "the good client's call survives");
    assertEquals(5, goodClient.call(TestService.ADD, new TestService.Pair(2, 3)));
    goodClient.close();
    server.close();
  }

  @Test
  void rpcBombLengthInsideASmallRecordIsGarbageArgs() throws Exception {
    try (RawTcpPeer peer = TestTransport.raw(server)) {
      // Test.echo takes string<>: declare 0xFFFFFFFF bytes and send four.
      byte[] args = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 'a', 'b', 'c', 'd'};
      peer.sendRecord(RawTcpPeer.call(9, 2, TestService.PROGRAM, 1, 2, OpaqueAuth.NONE, args));
      assertEquals(ReplyHeader.accepted(9, RpcStatus.GARBAGE_ARGS), peer.readReply());
      args[0] = 0x7F; // and 2^31 - 1, which a naive reader would allocate
      peer.sendRecord(RawTcpPeer.call(10, 2, TestService.PROGRAM, 1, 2, OpaqueAuth.NONE, args));
      assertEquals(ReplyHeader.accepted(10, RpcStatus.GARBAGE_ARGS), peer.readReply());
    }
  }

  @Test
  void recordOverTheMaximumClosesTheConnectionBeforeItsBytesArrive() throws Exception {
    try (RawTcpPeer peer = TestTransport.raw(server)) {
      peer.writeInt(0x8000_0000 | 0x7FFF_FFFF); // a 2 GiB record; none of it follows
      assertTrue(peer.closedByPeer());
    }
    try (RawTcpPeer peer = TestTransport.raw(server)) {
      // Two fragments that are each allowed but together exceed 1024 bytes.
      peer.writeInt(600);
      peer.sendRaw(new byte[600]);
      peer.writeInt(0x8000_0000 | 600);
      assertTrue(peer.closedByPeer());
    }
  }

  /**
   * Only the 300 ms record timeout can close this connection (the server has no idle timeout, and
   * its other limits are not reached), so the bound need only tell that close from none at all:
   * a minute, rather than 4 s that a loaded machine may use up (the peer's own 5 s read timeout
   * too, which closedByPeer would have taken for "not closed").
   */
  @Test
  void peerThatStopsMidRecordIsDisconnected() throws Exception {
    try (RawTcpPeer peer = TestTransport.raw(server)) {
      peer.timeout(60_000);
      peer.writeInt(0x8000_0000 | 100);
      peer.sendRaw(new byte[10]);
      long start = System.nanoTime();
      assertTrue(peer.closedByPeer());
      assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(60));
    }
  }

  @Test
  void garbageRecordIsDroppedAndTheConnectionServesOn() throws Exception {
    try (RawTcpPeer peer = TestTransport.raw(server)) {
      peer.sendRecord(new byte[] {1, 2, 3}); // not even an xid and a type
      peer.sendRecord(new byte[] {0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0}); // a "reply" sent to a server
      peer.sendRecord(RawTcpPeer.call(11, 2, TestService.PROGRAM, 1, 1, OpaqueAuth.NONE,
          new byte[] {0, 0, 0, 4, 0, 0, 0, 5}));
      assertEquals(ReplyHeader.accepted(11, RpcStatus.SUCCESS), peer.readReply());
    }
    assertEquals(2, server.stats().malformedMessages());
  }

  @Test
  void multiFragmentRecordDribbledByteByByteIsAccepted() throws Exception {
    byte[] call = RawTcpPeer.call(12, 2, TestService.PROGRAM, 1, 1, OpaqueAuth.NONE,
        new byte[] {0, 0, 0, 20, 0, 0, 0, 22});
    try (RawTcpPeer peer = TestTransport.raw(server)) {
      int[] cuts = {0, 5, 17, call.length};
      java.io.ByteArrayOutputStream wire = new java.io.ByteArrayOutputStream();
      for (int i = 0; i + 1 < cuts.length; i++) {
        int length = cuts[i + 1] - cuts[i];
        int header = (i + 2 == cuts.length ? 0x8000_0000 : 0) | length;
        wire.write(new byte[] {(byte) (header >>> 24), (byte) (header >>> 16), (byte) (header >>> 8), (byte) header});
        wire.write(call, cuts[i], length);
      }
      for (byte b : wire.toByteArray()) {
        peer.sendRaw(new byte[] {b});
      }
      byte[] reply = peer.readRecord();
      assertEquals(42, java.nio.ByteBuffer.wrap(reply, reply.length - 4, 4).getInt());
    }
  }

  @Test
  void udpGarbageAndOversizedDatagramsAreDropped() throws Exception {
    try (DatagramSocket socket = new DatagramSocket()) {
      InetAddress loopback = InetAddress.getLoopbackAddress();
      socket.send(new DatagramPacket(new byte[513], 513, loopback, server.port()));
      socket.send(new DatagramPacket(new byte[] {9, 9}, 2, loopback, server.port()));
      byte[] call = RawTcpPeer.call(13, 2, TestService.PROGRAM, 1, 1, OpaqueAuth.NONE,
          new byte[] {0, 0, 0, 1, 0, 0, 0, 1});
      socket.send(new DatagramPacket(call, call.length, loopback, server.port()));
      socket.setSoTimeout(5_000);
      DatagramPacket reply = new DatagramPacket(new byte[600], 600);
      socket.receive(reply);
      assertEquals(13, java.nio.ByteBuffer.wrap(reply.getData()).getInt());
    }
    assertEquals(1, server.stats().droppedDatagrams());
    assertEquals(1, server.stats().malformedMessages());
  }

  @Test
  void udpClientWorksBesideHostilePeers() {
    try (RpcClient udp = RpcClient.builder().address("127.0.0.1", server.port())
        .transport(Transport.UDP).build()) {
      assertEquals(9, udp.call(TestService.ADD, new TestService.Pair(4, 5)));
    }
  }

  @Test
  void emptyFragmentsCountAgainstTheRecordLimit() throws Exception {
    try (RawTcpPeer peer = TestTransport.raw(server)) {
      // Fragment headers of zero length, not last: each used to cost the server a buffer
      // component, and none counted against the limit. 1 MiB of them; 1,028 bytes are enough.
      try {
        for (int i = 0; i < 16; i++) {
          peer.sendRaw(new byte[64 << 10]);
        }
      } catch (java.io.IOException closedWhileSending) {
        // what the fix does: the server closed the connection
      }
      assertTrue(peer.closedByPeer());
    }
  }
}
