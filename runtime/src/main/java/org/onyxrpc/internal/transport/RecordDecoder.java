package org.onyxrpc.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.List;
import java.util.function.Consumer;
import org.onyxrpc.internal.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reassembles RFC 5531 §11 records from a TCP stream and passes each whole record on as one
 * {@link ByteBuf}. A one-fragment record is a retained slice of what was read (no copy); the
 * fragments of a longer record are joined in a composite buffer.
 *
 * <p>A record longer than the maximum closes the connection as soon as the fragment header that
 * breaks the limit arrives, before its bytes are buffered; so a peer can make the decoder hold no
 * more than one record of the allowed size. With an {@link io.netty.handler.timeout.IdleStateHandler}
 * in front, a peer that stops in the middle of a record is disconnected after the idle time.
 */
public final class RecordDecoder extends ByteToMessageDecoder {
  private static final Logger LOG = LoggerFactory.getLogger(RecordDecoder.class);
  // A peer can stop mid-record on connection after connection, and its address may be of its
  // own choosing (a Unix-domain peer's socket path): one line per interval, escaped.
  private static final RateLimitedLog STOPPED = new RateLimitedLog(RateLimitedLog.DEFAULT_INTERVAL);

  private final RecordAssembler assembler;
  // Where decode() puts records: set for each call, so no consumer is allocated per read.
  private List<Object> out;
  private final Consumer<ByteBuf> toOut = record -> out.add(record);

  /** A decoder that accepts records of at most {@code maxRecordBytes} bytes. */
  public RecordDecoder(int maxRecordBytes) {
    this(maxRecordBytes, RecordAssembler.DEFAULT_MAX_FRAGMENTS);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    this.out = out;
    try {
      // One record per call: Netty's decoder passes each on before it calls again, so a read
      // packed with tiny records never becomes a list of a quarter of a million slices.
      assembler.decode(in, ctx.alloc(), toOut, 1);
    } finally {
      this.out = null;
    }
  }

  /** A decoder that accepts records of at most {@code maxRecordBytes} in {@code maxFragments}. */
  public RecordDecoder(int maxRecordBytes, int maxFragments) {
    this.assembler = new RecordAssembler(maxRecordBytes, maxFragments);
    // A record that spans reads is gathered by reference, not copied: a large opaque then
    // reaches its reader as slices of the buffers it was read into (small reads excepted).
    setCumulator(ReadCumulator.INSTANCE);
  }

  /** True when part of a record has arrived and the rest has not. */
  public boolean midRecord() {
    return assembler.midRecord() || actualReadableBytes() > 0;
  }

  /**
   * Bytes still to come of the fragment whose header has arrived, 0 if none has: how large the
   * next read should be ({@link RecordReadSizing}).
   */
  public int missingBytes() {
    return RecordAssembler.missingBytes(internalBuffer());
  }

  /** Bytes of unfinished records held: the part assembled and the part not yet looked at. */
  public long bufferedBytes() {
    return assembler.bufferedBytes() + actualReadableBytes();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent && midRecord()) {
      STOPPED.warn(LOG, "closing {}: the peer stopped in the middle of a record",
          ctx.channel().remoteAddress());
      ctx.close();
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) {
    assembler.release();
  }
}
