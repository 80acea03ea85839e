package org.onyxrpc.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * A peer that trickles a message as the event loop reads it: the head in one read, then one byte
 * per read, each in a buffer of its own of a read's smallest size ({@link RecordReadSizing}).
 */
public final class TrickledReads {
  private final List<ByteBuf> reads = new ArrayList<>();

  /** Writes {@code head}, then {@code bytes} bytes (0, 1, 2, …) one per read, into {@code ch}. */
  public TrickledReads(EmbeddedChannel ch, byte[] head, int bytes) {
    ch.writeInbound(Unpooled.wrappedBuffer(head));
    for (int i = 0; i < bytes; i++) {
      ByteBuf read = Unpooled.directBuffer(RecordReadSizing.MIN_READ).writeByte(i);
      reads.add(read);
      ch.writeInbound(read);
    }
  }

  /** How many of the reads' buffers are still held. */
  public long held() {
    return reads.stream().filter(r -> r.refCnt() > 0).count();
  }
}
