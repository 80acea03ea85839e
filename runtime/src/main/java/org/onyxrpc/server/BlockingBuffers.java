package org.onyxrpc.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.onyxrpc.internal.transport.PageAlignedReads;
import org.onyxrpc.internal.transport.RecordAssembler;

/**
 * The buffers of one {@link BlockingTcpConnection}'s thread: the one it reads into and a spare
 * one for its replies, each used again from call to call once nobody else holds it. A small call
 * read whole and answered on the thread then costs no allocation, no release to the pool and no
 * leak detector's sample (a stack trace taken for one buffer in 128 by default, a tail of its
 * own that the JVM's blocking floor does not have). Used by the connection's thread alone, but
 * for the large buffer it keeps ({@link #dropKept}).
 *
 * <p>A large fragment is read in place: the read buffer grows as its bytes arrive, to at most
 * twice what has come and one usual room more, capped by the bytes the fragment still misses (a
 * record mark is the peer's word: one announcing 1 MiB and sending 4 bytes costs the usual
 * room). Before, the buffer grew by Netty's rule and went back to the pool after every record: a
 * 1 MiB echo grew a new one from 16 KiB in seven copies per call, 40% of the thread's time.
 * The grown buffer is now kept for the next large record, while the server's byte budget has
 * room for it ({@link ByteBudget#tryKeep}: never more than half of it, so that it never holds up
 * the records arriving), and given back with its charge when the connection is quiet, or
 * closes, or as soon as a connection waits for the budget ({@link
 * ByteBudget#dropKeptBeforeWaiting}). Between records the thread reads into its usual
 * buffer, so that the kept one, read into by nobody, may be dropped from the timer's thread.
 *
 * <p>A large buffer is read into from a page's start ({@link PageAlignedReads}): 16 bytes past
 * one, where a large buffer of the pool begins, the kernel copied a large call about six times
 * slower.
 */
final class BlockingBuffers {
  /** The least room a read is given: a call and its record mark, most often. */
  static final int READ_BYTES = 16 * 1024;
  /** A buffer with less room than this for a fragment begun (or a record mark) is made room in. */
  private static final int MIN_ROOM_BYTES = 4096;

  private final ByteBufAllocator alloc;
  private final ByteBudget budget; // what a kept buffer's capacity is charged to
  private final SpareBuffer spareReply;
  // The large buffer kept between records, its capacity charged to the budget: taken by the
  // thread for a large fragment, dropped by the timer's thread.
  private final AtomicReference<ByteBuf> kept = new AtomicReference<>();
  // Queued with the budget once kept, until run: dropped as soon as a reader waits for room.
  private final AtomicBoolean dropQueued = new AtomicBoolean();
  private final Runnable dropWhenShort = () -> {
    dropQueued.set(false);
    dropKept();
  };
  private ByteBuf usual; // the usual read buffer, set by while a large one is read into
  private long taken; // a kept buffer's charge, to give back once the connection charges it
  // Buffers taken from the allocator, for reads and replies (for tests): written by the thread.
  private volatile long allocations;
  // The capacity of the buffer read into (for tests): written when it changes, by the thread.
  private volatile int readBytes;

  BlockingBuffers(ByteBufAllocator alloc, ByteBudget budget) {
    this.alloc = alloc;
    this.budget = budget;
    this.spareReply = new SpareBuffer(alloc, SpareBuffer.REPLY_BYTES, SpareBuffer.KEPT_REPLY_BYTES);
  }

  /**
   * Gives the next read room in a buffer nobody else holds, returned in place of {@code
   * cumulation} (null at first): when all was taken, the usual buffer (a grown one, free, is
   * kept if the budget has room for it; one a record still holds a slice of is let go); else the
   * one holding the part of a record the reader waits for, made room in if need be (the
   * assembler has checked that part's header against the limits), moved to a larger one (the
   * kept one if large enough) when full or when a record still holds slices of it.
   */
  ByteBuf readRoom(ByteBuf cumulation) {
    // The replies made on the thread for the records read last are written: a spare grown by a
    // large one is let go before the read, in which a quiet peer may leave the thread for good
    // (it kept 4 MiB per connection after a 3 MiB string echoed, charged to nothing).
    spareReply.trim();
    if (cumulation != null && !cumulation.isReadable()) {
      if (cumulation.refCnt() == 1 && cumulation.capacity() <= READ_BYTES) {
        return cumulation.clear(); // a call read whole and handed on, its slice released
      }
      if (cumulation.refCnt() == 1) {
        keep(cumulation);
      } else {
        cumulation.release(); // freed with the last slice
      }
      cumulation = null;
    }
    if (cumulation == null) {
      ByteBuf next = usual;
      usual = null;
      next = next != null ? next : allocate(READ_BYTES);
      readBytes = READ_BYTES;
      return next;
    }
    int missing = RecordAssembler.missingBytes(cumulation);
    int need = missing > 0 ? Math.min(missing, MIN_ROOM_BYTES) : MIN_ROOM_BYTES;
    boolean alone = cumulation.refCnt() == 1;
    if (alone && cumulation.writableBytes() < need) {
      // A fragment's part moved to the front, read bytes dropped; a large buffer's front is its
      // page's start (PageAlignedReads).
      if (cumulation.capacity() > READ_BYTES) {
        PageAlignedReads.compact(cumulation);
      } else {
        cumulation.discardReadBytes();
      }
    }
    if (alone && cumulation.writableBytes() >= need) {
      return cumulation;
    }
    long held = cumulation.readableBytes();
    long wanted = Math.min(held + Math.max(missing, MIN_ROOM_BYTES), 2 * held + READ_BYTES);
    // Never past the budget's room, but a little to go on: a doubling would charge, at once, up
    // to twice the budget; a reader short of it is woken for one read, as before it grew here.
    wanted = Math.min(wanted, held + Math.max(budget.room(), MIN_ROOM_BYTES));
    long fragment = held + (missing > 0 ? missing : MIN_ROOM_BYTES); // its header's word, checked
    return moved(cumulation, (int) Math.max(READ_BYTES, wanted), 2 * fragment + READ_BYTES);
  }

