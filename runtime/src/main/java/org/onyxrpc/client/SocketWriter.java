package org.onyxrpc.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import org.onyxrpc.xdr.XdrWriter;

/**
 * Writes calls to a non-blocking socket without ever waiting for it: what the socket does not
 * take at once is queued, in order, and written when the socket drains (the {@link
 * BackgroundReader} watches for that). So no caller, async or sync, and no timer blocks on a
 * server that reads slowly; the bytes queued are bounded by the client's {@code maxQueuedBytes}.
 *
 * <p>The client's {@link CallOwner} alone uses it: it needs no lock.
 */
final class SocketWriter {
  static final int STAGING_BYTES = 1024;
  /**
   * The most a call staged in place may take: a larger one is encoded into a buffer of its own,
   * which the socket writes whole (a caller's array it wraps copied into direct memory first).
   */
  static final int MAX_STAGED_BYTES = 64 << 10;
  /** The largest copy of a record kept for the next (as the read buffer keeps its largest). */
  static final int KEPT_COPY_BYTES = 4 << 20;
  private static final int[] NONE = {};

  private final SocketChannel channel;
  /** Where a record that wraps a caller's array is copied to, whole, before it is written. */
  private final ByteBufAllocator alloc;
  private final Runnable wantWritable;
  /**
   * The direct buffer the last large record that wraps a caller's array was copied into, kept
   * for the next one while large calls keep coming: allocating a new one per call (the JDK
   * zeroes it) took about a seventh of the caller-runs client's time in the 1 MiB echo. Reused
   * only once nothing else holds it (its record written), so a queued record is never written
   * over; given up at the next small call, past {@link #KEPT_COPY_BYTES}, when the connection
   * is quiet ({@link QuietRelease}), and at release. Null
   * when none is kept.
   */
  private ByteBuf keptCopy;
  /** Large records copied, for {@link QuietRelease} to tell whether they keep coming. */
  private int copies;
  // Each one call's record, in order; only the first may have gone in part.
  private final ArrayDeque<ByteBuf> queued = new ArrayDeque<>();
  private long queuedBytes;
  private boolean headStarted; // a byte of the first queued record went out
  /** Once released: the sorted xids of the records queued whole, of which no byte went out. */
  private int[] neverLeft = NONE;
  // The xids of records a failed write released before any byte of them went out.
  private int[] failedWhole = NONE;
  private int failedWholeCount;
  private int untouchedFrom; // set by writeSome(List): the first message it wrote no byte of
  /**
   * A small call is copied here and written from it: the buffer lives as long as the
   * connection, so it keeps one NIO view, where writing a call's own (adaptive-pool) buffer
   * makes a view per call. Null once released.
   */
  private ByteBuf staging =
      UnpooledByteBufAllocator.DEFAULT.directBuffer(STAGING_BYTES, MAX_STAGED_BYTES);
  /** Encodes a call into {@link #staging}; one per connection, as the buffer is. */
  private final XdrWriter stagingWriter = new XdrWriter(staging);

  /**
   * {@code alloc} gives the direct buffer a record that wraps a caller's array is copied into;
   * {@code wantWritable} asks for {@link #flushQueued} once the socket takes bytes again.
   */
  SocketWriter(SocketChannel channel, ByteBufAllocator alloc, Runnable wantWritable) {
    this.channel = channel;
    this.alloc = alloc;
    this.wantWritable = wantWritable;
  }

  /** Bytes waiting to be written. */
  long queuedBytes() {
    return queuedBytes;
  }

  /**
   * A writer to encode the next call into, in place in the staging buffer (emptied), so that a
   * call costs no buffer of its own; then {@link #writeStaged} or {@link #takeStaged}. A call too
   * large for it makes the writer throw {@link IndexOutOfBoundsException}.
   */
  XdrWriter stage() throws IOException {
    if (staging == null) {
      throw new IOException("the connection is closed");
    }
    staging.clear();
    return stagingWriter;
  }

  /** Bytes staged by the last {@link #stage}. */
  int stagedBytes() {
    return staging.readableBytes();
  }

  /** The staged call as a buffer of its own, for it to wait (as a reply's callback's call does). */
  ByteBuf takeStaged(ByteBufAllocator alloc) {
    ByteBuf copy = alloc.ioBuffer(staging.readableBytes());
    copy.writeBytes(staging, staging.readerIndex(), staging.readableBytes());
    staging.clear();
    return copy;
  }

  /** Writes the staged call as far as the socket takes it now, and queues a copy of the rest. */
  void writeStaged(ByteBufAllocator alloc) throws IOException {
    dropKeptCopy(); // large calls have stopped coming
    int length = staging.readableBytes();
    boolean started = false;
    if (queued.isEmpty()) {
      try {
        if (writeView(staging, staging.internalNioBuffer(staging.readerIndex(), length))) {
          return;
        }
      } catch (IOException | RuntimeException e) {
        if (staging.readableBytes() == length) {
          noteFailedWhole(staging);
        }
        throw e;
      }
      started = staging.readableBytes() < length;
    }
    write(takeStaged(alloc), started);
  }

