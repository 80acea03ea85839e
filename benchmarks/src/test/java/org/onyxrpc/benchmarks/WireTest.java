package org.onyxrpc.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.onyxrpc.client.RpcClient;

/** The baselines move exactly the bytes Onyx moves: checked against Onyx in both directions. */
@Timeout(20)
class WireTest {
  @Test
  void cannedRecordsHaveTheExpectedSizes() {
    assertEquals(52, Wire.call().length);
    assertEquals(32, Wire.reply().length);
  }

  @Test
  void onyxClientSendsTheCannedCallAndAcceptsTheCannedReply() throws IOException {
    try (BlockingRecordServer server = new BlockingRecordServer().keepLastRecord();
        RpcClient client = RpcClient.builder().address("127.0.0.1", server.port()).build()) {
      assertEquals(5, client.call(AddProgram.ADD, AddProgram.ARGS));
      byte[] sent = server.lastRecord();
      byte[] expected = Wire.call();
      Wire.setXid(expected, Wire.getInt(sent, 0));
      assertArrayEquals(Arrays.copyOfRange(expected, 4, expected.length), sent);
    }
  }

  @Test
  void onyxServerAnswersTheCannedCallWithTheCannedReply() throws Exception {
    try (OnyxPeers onyx = new OnyxPeers()) {
      assertArrayEquals(expectedReply(0x1234_5678), exchange(onyx.server.port(), 0x1234_5678));
    }
  }

  @Test
  void nettyBaselineServerAnswersLikeOnyx() throws Exception {
    try (NettyRecordServer server = new NettyRecordServer()) {
      assertArrayEquals(expectedReply(42), exchange(server.port(), 42));
    }
  }

  private static byte[] expectedReply(int xid) {
    byte[] reply = Wire.reply();
    Wire.setXid(reply, xid);
    return reply;
  }

  private static byte[] exchange(int port, int xid) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      byte[] call = Wire.call();
      Wire.setXid(call, xid);
      s.getOutputStream().write(call);
      byte[] reply = new byte[Wire.reply().length];
      new DataInputStream(s.getInputStream()).readFully(reply);
      return reply;
    }
  }
}
