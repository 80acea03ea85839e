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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.rpc.CallHeader;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;

/**
 * Against a server that knows nothing of Onyx's tags (as C and Linux kernel servers, which refuse
 * an AUTH_NONE verifier with a body): once its tag probe is answered untagged, calls go untagged,
 * and an at-most-once call is never sent twice, since only the server could stop a second
 * transmission from running.
 */
class PlainServerTest {
  /** What the server saw: procedure number and verifier body length of each call. */
  private record Seen(int procedure, int verifierBytes) {}

  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private ServerSocket listener;
  private volatile boolean dropFirstReply = true;
  private volatile boolean resetOnCall;

  @BeforeEach
  void start() throws IOException {
    listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::serve, "plain-server");
    t.setDaemon(true);
    t.start();
  }

  @AfterEach
  void stop() throws IOException {
    listener.close();
  }

  /** Answers every call with an empty SUCCESS and a bare AUTH_NONE verifier; drops one reply. */
  private void serve() {
    try (Socket s = listener.accept(); DataInputStream in = new DataInputStream(s.getInputStream())) {
      OutputStream out = s.getOutputStream();
      while (true) {
        byte[] record = new byte[in.readInt() & 0x7FFF_FFFF];
        in.readFully(record);
        CallHeader call = RpcMessages.readCall(new XdrReader(Unpooled.wrappedBuffer(record)));
        seen.add(new Seen(call.procedure(), call.verifier().body().length));
        if (call.procedure() != 0 && resetOnCall) {
          s.setSoLinger(true, 0); // a reset, as a crashing C server's kernel sends
          return;
        }
        if (call.procedure() != 0 && dropFirstReply) {
          dropFirstReply = false;
          continue;
        }
        ByteBuf reply = Unpooled.buffer();
        reply.writeInt(0);
        RpcMessages.writeReply(new XdrWriter(reply), ReplyHeader.accepted(call.xid(), RpcStatus.SUCCESS));
        if (call.procedure() != 0) {
          reply.writeLong(call.procedure()); // a hyper result; a NULL ping has none
        }
        reply.setInt(0, 0x8000_0000 | (reply.readableBytes() - 4));
        out.write(reply.array(), reply.arrayOffset(), reply.readableBytes());
        out.flush();
      }
    } catch (IOException e) {
      // the test is over
    }
  }

  private RpcClient client() {
    return RpcClient.builder().address("127.0.0.1", listener.getLocalPort())
        .timeout(Duration.ofSeconds(2)).attemptTimeout(Duration.ofMillis(40)).build();
  }

  /**
   * The calls after the NULL pings (more than one when a cold start makes the first late); the
   * ping, the tag probe, is the one call that asks with a tag (a 36-byte verifier body).
   */
  private List<Seen> callsAfterPings() {
    assertEquals(new Seen(0, 36), seen.get(0));
    return seen.stream().filter(s -> s.procedure() != 0).toList();
  }

  @Test
  void atMostOnceCallIsSentOnceAndUntagged() {
    try (RpcClient client = client()) {
      RpcException e = assertThrows(RpcException.class, () -> client.call(ExecutionLedger.RECORD, 1L));
      assertEquals(RpcStatus.TIMEOUT, e.status());
      assertEquals(List.of(new Seen(1, 0)), callsAfterPings());
      assertEquals(0, client.stats().retransmissions());
    }
  }

  @Test
  void atLeastOnceCallIsRetransmittedUntagged() {
    try (RpcClient client = client()) {
      assertEquals(2L, client.call(ExecutionLedger.RECORD_IDEMPOTENT, 1L));
      assertEquals(List.of(new Seen(2, 0), new Seen(2, 0)), callsAfterPings());
      assertEquals(1, client.stats().retransmissions());
    }
  }

  /** Before: UNAVAILABLE, though the server had the call and may have run it. */
  @Test
  void atMostOnceCallWhoseConnectionResetsIsOutcomeUnknown() {
    resetOnCall = true;
    try (RpcClient client = client()) {
      RpcException e = assertThrows(RpcException.class, () -> client.call(ExecutionLedger.RECORD, 1L));
      assertEquals(RpcStatus.OUTCOME_UNKNOWN, e.status(), e.getMessage());
      assertEquals(List.of(new Seen(1, 0)), callsAfterPings());
    }
  }
}
