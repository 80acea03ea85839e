package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.onyxrpc.internal.rpc.ReplyTag;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.Allocations;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrCodecs;
import org.onyxrpc.xdr.XdrException;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;

/**
 * Any bytes as a hostile server's reply record, read as the client reads one ({@code
 * ReplyReader.dispatchOwned}, {@code PendingCall.complete}): the header or an {@link
 * XdrException}; a failed reply becomes an {@link RpcException} of its status, never another
 * exception; a successful one's results decode through the built-in codecs to a value or an
 * {@link XdrException}; nothing allocates more than a small multiple of the reply; a header read
 * is written back to the same header. Corpus: {@code
 * src/test/resources/org/onyxrpc/client/ReplyDecodeFuzzTestInputs}.
 */
class ReplyDecodeFuzzTest {
  /** A recursive result, as generated code reads one. */
  record Chain(String label, Chain next) {
    static final XdrCodec<Chain> CODEC = XdrCodecs.of((out, c) -> { }, in ->
        new Chain(in.readString(16), in.readOptional(Chain.CODEC)));
  }

  private static final List<XdrCodec<?>> RESULTS = List.of(XdrCodecs.VOID, XdrCodecs.HYPER,
      XdrCodecs.list(XdrCodecs.string(64), 1 << 20, 4), XdrCodecs.optional(XdrCodecs.OPAQUE),
      XdrCodecs.list(XdrCodecs.INT, 1 << 20, 4), Chain.CODEC);
  private static final Procedure<Void, Void> PROCEDURE =
      new Procedure<>(0x20000301, 2, 7, "Hostile.any", XdrCodecs.VOID, XdrCodecs.VOID);

  @FuzzTest
  void reply(byte[] record) {
    ByteBuf bytes = Unpooled.wrappedBuffer(record);
    int[] resultsAt = {-1};
    Allocations.bounded(record.length, 32, () -> {
      ByteBuf in = bytes.duplicate();
      ReplyHeader reply = header(in);
      resultsAt[0] = reply != null && reply.status() == RpcStatus.SUCCESS ? in.readerIndex() : -1;
    });
    if (resultsAt[0] < 0) {
      return;
    }
    for (XdrCodec<?> result : RESULTS) {
      Allocations.bounded(record.length, 32, () -> {
        try {
          new XdrReader(bytes.slice(resultsAt[0], record.length - resultsAt[0])).readWhole(result);
        } catch (XdrException malformed) {
          // the call fails INTERNAL: cannot decode the result
        }
      });
    }
  }

  /** The header, checked as the client uses it, or null if it is malformed. */
  private static ReplyHeader header(ByteBuf bytes) {
    ReplyHeader reply;
    try {
      reply = RpcMessages.readReply(new XdrReader(bytes));
    } catch (XdrException malformed) {
      return null; // the call it names fails INTERNAL, or the reply is dropped
    }
    assertEquals(reply, rewritten(reply), "a header reads back as written");
    ReplyTag.of(reply.verifier());
    if (reply.status() != RpcStatus.SUCCESS) {
      RpcException failure = RpcException.fromReply(reply, PROCEDURE);
      assertEquals(reply.status(), failure.status());
    }
    return reply;
  }

  private static ReplyHeader rewritten(ReplyHeader reply) {
    ByteBuf out = Unpooled.buffer();
    try {
      RpcMessages.writeReply(new XdrWriter(out), reply);
      return RpcMessages.readReply(new XdrReader(out));
    } finally {
      out.release();
    }
  }
}
