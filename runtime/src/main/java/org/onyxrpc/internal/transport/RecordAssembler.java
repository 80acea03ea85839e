package org.onyxrpc.internal.transport;

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
 * <p>What the peer sends is what is counted: a record's size is its payload plus the header of
 * every fragment after the first, and a record may have at most {@link #maxFragments} fragments.
 * Empty fragments keep nothing, fragments smaller than {@value #SMALL_FRAGMENT} bytes are
 * copied together, and (a server's) a larger one read into buffers more than twice its size (one
 * buffer, or the several under what was gathered over reads) is copied out of them, as is a
 * one-fragment record gathered over reads, so the memory a record holds stays near its size
 * however the peer cuts it or trickles it.
 *
 * <p>A record over a limit fails as soon as the fragment header that breaks it arrives, before
 * its bytes are buffered; the stream cannot be resynchronised after that. A client learns the
 * xid of such a record when it came with the record mark ({@link RecordTooLongException}).
 */
public final class RecordAssembler {
  /** Default most fragments in one record. */
  public static final int DEFAULT_MAX_FRAGMENTS = 65_536;
  /** Fragments below this size are copied into a shared buffer rather than kept by reference. */
  static final int SMALL_FRAGMENT = 4096;

  private final int maxRecordBytes;
  private final int maxFragments;
  private CompositeByteBuf fragments;
  private ByteBuf small; // small fragments copied together, not yet in fragments
  private long recordBytes;
  private ByteBuf measured; // the composite input heldBy measured, during one decode alone
  private long measuredBytes;
  private int fragmentCount;
  private boolean failed;
  // A server's: its peer cuts the records, and its byte budget counts their bytes alone.
  private final boolean compact;

  /**
   * A client's assembler of records of at most {@code maxRecordBytes} and default fragment limit:
   * its fragments are kept by reference wherever they were read (the client's reader sets aside
   * the buffers a reply holds, and a large opaque reaches its reader without a copy).
   */
  public RecordAssembler(int maxRecordBytes) {
    this(maxRecordBytes, DEFAULT_MAX_FRAGMENTS, false);
  }

  /**
   * A server's assembler of records of at most {@code maxRecordBytes} in {@code maxFragments}
   * fragments: a fragment read into a buffer more than twice its size is copied out of it.
   */
  public RecordAssembler(int maxRecordBytes, int maxFragments) {
    this(maxRecordBytes, maxFragments, true);
  }

  private RecordAssembler(int maxRecordBytes, int maxFragments, boolean compact) {
    if (maxRecordBytes <= 0) {
      throw new IllegalArgumentException("maxRecordBytes must be positive: " + maxRecordBytes);
    }
    if (maxFragments <= 0) {
      throw new IllegalArgumentException("maxFragments must be positive: " + maxFragments);
    }
    this.maxRecordBytes = maxRecordBytes;
    this.maxFragments = maxFragments;
    this.compact = compact;
  }

  /** The most fragments one record may have. */
  public int maxFragments() {
    return maxFragments;
  }

  /**
   * Takes every whole fragment from {@code in}, handing each completed record to {@code records};
   * a partial fragment stays in {@code in} for the next call. The fragments of a longer record
   * are joined in a composite buffer from {@code alloc}.
   *
   * @throws TooLongFrameException when a record exceeds a limit, a {@link RecordTooLongException}
   *     when it exceeds the size limit and its xid has arrived; every later call discards its
   *     input
   */
  public void decode(ByteBuf in, ByteBufAllocator alloc, Consumer<ByteBuf> records) {
    decode(in, alloc, records, Integer.MAX_VALUE);
  }

  /**
   * As {@link #decode(ByteBuf, ByteBufAllocator, Consumer)}, but returns once {@code maxRecords}
   * records are handed on, the rest left in {@code in}: a caller that gathers the records before
   * it passes them on (Netty's decoder does) then holds no more than that many at once, however
   * many tiny records a peer packed into one read.
   */
  public void decode(ByteBuf in, ByteBufAllocator alloc, Consumer<ByteBuf> records, int maxRecords) {
    try {
      decodeRecords(in, alloc, records, maxRecords);
    } finally {
      measured = null; // a composite changes between calls (reads added, read components dropped)
    }
  }

  private void decodeRecords(ByteBuf in, ByteBufAllocator alloc, Consumer<ByteBuf> records,
      int maxRecords) {
    int handed = 0;
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    while (in.readableBytes() >= RecordMarking.HEADER_BYTES) {
      int header = in.getInt(in.readerIndex());
      int length = header & RecordMarking.LENGTH_MASK;
      // The first header is the record mark itself; every further one is the peer's choice.
      long size = recordBytes + length + (fragmentCount == 0 ? 0 : RecordMarking.HEADER_BYTES);
      if (size > maxRecordBytes) {
        long xid = xid(in);
        fail(in);
        String message = RecordTooLongException.message(size, maxRecordBytes)
            + (fragmentCount == 0 ? RecordTooLongException.notRpc(header) : "");
        if (xid >= 0) {
          throw new RecordTooLongException((int) xid, size, maxRecordBytes, message);
        }
        throw new TooLongFrameException(message);
      }
      if (fragmentCount + 1 > maxFragments) {
        fail(in);
        throw new TooLongFrameException("a record of more than " + maxFragments
            + " fragments exceeds the maximum");
      }
      // Subtracted, not added: 4 + a length near 2^31 is negative as an int, and the record
      // would count as arrived with almost none of its bytes there (a limit near 2^31 allows it).
      if (in.readableBytes() - RecordMarking.HEADER_BYTES < length) {
        return;
      }
      in.skipBytes(RecordMarking.HEADER_BYTES);
      boolean last = (header & RecordMarking.LAST_FRAGMENT) != 0;
      if (last && fragmentCount == 0) {
        // A record read whole is a slice of its read buffer, whose size the reader chose for it.
        // One gathered over several reads (a composite) is copied if their buffers are much
        // larger than it: see add.
        records.accept(in instanceof CompositeByteBuf && compact && heldBy(in) > 2L * length
            ? alloc.buffer(length, length).writeBytes(in, length) : in.readRetainedSlice(length));
      } else {
        fragmentCount++;
        recordBytes = size;
        add(in, length, alloc);
        if (!last) {
          continue;
        }
        records.accept(finish(alloc));
      }
      if (++handed == maxRecords) {
        return;
      }
    }
  }

  private void add(ByteBuf in, int length, ByteBufAllocator alloc) {
    if (length == 0) {
      return;
    }
    if (length < SMALL_FRAGMENT) {
      if (small != null && small.writableBytes() < length) {
        flushSmall(alloc);
      }
      if (small == null) {
        small = alloc.buffer(SMALL_FRAGMENT, SMALL_FRAGMENT);
      }
      small.writeBytes(in, length);
      return;
    }
    flushSmall(alloc);
    // Kept by reference, a fragment would hold its whole read buffer until the record ends,
    // counted as its own bytes: a peer sending each fragment alone, into a room many times its
    // size, would hold that many times what it is charged. Copied where it is less than half.
    composite(alloc).addComponent(true, compact && heldBy(in) > 2L * length
        ? alloc.buffer(length, length).writeBytes(in, length) : in.readRetainedSlice(length));
  }

  /**
   * Bytes of memory a retained slice of {@code in} keeps: its capacity, or, for what was gathered
   * over several reads (a composite, whose capacity is only the bytes written), the capacities of
   * the buffers under all its components, which a slice keeps as long as it lives. A peer that
   * sends a fragment a few bytes per read, or a fragment's first bytes at the end of a large
   * read, made the buffers of those reads many times the fragment (or one-fragment record).
   */
  private long heldBy(ByteBuf in) {
    if (!(in instanceof CompositeByteBuf composite)) {
      return in.capacity();
    }
    if (measured != in) { // once per decode of a composite: many fragments may end in it
      measured = in;
      measuredBytes = underlyingCapacity(composite);
    }
    return measuredBytes;
  }

  /** The capacities of the buffers under {@code composite}'s components. */
  private static long underlyingCapacity(CompositeByteBuf composite) {
    long bytes = 0;
    for (int i = 0; i < composite.numComponents(); i++) {
      ByteBuf under = composite.component(i); // a duplicate of the buffer as it was added
      for (ByteBuf next = under.unwrap(); next != null && !(next instanceof CompositeByteBuf);
          next = next.unwrap()) {
        under = next; // a slice or a leak detector's wrapper: the buffer allocated is beneath
      }
      bytes += under.capacity();
    }
    return bytes;
  }

  private void flushSmall(ByteBufAllocator alloc) {
    if (small != null) {
      composite(alloc).addComponent(true, small);
      small = null;
    }
  }

  private CompositeByteBuf composite(ByteBufAllocator alloc) {
    if (fragments == null) {
      fragments = alloc.compositeBuffer(Integer.MAX_VALUE);
    }
    return fragments;
  }

  private ByteBuf finish(ByteBufAllocator alloc) {
    ByteBuf record;
    if (fragments == null) {
      record = small != null ? small : alloc.buffer(0, 0);
      small = null;
    } else {
      flushSmall(alloc);
      record = fragments;
      fragments = null;
    }
    recordBytes = 0;
    fragmentCount = 0;
    return record;
  }

  /**
   * The xid of the record that breaks the limit, as an unsigned value, or -1 if it has not
   * arrived: the 4 bytes after the record mark of its first fragment, which is either the one in
   * {@code in} or already assembled.
   */
  private long xid(ByteBuf in) {
    if (fragmentCount == 0) {
      int at = in.readerIndex() + RecordMarking.HEADER_BYTES;
      return in.readableBytes() >= RecordMarking.HEADER_BYTES + Integer.BYTES
          && (in.getInt(in.readerIndex()) & RecordMarking.LENGTH_MASK) >= Integer.BYTES
          ? in.getUnsignedInt(at) : -1;
    }
    // Assembled in order: the composite first, then the small fragments not yet added to it.
    long xid = 0;
    int got = 0;
    for (ByteBuf part : new ByteBuf[] {fragments, small}) {
      for (int i = 0; part != null && i < part.readableBytes() && got < Integer.BYTES; i++, got++) {
        xid = xid << 8 | part.getUnsignedByte(part.readerIndex() + i);
      }
    }
    return got == Integer.BYTES ? xid : -1;
  }

  private void fail(ByteBuf in) {
    failed = true;
    in.skipBytes(in.readableBytes());
    release();
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

  /** Bytes of the unfinished record held, as counted against the limit (headers included). */
  public long bufferedBytes() {
    return recordBytes;
  }

  /** True when part of a record has been assembled. */
  public boolean midRecord() {
    return fragmentCount > 0;
  }

  /** Buffers held for the unfinished record: what a peer's fragments cost beyond their bytes. */
  int heldComponents() {
    return (fragments == null ? 0 : fragments.numComponents()) + (small == null ? 0 : 1);
  }

  /** Frees the fragments of an unfinished record. */
  public void release() {
    if (fragments != null) {
      fragments.release();
      fragments = null;
    }
    if (small != null) {
      small.release();
      small = null;
    }
    recordBytes = 0;
    fragmentCount = 0;
  }
}
