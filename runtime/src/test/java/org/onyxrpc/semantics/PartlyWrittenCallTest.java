package org.onyxrpc.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.rpc.CallHeader;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.xdr.XdrCodecs;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;

/**
 * A call of which the socket took only a part when the connection was lost may have run: the
 * server had its first bytes. The client tells calls that never left a lost connection (not a
 * byte on the socket, which it sends once more) from this one by what the socket took of each
 * message; should it stop seeing a partial write (the transport's progress reports), this call
 * would be taken for one that never left and sent again.
 */
class PartlyWrittenCallTest {
  private static final Procedure<byte[], byte[]> PUT = new Procedure<>(0x20000601, 1, 1, "Big.put",
      XdrCodecs.OPAQUE, XdrCodecs.OPAQUE, CallSemantics.AT_MOST_ONCE);
  /**
   * Near the largest call (16 MiB): more than Linux's socket buffers on both ends take by
   * default (tcp_wmem's and tcp_rmem's largest, 4 and 6 MiB) while the server reads none of it.
   */
  private static final int ARGUMENT_BYTES = (16 << 20) - 4096;

  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger callsStarted = new AtomicInteger();
  private ServerSocket listener;

  @BeforeEach
  void start() throws IOException {
    listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::serve, "partial-reader");
    t.setDaemon(true);
    t.start();
  }

  @AfterEach
  void stop() throws IOException {
    listener.close();
  }

  /**
   * Answers NULL pings untagged; of any other call reads the record mark and 64 KiB, then
   * resets the connection, as a server that crashes while reading a large argument.
   */
  private void serve() {
    while (true) {
      try (Socket s = listener.accept(); DataInputStream in = new DataInputStream(s.getInputStream())) {
        connections.incrementAndGet();
        OutputStream out = s.getOutputStream();
        while (true) {
          int length = in.readInt() & 0x7FFF_FFFF;
          byte[] head = new byte[Math.min(length, 64 << 10)];
          in.readFully(head);
          CallHeader call = RpcMessages.readCall(new XdrReader(Unpooled.wrappedBuffer(head)));
          if (call.procedure() != 0) {
            callsStarted.incrementAndGet();
            s.setSoLinger(true, 0);
            break;
          }
          ByteBuf reply = Unpooled.buffer();
          reply.writeInt(0);
          RpcMessages.writeReply(new XdrWriter(reply), ReplyHeader.accepted(call.xid(), RpcStatus.SUCCESS));
          reply.setInt(0, 0x8000_0000 | (reply.readableBytes() - 4));
          out.write(reply.array(), reply.arrayOffset(), reply.readableBytes());
          out.flush();
        }
      } catch (IOException e) {
        if (listener.isClosed()) {
          return;
        }
      }
    }
  }

  @Test
  void aCallPartlyOnTheSocketWhenTheConnectionIsLostMayHaveRun() {
    try (RpcClient client = RpcClient.builder().address("127.0.0.1", listener.getLocalPort())
        .timeout(Duration.ofSeconds(20)).build()) {
      RpcException e = assertThrows(RpcException.class, () -> client.call(PUT, new byte[ARGUMENT_BYTES]));

      assertEquals(RpcStatus.OUTCOME_UNKNOWN, e.status(), e.getMessage());
      assertEquals(1, callsStarted.get(), "the call was sent again");
      assertEquals(1, connections.get());
    }
  }
}
