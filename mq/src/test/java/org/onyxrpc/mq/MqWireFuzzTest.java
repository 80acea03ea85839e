package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.onyxrpc.mq.internal.QueueNames;
import org.onyxrpc.mq.internal.wire.CurrentAttributes;
import org.onyxrpc.mq.internal.wire.Message;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.Reply;
import org.onyxrpc.mq.internal.wire.MqFailure;
import org.onyxrpc.mq.internal.wire.OpenRequest;
import org.onyxrpc.mq.internal.wire.Opened;
import org.onyxrpc.mq.internal.wire.QueueStatus;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.testing.Allocations;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrException;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;

/**
 * Any bytes as the queue protocol's messages, both ways: what a hostile client sends the server
 * (every procedure's arguments) and what a hostile server answers the client (every procedure's
 * results, declared failures included). A value or an {@link XdrException}, nothing else; no
 * allocation beyond a small multiple of the bytes; a value decoded encodes to the bytes it was
 * read from; a queue name is one or an {@link MqFailure} the server can send; a failure becomes a
 * {@link MessageQueueException}. Corpus: {@code
 * src/test/resources/org/onyxrpc/mq/MqWireFuzzTestInputs}.
 */
class MqWireFuzzTest {
  private static final List<Procedure<?, ?>> PROCEDURES = List.of(MessageQueueServiceV1.OPEN,
      MessageQueueServiceV1.CLOSE, MessageQueueServiceV1.UNLINK, MessageQueueServiceV1.SEND,
      MessageQueueServiceV1.RECEIVE, MessageQueueServiceV1.COMMIT, MessageQueueServiceV1.RELEASE,
      MessageQueueServiceV1.ATTRIBUTES, MessageQueueServiceV1.NOTIFY_ON_ARRIVAL,
      MessageQueueServiceV1.CANCEL_NOTIFY, MessageQueueServiceV1.STATUS, MessageQueueServiceV1.NOTIFY_ON_ARRIVAL_FOR,
      MessageQueueServiceV1.CANCEL_NOTIFY_FOR);

  @FuzzTest
  void serverArguments(byte[] input) {
    for (Procedure<?, ?> p : PROCEDURES) {
      Allocations.bounded(input.length, 32, () -> {
        Object arguments = decodedOrNull(p.arguments(), input);
        if (arguments instanceof OpenRequest open) {
          checkName(open.name());
        } else if (arguments instanceof String name) { // unlink, status
          checkName(name);
        }
      });
    }
  }

  @FuzzTest
  void clientReplies(byte[] input) {
    for (Procedure<?, ?> p : PROCEDURES) {
      Allocations.bounded(input.length, 32, () -> {
        if (decodedOrNull(p.result(), input) instanceof Reply<?> reply) {
          asTheClientSeesIt(reply);
        }
      });
    }
  }

  /** What the server answers for a name: the name, or a failure that fits on the wire. */
  private static void checkName(String name) {
    try {
      assertEquals(name, QueueNames.check(name));
    } catch (MqFailure failure) {
      encode(MqFailure.CODEC, failure); // throws if the detail is over MQ_DETAIL_MAX
    }
  }

  private static void asTheClientSeesIt(Reply<?> reply) {
    if (reply.exception() != null) {
      assertInstanceOf(MessageQueueException.class, Replies.translate(reply.exception()));
      return;
    }
    Object value = reply.value();
    if (value instanceof Opened opened) {
      CurrentAttributes a = opened.attributes();
      new QueueAttributes(a.maxMessages(), a.messageSize(), a.currentMessages(), false);
    } else if (value instanceof CurrentAttributes a) {
      new QueueAttributes(a.maxMessages(), a.messageSize(), a.currentMessages(), false);
    } else if (value instanceof QueueStatus status) {
      QueueStats.of(status);
    } else if (value instanceof Message message) {
      new ReceivedMessage(message.message(), message.priority());
    }
  }

  /**
   * The value {@code input} holds whole, or null if it holds none; a value read encodes again to
   * {@code input}, byte for byte (bytes of a string that are not UTF-8 included).
   */
  private static <T> T decodedOrNull(XdrCodec<T> codec, byte[] input) {
    T value;
    try {
      value = new XdrReader(Unpooled.wrappedBuffer(input)).readWhole(codec);
    } catch (XdrException refused) {
      return null;
    }
    assertArrayEquals(input, encode(codec, value), "encodes as it was read");
    return value;
  }

  private static <T> byte[] encode(XdrCodec<T> codec, T value) {
    ByteBuf out = Unpooled.buffer();
    try {
      codec.encode(new XdrWriter(out), value);
      return ByteBufUtil.getBytes(out);
    } finally {
      out.release();
    }
  }
}
