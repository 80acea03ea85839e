package org.onyxrpc.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * In front of a connection's TLS handler: follows the TLS records (RFC 8446 §5.1: a 5-byte
 * header whose last two bytes are the length) of the encrypted stream, and tells the connection's
 * {@link ReceiveGuard} after each read whether part of one is held. TLS passes nothing on until a
 * record is whole, so without this a record trickled a byte at a time would look to the guard
 * like a quiet connection, bounded only by the idle timeout. Runs on the connection's event loop.
 */
final class TlsRecordWatch extends ChannelInboundHandlerAdapter {
  private static final int HEADER_BYTES = 5;
  private static final int LENGTH_AT = 3;

  private final ReceiveGuard guard;
  private int headerSeen; // bytes of the next record's header read so far
  private int length; // its length, as far as read
  private int remaining; // bytes of the current record's body still to come

  TlsRecordWatch(ReceiveGuard guard) {
    this.guard = guard;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf bytes) {
      follow(bytes); // before TLS takes (and may release) them
    }
    ctx.fireChannelRead(msg);
    guard.tlsRead(midRecord());
  }

  private void follow(ByteBuf in) {
    int i = in.readerIndex();
    int end = in.writerIndex();
    while (i < end) {
      if (remaining > 0) {
        int n = Math.min(remaining, end - i);
        remaining -= n;
        i += n;
        continue;
      }
      int b = in.getUnsignedByte(i++);
      if (headerSeen >= LENGTH_AT) {
        length = length << 8 | b;
      }
      if (++headerSeen == HEADER_BYTES) {
        remaining = length;
        headerSeen = 0;
        length = 0;
      }
    }
  }

  /** True when part of a TLS record has been read and the rest has not. */
  boolean midRecord() {
    return headerSeen > 0 || remaining > 0;
  }
}
