package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.xdr.XdrCodecs;
import org.onyxrpc.testing.LeakDetection;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.transport.Transport;

/** Datagrams at the edges of what UDP carries, from a raw socket. */
@ExtendWith(LeakDetection.class)
class UdpDatagramEdgesTest {
  private RpcServer server;
  private DatagramSocket socket;

  @BeforeEach
  void start() throws Exception {
    server = RpcServer.builder().transports(Transport.UDP)
        .addService(new TestService().definition()).build().start();
    socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    socket.setSoTimeout(60_000);
    socket.setReceiveBufferSize(1 << 20);
  }

  @AfterEach
  void stop() {
    socket.close();
    server.close();
  }

  private void send(byte[] datagram) throws Exception {
    socket.send(new DatagramPacket(datagram, datagram.length, InetAddress.getLoopbackAddress(), server.port()));
  }

  private ByteBuffer receive() throws Exception {
    DatagramPacket reply = new DatagramPacket(new byte[70_000], 70_000);
    socket.receive(reply);
    return ByteBuffer.wrap(Arrays.copyOf(reply.getData(), reply.getLength()));
  }

  private static byte[] add(int xid) {
    return RawTcpPeer.call(xid, 2, TestService.PROGRAM, 1, 1, OpaqueAuth.NONE,
        ByteBuffer.allocate(8).putInt(40).putInt(2).array());
  }

  /**
   * A valid header whose AUTH_SYS credential says 400 bytes where 20 follow. libtirpc's svc_dg
   * drops such a datagram unanswered (xdr_callmsg fails); Onyx refuses it AUTH_BADCRED, a reply
   * no longer than the datagram (no amplification), so its sender learns the call did not run.
   * The next call is served.
   */
  @Test
  void aCredentialRunningPastTheDatagramsEndIsRefusedAndTheNextCallServed() throws Exception {
    ByteBuffer bad = ByteBuffer.allocate(24 + 8 + 20);
    bad.putInt(501).putInt(0).putInt(2).putInt(TestService.PROGRAM).putInt(1).putInt(1);
    bad.putInt(1).putInt(400).put(new byte[20]); // AUTH_SYS, 400 bytes said, 20 sent
    send(bad.array());
    ByteBuffer refused = receive();
    assertEquals(501, refused.getInt(0));
    assertArrayEquals(new int[] {1, 1, 1}, new int[] {refused.getInt(8), refused.getInt(12), refused.getInt(16)},
        "MSG_DENIED, AUTH_ERROR, AUTH_BADCRED");
    assertEquals(0, server.stats().calls(), "not run");

    send(add(502));
    ByteBuffer served = receive();
    assertEquals(502, served.getInt(0));
    assertEquals(42, served.getInt(served.limit() - 4));
  }

  /**
   * 65,507 bytes (the most an IPv4 datagram carries) is not a whole number of XDR units: the
   * largest call is 65,504 bytes, echoed; the same call with three bytes more is GARBAGE_ARGS
   * (not run), where libtirpc would ignore the bytes after the arguments.
   */
  @Test
  void theLargestDatagramsAreReadWhole() throws Exception {
    int data = 65_504 - 40 - 4; // the call header with AUTH_NONE twice, the opaque's length
    byte[] blob = new byte[data];
    Arrays.fill(blob, (byte) 9);
    byte[] args = ByteBuffer.allocate(4 + data).putInt(data).put(blob).array();
    byte[] largest = RawTcpPeer.call(503, 2, TestService.PROGRAM, 1, 7, OpaqueAuth.NONE, args);
    assertEquals(65_504, largest.length);
    send(largest);
    ByteBuffer echoed = receive();
    assertEquals(503, echoed.getInt(0));
    assertEquals(0, echoed.getInt(20), "SUCCESS");
    assertEquals(data, echoed.getInt(24));
    assertArrayEquals(blob, Arrays.copyOfRange(echoed.array(), 28, 28 + data));

    byte[] exact = Arrays.copyOf(largest, 65_507);
    ByteBuffer.wrap(exact).putInt(0, 504);
    send(exact);
    ByteBuffer refused = receive();
    assertEquals(504, refused.getInt(0));
    assertEquals(4, refused.getInt(20), "GARBAGE_ARGS");
  }

  /**
   * A result larger than a datagram carries: libtirpc's svc_dg_reply fails to encode it into
   * its send buffer and sends nothing, so an rpcgen client waits out its timeout. Onyx sends
   * SYSTEM_ERR (the procedure ran), so the client hears at once, well before its deadline.
   */
  @Test
  void aResultTooLargeForADatagramIsSystemErrNotSilence() throws Exception {
    Procedure<Void, byte[]> huge = new Procedure<>(0x20000199, 1, 1, "Huge.get", XdrCodecs.VOID, XdrCodecs.OPAQUE);
    try (RpcServer big = RpcServer.builder().transports(Transport.UDP).addService(
            ServiceDefinition.builder(0x20000199, 1).procedure(huge, (v, ctx) -> new byte[70_000]).build())
            .build().start();
        RpcClient client = RpcClient.builder().address("127.0.0.1", big.port()).transport(Transport.UDP)
            .timeout(Duration.ofMinutes(5)).build()) {
      RpcException e = assertThrows(RpcException.class, () -> client.call(huge, null));
      assertEquals(RpcStatus.SYSTEM_ERR, e.status(), e.getMessage());
    }
  }
}
