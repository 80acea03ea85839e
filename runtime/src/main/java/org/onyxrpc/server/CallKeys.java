package org.onyxrpc.server;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;
import org.onyxrpc.internal.rpc.CallTag;
import org.onyxrpc.rpc.CallHeader;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.transport.Transport;

/** Which calls the duplicate request cache can recognise when they come again, and by what. */
final class CallKeys {
  private CallKeys() {}

  /**
   * The cache key of an at-most-once call, or null if it runs as often as it arrives: a tagged
   * call by its client's id and xid; an untagged one (a C client's) only over UDP, by address,
   * xid and a digest of its argument bytes (from {@code argumentsStart} to the end of {@code
   * message}).
   */
  static DuplicateRequestCache.Key of(ServerMethod<?, ?> method, CallHeader call, CallTag tag,
      ReplySink sink, ByteBuf message, int argumentsStart) {
    if (method.oneway()) {
      return null;
    }
    if (tag != null) {
      return tag.atMostOnce()
          ? new DuplicateRequestCache.Key(tag.clientHigh(), tag.clientLow(), null, call.xid(),
              call.program(), call.version(), call.procedure(), 0)
          : null;
    }
    // A C client retransmits over UDP with the same xid from the same port; over TCP it
    // reconnects from a new port, where no key can follow it.
    if (sink.transport() == Transport.UDP
        && method.procedure().semantics() == CallSemantics.AT_MOST_ONCE) {
      return new DuplicateRequestCache.Key(0, 0, sink.remoteAddress(), call.xid(),
          call.program(), call.version(), call.procedure(),
          digest(message, argumentsStart, message.writerIndex() - argumentsStart));
    }
    return null;
  }

  /** CRC-32C of {@code length} bytes of {@code buf} from {@code index}. */
  private static int digest(ByteBuf buf, int index, int length) {
    CRC32C crc = new CRC32C();
    for (ByteBuffer part : buf.nioBuffers(index, length)) {
      crc.update(part);
    }
    return (int) crc.getValue();
  }
}