  /**
   * Writes {@code message} as far as the socket takes it now and queues the rest; owns it. A
   * message that wraps a caller's array ({@link org.onyxrpc.xdr.XdrWriter#gatheringByReference})
   * is first copied whole into direct memory, as its caller may change the array once this
   * returns, and goes in one write(2) when the socket takes it: written 64 KiB at a time, a 1 MiB
   * argument took sixteen, each pushed on its own (TCP_NODELAY), and woke the server for each
   * (benchmarks/BENCHMARKS.md, "A large argument in one write").
   */
  void write(ByteBuf message) throws IOException {
    write(message.isDirect() ? message : copied(message), false);
  }

  /**
   * A copy in direct memory of {@code message}'s readable bytes, in the kept buffer when it is
   * free and large enough; {@code message} is released.
   */
  private ByteBuf copied(ByteBuf message) {
    int length = message.readableBytes();
    copies++;
    ByteBuf copy = keptCopy;
    if (copy != null && copy.refCnt() == 1 && copy.capacity() >= length) {
      copy.retain().clear();
    } else {
      dropKeptCopy();
      copy = alloc.directBuffer(length);
      if (length <= KEPT_COPY_BYTES) {
        keptCopy = copy.retain();
      }
    }
    try {
      copyParts(message, copy);
      return copy;
    } catch (RuntimeException e) {
      copy.release();
      throw e;
    } finally {
      message.release();
    }
  }

  /** How many large records have been copied; the owner's, like the rest. */
  int copies() {
    return copies;
  }

  /** Whether a copy of a large record is kept for the next; the owner's, like the rest. */
  boolean keepsCopy() {
    return keptCopy != null;
  }

  /** Lets the copy kept for the next large record go: large calls have stopped coming. */
  void dropKeptCopy() {
    if (keptCopy != null) {
      keptCopy.release();
      keptCopy = null;
    }
  }

  /**
   * As {@link #write(ByteBuf)}, {@code message} in direct memory; {@code started}: part of its
   * record went out already.
   */
  private void write(ByteBuf message, boolean started) throws IOException {
    int before = message.readableBytes();
    try {
      if (queued.isEmpty()) {
        if (writeSome(message)) {
          message.release();
          return;
        }
        started |= message.readableBytes() < before;
      }
    } catch (IOException | RuntimeException e) {
      if (!started && message.readableBytes() == before) {
        noteFailedWhole(message);
      }
      message.release();
      throw e;
    }
    queue(message, started);
  }

  private void queue(ByteBuf message, boolean started) {
    boolean arm = queued.isEmpty();
    if (arm) {
      headStarted = started;
    }
    queued.add(message);
    queuedBytes += message.readableBytes();
    if (arm) {
      wantWritable.run();
    }
  }

  /** Writes {@code batch} in order, with one gathering write when nothing is queued; owns them. */
  void write(List<ByteBuf> batch) throws IOException {
    int first = 0;
    boolean started = false;
    try {
      if (queued.isEmpty()) {
        started = writeSome(batch);
        while (first < batch.size() && !batch.get(first).isReadable()) {
          batch.get(first++).release();
        }
      }
    } catch (IOException | RuntimeException e) {
      for (int i = first; i < batch.size(); i++) {
        if (i >= untouchedFrom) {
          noteFailedWhole(batch.get(i));
        }
        batch.get(i).release();
      }
      throw e;
    }
    if (first == batch.size()) {
      return;
    }
    boolean arm = queued.isEmpty();
    if (arm) {
      headStarted = started;
    }
    long added = 0;
    for (int i = first; i < batch.size(); i++) {
      queued.add(batch.get(i));
      added += batch.get(i).readableBytes();
    }
    queuedBytes += added;
    if (arm) {
      wantWritable.run();
    }
  }

  /** Once the socket takes bytes: writes what is queued; true if some remain (to watch again). */
  boolean flushQueued() throws IOException {
    ByteBuf next;
    while ((next = queued.peek()) != null) {
      int before = next.readableBytes();
      boolean all;
      try {
        all = writeSome(next);
      } finally {
        headStarted |= next.readableBytes() < before; // so too when the socket failed mid-way
      }
      queuedBytes -= before - next.readableBytes();
      if (!all) {
        return true;
      }
      queued.poll().release();
      headStarted = false; // the next one is whole
    }
    return false;
  }

