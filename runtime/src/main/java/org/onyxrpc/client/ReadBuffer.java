package org.onyxrpc.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import org.onyxrpc.internal.transport.PageAlignedReads;
import org.onyxrpc.internal.transport.RecordAssembler;

/**
 * A caller-runs connection's read buffer, and when it grows, moves and shrinks: it grows as the
 * bytes of a fragment already begun arrive (to at most twice what has come), so that a large
 * record is read in place; it keeps that size while large records keep coming and are done with
 * once decoded, and goes back to its usual size once a small one has come.
 *
 * <p>Before, a grown buffer was given up as soon as its record had been read. A client calling
 * for 1 MiB results then allocated, and the JDK zeroed, a new 1 MiB buffer for every reply (about
 * a twentieth of the client's time in the 1 MiB echo). Kept, it costs at most the largest record
 * the client accepts, and only until the connection's next small reply, or its close.
 *
 * <p>A buffer that records still point into (the fragments of a record still arriving, a result
 * decoded as a slice, a reply handed to a busy owner) cannot drop the bytes they point at, and
 * growing it would copy every one of them. So reading moves on instead: the bytes not yet taken
 * are carried to another buffer, and the one left is set aside, to be read into again once
 * nothing points into it. Before, a reply from a C server (libtirpc cuts a 1 MiB record into 64
 * KiB fragments, each kept as a slice until the record is whole) grew the buffer from 64 KiB to
 * 2 MiB, copying it at each step, and the next reply started again from 64 KiB: about 1 MiB
 * copied and 2 MiB allocated and zeroed per reply. A client that releases each result before
 * its next call now reads every reply into buffers it already has. At most {@value
 * #MAX_SET_ASIDE} buffers are set aside; all go once a small record has come, or the connection
 * has been quiet ({@link QuietRelease}).
 *
 * <p>Every buffer is read into from a page's start ({@link PageAlignedReads}): a large reply read
 * 16 bytes past one, where malloc puts a large buffer, was copied by the kernel about six times
 * slower.
 *
 * <p>Only the holder of the connection's read turn uses it.
 */
final class ReadBuffer {
  static final int USUAL_BYTES = 64 << 10;
  /** A buffer this large or smaller is kept whatever comes. */
  static final int KEPT_BYTES = 4 * USUAL_BYTES;
  /** The most buffers set aside at once: the smallest goes first. */
  static final int MAX_SET_ASIDE = 4;
  /**
   * The most unread bytes carried to a usual-size buffer when a grown one goes once quiet: half
   * of it, so that the reads after it find room. More stay where they are: a large record is
   * under way, and growing the buffer again would copy them anyway.
   */
  static final int CARRIED_BYTES = USUAL_BYTES / 2;
  /** The least room a read is given, so that small replies are not read a few bytes at a time. */
  private static final int MIN_ROOM_BYTES = 4096;
  /** Reading moves on into a buffer twice the size of the last, up to this size. */
  private static final int MAX_DOUBLED_BYTES = 4 << 20;
  /**
   * Unpooled, as the buffer lives as long as the connection: such a buffer keeps one NIO view for
   * every read, where an adaptive-pool buffer makes a new one per read(2).
   */
  private static final ByteBufAllocator BUFFERS = UnpooledByteBufAllocator.DEFAULT;

  private ByteBuf in = newBuffer(USUAL_BYTES);
  /** Buffers records pointed into when reading moved on; each is read into again once free. */
  private final List<ByteBuf> setAside = new ArrayList<>(MAX_SET_ASIDE + 1);
  /** The largest record delivered since the last {@link #tidy}; 0 if none was. */
  private int largestDelivered;

  /** The buffer to read into and decode from; another one after {@link #tidy}. */
  ByteBuf bytes() {
    return in;
  }

  /**
   * Makes room for what the fragment begun in the buffer still misses, and at least a little. A
   * buffer that records point into is never grown: the bytes not yet taken are carried to another
   * (one set aside and free again if one is large enough), and it is set aside. {@code mayMove}
   * false keeps the buffer read into as it is, grown if need be, as a batch of records is being
   * delivered from it.
   */
  void makeRoom(boolean mayMove) {
    boolean pointedInto = in.refCnt() > 1;
    if (mayMove && !pointedInto && !in.isReadable()) {
      PageAlignedReads.reset(in); // what records pointed into has been let go since the last tidy
    }
    // Room for what the fragment misses, but no more than the bytes already here, or what fills
    // the usual size: a record mark is the server's word. Room made for the whole fragment
    // announced cost a mark of 16 MiB (the default record limit) and 4 bytes 16 MiB of direct
    // memory, kept until a small reply came; under the largest limit a mark of 2^31 - 1 asked
    // for 2 GiB. A large record grows the buffer geometrically instead, at most twice what has
    // come: its first read copies about what it brings, and the next are read into the buffer
    // kept. Within the buffer's maximum capacity, wherever it is written to.
    int come = in.readableBytes();
    long wanted = Math.min(RecordAssembler.missingBytes(in), Math.max(come, USUAL_BYTES - come));
    int room = (int) Math.min(Math.max(wanted, MIN_ROOM_BYTES), Integer.MAX_VALUE - in.writerIndex());
    if (in.writableBytes() >= room) {
      return;
    }
    if (!mayMove) {
      in.ensureWritable(room);
      return;
    }
    int least = in.readableBytes() + room;
    ByteBuf free = takeFree(least);
    if (free == null && !pointedInto) {
      PageAlignedReads.compact(in);
      if (in.writableBytes() < room) { // moved, as growing in place would copy them anyway
        ByteBuf grown = newBuffer(Math.max(least, Math.min(2 * room(in), MAX_DOUBLED_BYTES)));
        grown.writeBytes(in);
        in.release();
        in = grown;
      }
      return;
    }
    ByteBuf held = in;
    // Twice the size, so that a record in many fragments takes a few buffers, not one per read.
    in = free != null ? free
        : newBuffer(Math.max(least, Math.min(2 * room(held), MAX_DOUBLED_BYTES)));
    in.writeBytes(held);
    setAside(held);
  }