  /**
   * {@code from}'s bytes in a buffer of at least {@code capacity}: the kept one if it is, and no
   * larger than {@code atMost}. A fragment not its record's last stays where it was read, held
   * by a slice, and charged as its own bytes once read whole: read into a kept buffer many
   * times its size, it would hold the rest of it uncharged (a peer's many connections, each
   * keeping one while the budget had room, then sending a small such fragment, many budgets).
   */
  private ByteBuf moved(ByteBuf from, int capacity, long atMost) {
    ByteBuf to = kept.get();
    if (to != null && to.capacity() < capacity) {
      dropKept(); // too small for the records now coming
      to = null;
    } else if (to != null) {
      // Else left kept, charged, for a record of its size (or dropped when quiet, or short).
      to = to.capacity() <= atMost ? kept.getAndSet(null) : null; // null: dropped meanwhile
    }
    if (to != null) {
      taken += to.capacity(); // charged until the connection charges it as its own (settle)
    } else {
      allocations++;
      to = PageAlignedReads.directBuffer(alloc, capacity);
    }
    to.writeBytes(from);
    readBytes = to.capacity();
    if (from.refCnt() == 1 && from.capacity() == READ_BYTES && usual == null) {
      usual = from.clear();
    } else {
      from.release();
    }
    return to;
  }

  /**
   * The bytes {@code cumulation} is charged to the budget as: its capacity once grown past the
   * usual room (every byte of it held for the peer's record), else those it holds; none once all
   * was taken (a grown one is then kept, charged as such, or let go).
   */
  static long charged(ByteBuf cumulation) {
    if (cumulation == null || !cumulation.isReadable()) {
      return 0;
    }
    return cumulation.capacity() > READ_BYTES ? cumulation.capacity() : cumulation.readableBytes();
  }

  /** Once the connection has charged what it reads into: a kept buffer's charge given back. */
  void settle() {
    if (taken != 0) {
      budget.adjust(-taken);
      taken = 0;
    }
  }

  private void keep(ByteBuf grown) {
    if (!budget.tryKeep(grown.capacity())) {
      grown.release();
      return;
    }
    ByteBuf before = kept.getAndSet(PageAlignedReads.reset(grown));
    if (before != null) {
      drop(before); // a larger record's came meanwhile: one kept at most
    }
    if (dropQueued.compareAndSet(false, true)) {
      budget.dropKeptBeforeWaiting(dropWhenShort);
    }
  }

  /**
   * The kept buffer, if any, given back with its charge: the connection is quiet, or the budget
   * spent. From any thread: nobody reads into a kept buffer.
   */
  void dropKept() {
    ByteBuf held = kept.getAndSet(null);
    if (held != null) {
      drop(held);
    }
  }

  private void drop(ByteBuf held) {
    long capacity = held.capacity();
    held.release();
    budget.adjust(-capacity);
  }

  /** The capacity of the buffer read into now, 0 before the first read (for tests). */
  int readBytes() {
    return readBytes;
  }

  /** The capacity of the buffer kept between records, 0 if none (for tests). */
  long keptBytes() {
    ByteBuf held = kept.get();
    return held == null ? 0 : held.capacity();
  }

  /**
   * A buffer for a reply made on the thread: the spare once every reply made in it before was
   * written or dropped (its one reference left, the spare's), else a new one. The reply's owner
   * releases it as any other.
   */
  ByteBuf reply() {
    ByteBuf spare = spareReply.take(0); // a writer thread's release is seen here
    if (spare != null) {
      return spare;
    }
    allocations++;
    return alloc.ioBuffer();
  }

  private ByteBuf allocate(int capacity) {
    allocations++;
    return alloc.ioBuffer(capacity);
  }

  /** Buffers taken from the allocator so far. */
  long allocations() {
    return allocations;
  }

  /**
   * The thread ends: the spare given back (a reply still being written holds its own), and the
   * read buffers set by, with their charge.
   */
  void release() {
    spareReply.release();
    if (dropQueued.get()) {
      budget.forgetKeptDrop(dropWhenShort);
    }
    dropKept();
    settle();
    if (usual != null) {
      usual.release();
      usual = null;
    }
  }
}
