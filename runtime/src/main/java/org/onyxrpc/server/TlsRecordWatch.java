package org.onyxrpc.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.function.BooleanSupplier;
import org.onyxrpc.internal.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In front of a connection's TLS handler: follows the TLS records (RFC 8446 §5.1: a 5-byte
 * header whose last two bytes are the length) of the encrypted stream, and tells the connection's
 * {@link ReceiveGuard} after each read whether part of one is held. TLS passes nothing on until a
 * record is whole, so without this a record trickled a byte at a time would look to the guard
 * like a quiet connection, bounded only by the idle timeout.
 *
 * <p>A handshake record after the handshake is done is a TLS 1.2 client renegotiating (TLS 1.3
 * sends every later handshake message as application data): each one would cost the server
 * another key exchange and signature outside its {@link HandshakeSlots}, and could bring other
 * certificates than those the connection was authenticated by. Whatever the provider's policy,
 * the connection is closed before TLS reads it. Runs on the connection's event loop.
 */
final class TlsRecordWatch extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(TlsRecordWatch.class);
  private static final RateLimitedLog RENEGOTIATIONS = new RateLimitedLog(RateLimitedLog.DEFAULT_INTERVAL);
  private static final int HEADER_BYTES = 5;
  private static final int LENGTH_AT = 3;
  /** RFC 5246 §6.2.1 ContentType handshake. */
  private static final int HANDSHAKE = 22;

  private final ReceiveGuard guard;
  private final BooleanSupplier handshakeDone;
  private int type; // the next record's content type, once its header's first byte is read
  private boolean renegotiating;
  private int headerSeen; // bytes of the next record's header read so far
  private int length; // its length, as far as read
  private int remaining; // bytes of the current record's body still to come

  TlsRecordWatch(ReceiveGuard guard, BooleanSupplier handshakeDone) {
    this.guard = guard;
    this.handshakeDone = handshakeDone;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf bytes) {
      follow(bytes); // before TLS takes (and may release) them
    }
    if (renegotiating) {
      ReferenceCountUtil.release(msg);
      if (ctx.channel().isOpen()) {
        RENEGOTIATIONS.warn(LOG, "closing {}: it began a TLS renegotiation, which this server refuses",
            ctx.channel().remoteAddress());
        ctx.close();
      }
      return;
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
      if (headerSeen == 0) {
        type = b;
      } else if (headerSeen >= LENGTH_AT) {
        length = length << 8 | b;
      }
      if (++headerSeen == HEADER_BYTES) {
        // The client's last handshake record arrives before the handshake is done.
        renegotiating |= type == HANDSHAKE && handshakeDone.getAsBoolean();
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