  /** A buffer with {@code room} bytes to read into, from a page's start. */
  private static ByteBuf newBuffer(int room) {
    return PageAlignedReads.directBuffer(BUFFERS, room);
  }

  /** The room {@code buffer} was made with ({@link #newBuffer}), its page's slack aside. */
  static int room(ByteBuf buffer) {
    return Math.max(0, buffer.capacity() - PageAlignedReads.PAGE_BYTES);
  }

  /** A record of {@code bytes} has been taken from the buffer (in place, sliced or assembled). */
  void delivered(int bytes) {
    largestDelivered = Math.max(largestDelivered, bytes);
  }

  /**
   * After a read's records have been taken: a grown buffer left empty goes back to the usual size
   * once the records just taken were small (the large ones have stopped coming), and is set aside
   * while records still point into it (a result slice the application holds, a reply handed to a
   * busy owner), reading going on into the largest buffer set aside before that is free again.
   * Otherwise the bytes already taken are dropped, if nothing points into them.
   */
  void tidy() {
    boolean smallCame = largestDelivered > 0 && largestDelivered <= KEPT_BYTES;
    largestDelivered = 0;
    if (smallCame) {
      letGoOfSetAside();
    }
    boolean grownAndEmpty = !in.isReadable() && room(in) > KEPT_BYTES;
    if (grownAndEmpty && smallCame) {
      in.release();
      in = newBuffer(USUAL_BYTES);
    } else if (grownAndEmpty && in.refCnt() > 1) {
      // Read into again, its room would end after the bytes held, and the next large record would
      // be carried out of it part-read: the next begins in a buffer free from the start, if any.
      ByteBuf free = takeFree(0);
      if (free != null) {
        setAside(in);
        in = free;
      }
    } else if (in.refCnt() == 1) {
      PageAlignedReads.discardSome(in);
    }
  }

  /**
   * The largest buffer set aside that nothing points into any more and that holds {@code least}
   * bytes, emptied; null if none is.
   */
  private ByteBuf takeFree(int least) {
    int best = -1;
    for (int i = 0; i < setAside.size(); i++) {
      ByteBuf candidate = setAside.get(i);
      // Once this reference is the last, nothing else can take one: records are sliced from a
      // buffer only by the turn's holder, which is this thread.
      if (candidate.refCnt() == 1 && room(candidate) >= least
          && (best < 0 || room(candidate) > room(setAside.get(best)))) {
        best = i;
      }
    }
    return best < 0 ? null : PageAlignedReads.reset(setAside.remove(best));
  }

  /** Keeps {@code held} to read into once free; the smallest kept is let go beyond the bound. */
  private void setAside(ByteBuf held) {
    setAside.add(held);
    if (setAside.size() > MAX_SET_ASIDE) {
      int smallest = 0;
      for (int i = 1; i < setAside.size(); i++) {
        if (setAside.get(i).capacity() < setAside.get(smallest).capacity()) {
          smallest = i;
        }
      }
      setAside.remove(smallest).release(); // freed when the last record pointing into it is
    }
  }

  private void letGoOfSetAside() {
    for (ByteBuf held : setAside) {
      held.release();
    }
    setAside.clear();
  }

  /** Whether it holds more than its usual buffer: one grown, or buffers set aside. */
  boolean keepsForLarge() {
    return room(in) > KEPT_BYTES || !setAside.isEmpty();
  }

  /**
   * The connection is quiet: the buffers set aside go, and a grown buffer goes back to the usual
   * size (freed once the last record pointing into it is), the bytes of a record begun in it, if
   * no more than {@value #CARRIED_BYTES}, carried over. Before, only a grown buffer left empty
   * went: a server that sent after a 4 MiB reply the start of a record it never finished kept
   * the client's 4 MiB buffer for good.
   */
  void letGoOfKeptForLarge() {
    letGoOfSetAside();
    if (room(in) > KEPT_BYTES && in.readableBytes() <= CARRIED_BYTES) {
      ByteBuf usual = newBuffer(USUAL_BYTES);
      usual.writeBytes(in);
      in.release();
      in = usual;
    }
  }

  /** Frees the buffers; once, when the connection is closed. */
  void release() {
    in.release();
    letGoOfSetAside();
  }
}