  /**
   * {@code message} itself when its bytes are all in direct memory; else (it wraps a caller's
   * array) a copy in direct memory of its readable bytes, and {@code message} is released.
   */
  static ByteBuf owned(ByteBuf message, ByteBufAllocator alloc) {
    if (message.isDirect()) {
      return message;
    }
    try {
      ByteBuf copy = alloc.directBuffer(message.readableBytes());
      copyParts(message, copy);
      return copy;
    } finally {
      message.release();
    }
  }

  /**
   * Part by part: a composite's writeBytes into another buffer merged the parts into a new heap
   * array first (CompositeByteBuf.nioBuffer), a second copy of a large argument and an
   * allocation of its size per call.
   */
  private static void copyParts(ByteBuf message, ByteBuf copy) {
    for (ByteBuffer part : message.nioBuffers()) {
      copy.writeBytes(part);
    }
  }

  /**
   * Writes one message, in direct memory, until the socket takes no more; true if all of it went.
   * A small one goes through the staging buffer, a large one through one NIO view of its own, or
   * one per part when it was gathered from several (a large argument in a buffer of its own).
   */
  private boolean writeSome(ByteBuf message) throws IOException {
    int length = message.readableBytes();
    if (staging == null) {
      throw new IOException("the connection is closed");
    }
    if (length <= STAGING_BYTES) {
      staging.clear();
      message.getBytes(message.readerIndex(), staging, 0, length);
      return writeView(message, staging.internalNioBuffer(0, length));
    }
    if (message.nioBufferCount() == 1) {
      return writeView(message, message.nioBuffer());
    }
    ByteBuffer[] views = message.nioBuffers(); // one view per part: a composite's nioBuffer() copies
    long written = 0;
    try {
      while (written < length) {
        long n = channel.write(views);
        if (n == 0) {
          return false;
        }
        written += n;
      }
      return true;
    } finally {
      message.skipBytes((int) written);
    }
  }

  /**
   * Writes {@code view}, all of {@code buf}'s readable bytes, until the socket takes no more;
   * advances {@code buf}'s reader index by what went; true if all of it did.
   */
  private boolean writeView(ByteBuf buf, ByteBuffer view) throws IOException {
    int length = view.remaining();
    try {
      while (view.hasRemaining()) {
        if (channel.write(view) == 0) {
          return false;
        }
      }
      return true;
    } finally {
      buf.skipBytes(length - view.remaining());
    }
  }

  /**
   * Writes until the socket takes no more; advances each message's reader index. Whether the
   * first message not written whole had part of it written.
   */
  private boolean writeSome(List<ByteBuf> messages) throws IOException {
    ByteBuffer[] buffers = new ByteBuffer[messages.size()];
    for (int i = 0; i < buffers.length; i++) {
      buffers[i] = messages.get(i).nioBuffer();
    }
    untouchedFrom = 0;
    try {
      while (buffers[buffers.length - 1].hasRemaining()) {
        long n = buffers.length == 1 ? channel.write(buffers[0]) : channel.write(buffers);
        if (n == 0) {
          break;
        }
      }
    } finally {
      for (int i = 0; i < buffers.length; i++) {
        ByteBuf m = messages.get(i);
        m.skipBytes(m.readableBytes() - buffers[i].remaining());
        if (buffers[i].position() > 0) {
          untouchedFrom = i + 1; // the socket takes a prefix: none after the last it took from
        }
      }
    }
    for (ByteBuffer b : buffers) {
      if (b.hasRemaining()) {
        return b.position() > 0;
      }
    }
    return false;
  }

  /**
   * Once released (the connection is lost): whether the call with {@code xid} was queued whole,
   * none of its record written.
   */
  boolean neverLeft(int xid) {
    return Arrays.binarySearch(neverLeft, xid) >= 0;
  }

  /** A write failed before any byte of {@code record} went out: its call never left. */
  private void noteFailedWhole(ByteBuf record) {
    if (record.readableBytes() < 8) {
      return;
    }
    if (failedWholeCount == failedWhole.length) {
      failedWhole = Arrays.copyOf(failedWhole, Math.max(8, failedWholeCount * 2));
    }
    failedWhole[failedWholeCount++] = record.getInt(record.readerIndex() + 4);
  }

  /**
   * The connection is closed: frees what was never written, having noted the xids of the calls
   * queued whole (a record's xid follows its record mark).
   */
  void release() {
    int[] xids = Arrays.copyOf(failedWhole, failedWholeCount + queued.size());
    int n = failedWholeCount;
    boolean whole = !headStarted;
    ByteBuf next;
    while ((next = queued.poll()) != null) {
      if (whole && next.readableBytes() >= 8) {
        xids[n++] = next.getInt(next.readerIndex() + 4);
      }
      whole = true;
      next.release();
    }
    Arrays.sort(xids, 0, n);
    neverLeft = Arrays.copyOf(xids, n);
    queuedBytes = 0;
    dropKeptCopy();
    if (staging != null) {
      staging.release();
      staging = null;
    }
  }
}
