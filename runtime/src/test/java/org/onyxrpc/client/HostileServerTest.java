package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.rpc.CallHeader;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.LeakDetection;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;

/** A server that answers with what no client should accept: the client refuses it, and lives. */
@ExtendWith(LeakDetection.class)
class HostileServerTest {
  private ServerSocket listener;

  @AfterEach
  void stop() throws IOException {
    listener.close();
  }

  /** Answers NULL pings properly and every other call with {@code answer}. */
  private void serve(Answer answer) throws IOException {
    listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
    Thread t = new Thread(() -> {
      try (Socket s = listener.accept(); DataInputStream in = new DataInputStream(s.getInputStream())) {
        OutputStream out = s.getOutputStream();
        while (true) {
          byte[] record = new byte[in.readInt() & 0x7FFF_FFFF];
          in.readFully(record);
          CallHeader call = RpcMessages.readCall(new XdrReader(Unpooled.wrappedBuffer(record)));
          ByteBuf reply = Unpooled.buffer();
          reply.writeInt(0);
          RpcMessages.writeReply(new XdrWriter(reply), ReplyHeader.accepted(call.xid(), RpcStatus.SUCCESS));
          if (call.procedure() != 0) {
            answer.write(reply, out);
          }
          reply.setInt(0, 0x8000_0000 | (reply.readableBytes() - 4));
          out.write(reply.array(), reply.arrayOffset(), reply.readableBytes());
          out.flush();
        }
      } catch (IOException e) {
        // the test is over
      }
    }, "hostile-server");
    t.setDaemon(true);
    t.start();
  }

  private interface Answer {
    void write(ByteBuf reply, OutputStream raw) throws IOException;
  }

  private RpcClient client() {
    return RpcClient.builder().address("127.0.0.1", listener.getLocalPort())
        .timeout(Duration.ofSeconds(5)).build();
  }

  @Test
  void bytesAfterTheResultAreAMalformedReply() throws Exception {
    serve((reply, raw) -> reply.writeInt(5).writeInt(0xDEAD)); // the int result, then extra
    try (RpcClient client = client()) {
      RpcException e = assertThrows(RpcException.class,
          () -> client.call(TestService.ADD, new TestService.Pair(2, 3)));
      assertEquals(RpcStatus.INTERNAL, e.status());
    }
  }

  @Test
  void emptyFragmentsFromTheServerCloseTheConnectionNotTheClient() throws Exception {
    serve((reply, raw) -> {
      byte[] empties = new byte[64 << 10]; // zero-length fragments, never a last one
      for (int i = 0; i < 4096; i++) { // 256 MiB unless the client stops reading
        raw.write(empties);
      }
    });
    try (RpcClient client = RpcClient.builder().address("127.0.0.1", listener.getLocalPort())
        .maxRecordBytes(1 << 20).timeout(Duration.ofSeconds(20)).build()) {
      RpcException e = assertThrows(RpcException.class,
          () -> client.call(TestService.ADD, new TestService.Pair(2, 3)));
      assertNotEquals(RpcStatus.TIMEOUT, e.status(), e.getMessage());
    }
  }
}
