package org.onyxrpc.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
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

  @Test
  void echoRecordsAreOnyxsEchoRecordsBothWays() throws Exception {
    byte[] data = new byte[1001]; // not a multiple of 4: the padding is checked too
    Arrays.fill(data, (byte) 7);
    try (BlockingRecordServer blocking = new BlockingRecordServer().keepLastRecord();
        OnyxPeers onyx = new OnyxPeers();
        RpcClient client = RpcClient.builder().address("127.0.0.1", blocking.port()).build()) {
      assertArrayEquals(data, client.call(AddProgram.ECHO, data));
      byte[] sent = blocking.lastRecord();
      byte[] expected = Wire.echoCall(data);
      Wire.setXid(expected, Wire.getInt(sent, 0));
      assertArrayEquals(Arrays.copyOfRange(expected, 4, expected.length), sent);

      byte[] fromOnyx = exchange(onyx.server.port(), Wire.echoCall(data), 99);
      byte[] fromBlocking = exchange(blocking.port(), Wire.echoCall(data), 99);
      assertEquals(4 + Wire.REPLY_HEADER_BYTES + 4 + 1004, fromOnyx.length);
      assertArrayEquals(fromOnyx, fromBlocking);
      assertArrayEquals(data, Arrays.copyOfRange(fromOnyx, 32, 32 + data.length));
    }
  }

  static byte[] exchange(int port, byte[] call, int xid) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      Wire.setXid(call, xid);
      s.getOutputStream().write(call);
      DataInputStream in = new DataInputStream(s.getInputStream());
      int mark = in.readInt();
      byte[] record = new byte[4 + (mark & 0x7FFF_FFFF)];
      ByteBuffer.wrap(record).putInt(mark);
      in.readFully(record, 4, record.length - 4);
      return record;
    }
  }

  static byte[] expectedReply(int xid) {
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
