package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.LeakDetection;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;
import org.onyxrpc.xdr.XdrException;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;

/**
 * Replies made during one read are encoded into one buffer and written together: whatever a
 * batch holds (small replies, a result gathered by reference, a result that fails before or
 * after it was gathered, an interceptor that throws as it closes, more bytes than a batch keeps),
 * every reply goes out whole, in order, and nothing leaks.
 */
@ExtendWith(LeakDetection.class)
class BatchedRepliesTest {
  private static final int PROGRAM = 0x20000778;
  private static final int ECHO = 1;
  private static final int BROKEN = 2;
  private static final int WATCHED = 3;

  private static final Procedure<ByteBuf, ByteBuf> ECHO_PROC = procedure(ECHO, false);

  /** An echo of the argument as a slice of the call; broken fails once the result is written. */
  private static Procedure<ByteBuf, ByteBuf> procedure(int number, boolean broken) {
    return new Procedure<>(PROGRAM, 1, number, "Batch." + number,
        XdrCodecs.of((out, b) -> out.writeOpaque(b, Integer.MAX_VALUE),
            in -> in.readOpaqueSlice(Integer.MAX_VALUE)),
        XdrCodecs.of((out, b) -> {
          try {
            out.writeOpaque(b, Integer.MAX_VALUE);
            if (broken) {
              throw new XdrException("fails after the opaque was written");
            }
          } finally {
            b.release();
          }
        }, in -> in.readOpaqueSlice(Integer.MAX_VALUE)),
        CallSemantics.MAYBE);
  }

  private static ServiceDefinition service() {
    return ServiceDefinition.builder(PROGRAM, 1)
        .procedure(ECHO_PROC, (data, ctx) -> data)
        .procedure(procedure(BROKEN, true), (data, ctx) -> data)
        .procedure(procedure(WATCHED, false), (data, ctx) -> data)
        .build();
  }

  /** Fails the close of every call of {@link #WATCHED}: its reply goes out all the same. */
  private static final ServerInterceptor THROWS_ON_CLOSE = new ServerInterceptor() {
    @Override
    public void onStart(ServerCall call) {}

    @Override
    public void onClose(ServerCall call) {
      if (call.procedure().number() == WATCHED) {
        throw new IllegalStateException("an interceptor's bug");
      }
    }
  };

  private record Sent(int xid, int procedure, byte[] data) {}

  @Test
  void everyReplyOfAReadGoesOutWholeAndInOrder() throws Exception {
    Random random = new Random(7);
    List<Sent> calls = new ArrayList<>();
    int xid = 100;
    for (int round = 0; round < 3; round++) {
      calls.add(new Sent(++xid, ECHO, bytes(random, 12)));
      calls.add(new Sent(++xid, ECHO, bytes(random, 100_000))); // gathered: the batch becomes part of it
      calls.add(new Sent(++xid, ECHO, bytes(random, 20)));
      calls.add(new Sent(++xid, BROKEN, bytes(random, 16))); // cut from the batch
      calls.add(new Sent(++xid, ECHO, bytes(random, 8)));
      calls.add(new Sent(++xid, BROKEN, bytes(random, 90_000))); // fails after it took the batch
      calls.add(new Sent(++xid, WATCHED, bytes(random, 4)));
      for (int i = 0; i < 12; i++) {
        calls.add(new Sent(++xid, ECHO, bytes(random, 8_000))); // more than one batch keeps
      }
    }
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    for (Sent call : calls) {
      byte[] message = RawTcpPeer.call(call.xid(), 2, PROGRAM, 1, call.procedure(),
          OpaqueAuth.NONE, opaque(call.data()));
      stream.write(new byte[] {(byte) 0x80, (byte) (message.length >>> 16),
          (byte) (message.length >>> 8), (byte) message.length});
      stream.write(message);
    }
    try (RpcServer server = RpcServer.builder().transports(Transport.TCP).directExecutor()
            .intercept(THROWS_ON_CLOSE).addService(service()).build().start();
        RawTcpPeer peer = new RawTcpPeer(server.port())) {
      for (int pass = 0; pass < 2; pass++) { // the second through a batch buffer used before
        peer.sendRaw(stream.toByteArray()); // one write: the server reads many calls at once
        for (Sent call : calls) {
          XdrReader reply = new XdrReader(Unpooled.wrappedBuffer(peer.readRecord()));
          ReplyHeader header = RpcMessages.readReply(reply);
          assertEquals(call.xid(), header.xid(), "replies in the order of the calls");
          if (call.procedure() == BROKEN) {
            assertEquals(RpcStatus.SYSTEM_ERR, header.status());
          } else {
            assertEquals(RpcStatus.SUCCESS, header.status());
            assertArrayEquals(call.data(), reply.readOpaque(Integer.MAX_VALUE));
          }
        }
      }
      byte[] small = RawTcpPeer.call(1, 2, PROGRAM, 1, ECHO, OpaqueAuth.NONE, opaque(new byte[] {9}));
      peer.sendRecord(small);
      ReplyHeader last = peer.readReply();
      assertEquals(1, last.xid(), "nothing else was left to read");
    }
  }

  private static byte[] bytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private static byte[] opaque(byte[] data) {
    ByteBuf buf = Unpooled.buffer();
    new XdrWriter(buf).writeOpaque(data, Integer.MAX_VALUE);
    byte[] out = new byte[buf.readableBytes()];
    buf.readBytes(out);
    return out;
  }
}
