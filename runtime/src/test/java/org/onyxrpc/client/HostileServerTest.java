package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.LeakDetection;
import org.onyxrpc.testing.ScriptedTcpServer;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.xdr.XdrWriter;

/** A server that answers with what no client should accept: the client refuses it, and lives. */
@ExtendWith(LeakDetection.class)
class HostileServerTest {
  private ScriptedTcpServer server;

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  /** Answers NULL pings properly and every other call with {@code answer}. */
  private void serve(Answer answer) throws IOException {
    server = new ScriptedTcpServer("hostile-server", (call, reply, raw) -> {
      RpcMessages.writeReply(new XdrWriter(reply), ReplyHeader.accepted(call.xid(), RpcStatus.SUCCESS));
      if (call.procedure() != 0) {
        answer.write(reply, raw);
      }
    });
  }

  private interface Answer {
    void write(ByteBuf reply, OutputStream raw) throws IOException;
  }

  private RpcClient client() {
    return RpcClient.builder().address("127.0.0.1", server.port())
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
    try (RpcClient client = RpcClient.builder().address("127.0.0.1", server.port())
        .maxRecordBytes(1 << 20).timeout(Duration.ofSeconds(20)).build()) {
      RpcException e = assertThrows(RpcException.class,
          () -> client.call(TestService.ADD, new TestService.Pair(2, 3)));
      assertNotEquals(RpcStatus.TIMEOUT, e.status(), e.getMessage());
    }
  }
}
