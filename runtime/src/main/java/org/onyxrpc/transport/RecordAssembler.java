package org.onyxrpc.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.handler.codec.TooLongFrameException;
import java.util.function.Consumer;

/**
 * Reassembles RFC 5531 §11 records from the bytes of a TCP stream, whoever reads the socket: a
 * one-fragment record is passed on as a retained slice of the input (no copy), the fragments of a
 * longer record are joined in a composite buffer. The receiver releases each record.
 *
 * <p>A record longer than the maximum fails as soon as the fragment header that breaks the limit
 * arrives, before its bytes are buffered; the stream cannot be resynchronised after that.
 */
public final class RecordAssembler {
  private final int maxRecordBytes;
  private CompositeByteBuf fragments;
  private int recordBytes;
  private boolean failed;

  /** An assembler of records of at most {@code maxRecordBytes}. */
  public RecordAssembler(int maxRecordBytes) {
    if (maxRecordBytes <= 0) {
      throw new IllegalArgumentException("maxRecordBytes must be positive: " + maxRecordBytes);
    }
    this.maxRecordBytes = maxRecordBytes;
  }

  /**
   * Takes every whole fragment from {@code in}, handing each completed record to {@code records};
   * a partial fragment stays in {@code in} for the next call. The fragments of a longer record
   * are joined in a composite buffer from {@code alloc}.
   *
   * @throws TooLongFrameException when a record exceeds the maximum; every later call discards
   *     its input
   */
  public void decode(ByteBuf in, ByteBufAllocator alloc, Consumer<ByteBuf> records) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    while (in.readableBytes() >= RecordMarking.HEADER_BYTES) {
      int header = in.getInt(in.readerIndex());
      int length = header & RecordMarking.LENGTH_MASK;
      if ((long) recordBytes + length > maxRecordBytes) {
        failed = true;
        in.skipBytes(in.readableBytes());
        throw new TooLongFrameException("a record of at least " + ((long) recordBytes + length)
            + " bytes exceeds the maximum of " + maxRecordBytes);
      }
      if (in.readableBytes() < RecordMarking.HEADER_BYTES + length) {
        return;
      }
      in.skipBytes(RecordMarking.HEADER_BYTES);
      ByteBuf fragment = in.readRetainedSlice(length);
      boolean last = (header & RecordMarking.LAST_FRAGMENT) != 0;
      if (last && fragments == null) {
        records.accept(fragment);
        continue;
      }
      if (fragments == null) {
        fragments = alloc.compositeBuffer(Integer.MAX_VALUE);
      }
      fragments.addComponent(true, fragment);
      recordBytes += length;
      if (last) {
        ByteBuf record = fragments;
        fragments = null;
        recordBytes = 0;
        records.accept(record);
      }
    }
  }

  /**
   * Bytes {@code in} still lacks to hold the fragment it has begun (0 if it holds none, or a
   * whole one): what a reader can make room for, so a large fragment arrives in one buffer.
   */
  public static int missingBytes(ByteBuf in) {
    if (in.readableBytes() < RecordMarking.HEADER_BYTES) {
      return 0;
    }
    long needed = RecordMarking.HEADER_BYTES
        + (in.getInt(in.readerIndex()) & (long) RecordMarking.LENGTH_MASK);
    return (int) Math.max(0, needed - in.readableBytes());
  }

  /** True when part of a record has been assembled. */
  public boolean midRecord() {
    return fragments != null;
  }

  /** Frees the fragments of an unfinished record. */
  public void release() {
    if (fragments != null) {
      fragments.release();
      fragments = null;
    }
  }
}
