package org.onyxrpc.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.transport.Transport;

/**
 * The C peers move the very bytes of the Java benchmarks ({@link Wire}, checked against Onyx by
 * {@link WireTest}): the C client's ADD and ECHO calls over TCP and UDP, and the C server's
 * replies to the canned calls.
 */
@Timeout(60)
class CWireTest {
  private static CPeers peers;
  private static CServer cServer;

  @BeforeAll
  static void start() throws Exception {
    peers = NativeToolchain.peers();
    cServer = CServer.start(peers);
  }

  @AfterAll
  static void stop() throws Exception {
    if (cServer != null) {
      cServer.close();
    }
  }

  @Test
  void cClientSendsTheCannedCallOverTcp() throws Exception {
    try (BlockingRecordServer server = new BlockingRecordServer().keepLastRecord()) {
      new CClient(peers).latency(Transport.TCP, server.port(), 0, 1);
      assertArrayEquals(withoutMark(Wire.call(), server.lastRecord()), server.lastRecord());
    }
  }

  @Test
  void cClientSendsTheCannedCallOverUdpAndAcceptsTheCannedReply() throws Exception {
    try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Map<String, Double>> run = CompletableFuture.supplyAsync(() -> {
        try {
          return new CClient(peers).latency(Transport.UDP, socket.getLocalPort(), 0, 1);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      DatagramPacket call = new DatagramPacket(new byte[512], 512);
      socket.receive(call);
      byte[] sent = Arrays.copyOf(call.getData(), call.getLength());
      assertArrayEquals(withoutMark(Wire.call(), sent), sent);
      byte[] reply = Wire.reply();
      Wire.setXid(reply, Wire.getInt(sent, 0));
      socket.send(new DatagramPacket(reply, 4, reply.length - 4, call.getSocketAddress()));
      assertEquals(1.0, run.get(30, TimeUnit.SECONDS).get("calls"));
    }
  }

  @Test
  void cClientSendsTheCannedEchoCall() throws Exception {
    byte[] data = new byte[1001]; // not a multiple of 4: the padding is checked too
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) i; // the C client's payload: byte i is i mod 256
    }
    try (BlockingRecordServer server = new BlockingRecordServer().keepLastRecord()) {
      new CClient(peers).echo(server.port(), 0, 1, data.length);
      assertArrayEquals(withoutMark(Wire.echoCall(data), server.lastRecord()), server.lastRecord());
    }
  }

  @Test
  void cServerAnswersTheCannedCallWithTheCannedReply() throws Exception {
    assertArrayEquals(WireTest.expectedReply(0x1234_5678),
        WireTest.exchange(cServer.tcpPort(), Wire.call(), 0x1234_5678));
  }

  @Test
  void cServerAnswersTheCannedEchoCallAsOnyxDoes() throws Exception {
    byte[] data = new byte[1001];
    Arrays.fill(data, (byte) 7);
    try (RpcServer onyx = OnyxPeers.startServer()) {
      assertArrayEquals(WireTest.exchange(onyx.port(), Wire.echoCall(data), 99),
          WireTest.exchange(cServer.tcpPort(), Wire.echoCall(data), 99));
    }
  }

  /** {@code record} without its 4-byte mark, with the xid of {@code sent}. */
  private static byte[] withoutMark(byte[] record, byte[] sent) {
    Wire.setXid(record, Wire.getInt(sent, 0));
    return Arrays.copyOfRange(record, 4, record.length);
  }
}
