package org.onyxrpc.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;

/**
 * In front of a TLS connection's TLS handler: gives the connection up once more than {@link #MOST}
 * TLS records from the server gave it no application data since the handshake. Such records are
 * TLS's own messages; the JDK's engine keeps some: every TLS 1.3 NewSessionTicket becomes a copy
 * of the session with its ticket (up to 64 KiB) and a derived key, held by the connection's
 * session for as long as it lives (and by the context's session cache). A server that sent them
 * without end grew the client's heap without end while its calls waited
 * (TlsSessionTicketFloodTest). Servers send a few after the handshake, and a KeyUpdate after
 * terabytes; past 64 the server is not one to keep talking to. (A KeyUpdate flood that reads
 * nothing ends here too, unless the answers fill {@link TlsQueueBound}'s bound first.) A read
 * that completes more records than may still give nothing (65, while none did) is passed on in
 * slices, so that the bound is exact.
 *
 * <p>Records are counted from their headers as the bytes go in; the records that gave data, by
 * the reads the TLS handler passes on behind it ({@link #dataCounter()}): Netty's SslHandler
 * passes on what each unwrap gives at once, and the JDK's engine unwraps one record at a time.
 * OpenSSL's engine may give several records' data in one unwrap, so this is not put in front of
 * it ({@link StartTls}). Runs on the connection's event loop.
 */
final class TlsNoDataBound extends ChannelInboundHandlerAdapter {
  /** The most records that may give no application data after the handshake. */
  static final int MOST = 64;
  private static final int HEADER = 5; // RFC 8446 §5.1: type, version (2), length (2)

  private final SslHandler ssl;
  private final ChannelHandler dataCounter = new DataCounter();
  private boolean counting;
  private boolean over;
  private int headerSeen;
  private int length;
  private int bodyLeft;
  private long records;
  private long dataReads;

  TlsNoDataBound(SslHandler ssl) {
    this.ssl = ssl;
  }

  /** The handler that goes right behind the TLS handler. */
  ChannelHandler dataCounter() {
    return dataCounter;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (over) {
      ReferenceCountUtil.release(msg); // the connection is closing: nothing more is read from it
      return;
    }
    // From the first read after the handshake: the handshake's own records are not counted.
    counting |= ssl.handshakeFuture().isSuccess();
    if (!(msg instanceof ByteBuf bytes)) {
      ctx.fireChannelRead(msg);
      return;
    }
    // No more records go to TLS at once than may all give nothing without passing the bound: one
    // read holds hundreds of small tickets. A read that holds more goes on in slices.
    while (true) {
      long left = counting ? MOST + 1 - (records - dataReads) : Long.MAX_VALUE;
      int stop = follow(bytes, left);
      boolean all = stop == bytes.writerIndex();
      ctx.fireChannelRead(all ? bytes : bytes.retainedSlice(bytes.readerIndex(), stop - bytes.readerIndex()));
      long noData = records - dataReads;
      if (noData > MOST) {
        over = true;
        if (!all) {
          bytes.release();
        }
        // The connection's handler tells its calls why, and closes.
        ctx.fireExceptionCaught(new IOException(noData + " TLS records from the server gave no"
            + " application data since the handshake, over the " + MOST + " a connection may"
            + " take: the server floods TLS messages of its own (session tickets, which the"
            + " client would keep, or key updates)"));
        return;
      }
      if (all) {
        return;
      }
      bytes.readerIndex(stop);
    }
  }

  /**
   * Follows the records through {@code bytes} from its reader index, reading only their headers
   * (from the first byte after the STARTTLS reply); once counting, counts those whose last byte is
   * here. Stops right after the {@code most}th it counts, or at the end.
   *
   * @return the index it stopped at
   */
  private int follow(ByteBuf bytes, long most) {
    long counted = 0;
    int i = bytes.readerIndex();
    int end = bytes.writerIndex();
    while (i < end && counted < most) {
      if (bodyLeft > 0) {
        int n = Math.min(bodyLeft, end - i);
        bodyLeft -= n;
        i += n;
        if (bodyLeft == 0 && counting) {
          records++;
          counted++;
        }
        continue;
      }
      int b = bytes.getUnsignedByte(i++);
      if (headerSeen == 3) {
        length = b << 8;
      } else if (headerSeen == 4) {
        length |= b;
      }
      if (++headerSeen == HEADER) {
        headerSeen = 0;
        bodyLeft = length;
        if (length == 0 && counting) {
          records++;
          counted++;
        }
      }
    }
    return i;
  }

  /** Behind the TLS handler: counts the reads of application data it passes on. */
  private final class DataCounter extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (counting) {
        dataReads++;
      }
      ctx.fireChannelRead(msg);
    }
  }
}
