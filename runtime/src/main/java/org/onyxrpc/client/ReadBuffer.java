package org.onyxrpc.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.onyxrpc.internal.transport.RecordAssembler;

/**
 * A caller-runs connection's read buffer, and when it grows and shrinks: it grows to take the
 * whole of a fragment already begun, so that a large record is read in place; it keeps that size
 * while large records keep coming and are done with once decoded, and goes back to its usual size
 * once a small one has come.
 *
 * <p>Before, a grown buffer was given up as soon as its record had been read. A client calling
 * for 1 MiB results then allocated, and the JDK zeroed, a new 1 MiB buffer for every reply (about
 * a twentieth of the client's time in the 1 MiB echo). Kept, it costs at most the largest record
 * the client accepts, and only until the connection's next small reply, or its close.
 *
 * <p>A grown buffer that records still point into (a result decoded as a slice, a reply handed to
 * a busy owner) cannot be read into again; it is set aside as the spare, and the next large
 * record is read into the spare set aside before, if nothing points into that one any more. So a
 * client that releases each result slice before its next call reads every reply into one of two
 * buffers, where it had a new one, zeroed, per reply. At most two grown buffers are kept.
 *
 * <p>Only the holder of the connection's read turn uses it.
 */
final class ReadBuffer {
  static final int USUAL_BYTES = 64 << 10;
  /** A buffer this large or smaller is kept whatever comes. */
  static final int KEPT_BYTES = 4 * USUAL_BYTES;
  /** The least room a read is given, so that small replies are not read a few bytes at a time. */
  private static final int MIN_ROOM_BYTES = 4096;
  /**
   * Unpooled, as the buffer lives as long as the connection: such a buffer keeps one NIO view for
   * every read, where an adaptive-pool buffer makes a new one per read(2).
   */
  private static final ByteBufAllocator BUFFERS = UnpooledByteBufAllocator.DEFAULT;

  private ByteBuf in = BUFFERS.directBuffer(USUAL_BYTES);
  /** A grown buffer set aside while records still pointed into it; null if none is. */
  private ByteBuf spare;
  /** The largest record delivered since the last {@link #tidy}; 0 if none was. */
  private int largestDelivered;

  /** The buffer to read into and decode from; another one after {@link #tidy}. */
  ByteBuf bytes() {
    return in;
  }

  /** Makes room for what the fragment begun in the buffer still misses, and at least a little. */
  void makeRoom() {
    in.ensureWritable(Math.max(RecordAssembler.missingBytes(in), MIN_ROOM_BYTES));
  }

  /** A record of {@code bytes} has been taken from the buffer (in place, sliced or assembled). */
  void delivered(int bytes) {
    largestDelivered = Math.max(largestDelivered, bytes);
  }

  /**
   * After a read's records have been taken: a grown buffer left empty goes back to the usual size
   * once the records just taken were small (the large ones have stopped coming), and is set aside
   * as the spare while records still point into it (a result slice the application holds, a reply
   * handed to a busy owner), reading going on into the spare set aside before if it is free.
   * Otherwise the bytes already taken are dropped, if nothing points into them.
   */
  void tidy() {
    boolean smallCame = largestDelivered > 0 && largestDelivered <= KEPT_BYTES;
    largestDelivered = 0;
    if (smallCame) {
      dropSpare();
    }
    boolean grownAndEmpty = !in.isReadable() && in.capacity() > KEPT_BYTES;
    if (grownAndEmpty && smallCame) {
      in.release();
      in = BUFFERS.directBuffer(USUAL_BYTES);
    } else if (grownAndEmpty && in.refCnt() > 1) {
      // Read into again, it could drop none of the bytes held, and would grow by each reply for
      // as long as they are: set it aside, and read on into another.
      ByteBuf held = in;
      in = takeSpare();
      spare = held;
    } else if (in.refCnt() == 1) {
      in.discardSomeReadBytes();
    }
  }

  /** The spare, emptied, if nothing points into it any more; otherwise a new usual buffer. */
  private ByteBuf takeSpare() {
    ByteBuf taken = spare;
    spare = null;
    if (taken == null) {
      return BUFFERS.directBuffer(USUAL_BYTES);
    }
    // Once this reference is the last, nothing else can take one: records are sliced from the
    // buffer only by the turn's holder, which is this thread.
    if (taken.refCnt() == 1) {
      return taken.clear();
    }
    taken.release(); // freed when its last record is
    return BUFFERS.directBuffer(USUAL_BYTES);
  }

  private void dropSpare() {
    if (spare != null) {
      spare.release();
      spare = null;
    }
  }

  /** Frees the buffers; once, when the connection is closed. */
  void release() {
    in.release();
    dropSpare();
  }
}
