package org.onyxrpc.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.DefaultMaxMessagesRecvByteBufAllocator;
import java.util.function.IntSupplier;

/**
 * Sizes each read of a record-marked TCP stream for the record fragment being received, as the
 * caller-runs client's reader does: a large fragment arrives in a few large buffers rather than
 * in sixteen 64 KiB ones (Netty's adaptive default stops at 64 KiB), so a 1 MiB record costs a
 * few read(2)s and a few composite components, not seventeen.
 *
 * <p>A read is never larger than what is missing of the fragment begun (what the decoder
 * reports), so nothing is allocated for bytes no record needs. The size doubles only after a
 * read that filled a buffer of the full size (the peer sends faster than it is read) and halves
 * after a read that used a quarter of it or less, so a peer that trickles bytes gets the
 * smallest buffers; a run of small reads of a record still arriving is copied together ({@link
 * ReadCumulator}), so the buffers a connection holds stay within about three times what it was
 * sent.
 *
 * <p>A buffer of the smallest size, the one every small call or reply is read into, is kept and
 * read into again once the pipeline has released it, so that a connection of small messages
 * allocates no buffer per read (nor has one read in 128 pay for a leak-detector stack trace).
 * Its owner frees it with {@link #release} when the connection is gone.
 */
public final class RecordReadSizing extends DefaultMaxMessagesRecvByteBufAllocator {
  /** The smallest read, and the first. */
  static final int MIN_READ = 2048;
  /** The largest read. */
  static final int MAX_READ = 1 << 20;
  /**
   * Reads this large and larger begin at a page's start ({@link PageAlignedReads}), for a page
   * more of memory: the kernel's copy of a large record is then about six times faster on AMD.
   */
  static final int ALIGNED_READ = 16 * 1024;

  private final IntSupplier missingBytes;
  private Sizing handle; // the channel's (one allocator per channel), made on its event loop

  /** {@code missingBytes}: bytes still to come of the fragment begun, 0 if none is begun. */
  public RecordReadSizing(IntSupplier missingBytes) {
    super(16); // reads per wake-up, as Netty's default for a socket
    this.missingBytes = missingBytes;
  }

  @Override
  public ExtendedHandle newHandle() {
    handle = new Sizing();
    return handle;
  }

  /** Frees the read buffer {@code channel} keeps, once nothing reads it any more. */
  public static void release(Channel channel) {
    // Not through the channel's handle: a transport may wrap ours (epoll does).
    if (channel.config().getRecvByteBufAllocator() instanceof RecordReadSizing sizing
        && sizing.handle != null) {
      sizing.handle.releaseKept();
    }
  }

  /** One channel's read sizes. */
  private final class Sizing extends MaxMessageHandle {
    private int size = MIN_READ;
    private ByteBuf kept; // a read buffer of MIN_READ bytes, one reference ours, or null

    @Override
    public ByteBuf allocate(ByteBufAllocator alloc) {
      int bytes = guess();
      if (bytes >= ALIGNED_READ) {
        return PageAlignedReads.slice(alloc, bytes);
      }
      if (bytes != MIN_READ) {
        return alloc.ioBuffer(bytes);
      }
      if (kept != null && kept.refCnt() == 1) {
        kept.clear(); // the pipeline is done with the last read's bytes
        return kept.retain();
      }
      releaseKept(); // still held (a call in flight reads from it): its holder frees it
      kept = alloc.ioBuffer(MIN_READ, MIN_READ);
      return kept.retain();
    }

    void releaseKept() {
      if (kept != null) {
        kept.release();
        kept = null;
      }
    }

    @Override
    public int guess() {
      int missing = missingBytes.getAsInt();
      return missing > 0 ? Math.max(MIN_READ, Math.min(size, missing)) : size;
    }

    @Override
    public void lastBytesRead(int bytes) {
      if (bytes == size && attemptedBytesRead() == size) {
        size = Math.min(MAX_READ, size << 1);
      } else if (bytes > 0 && bytes <= size >> 2) {
        size = Math.max(MIN_READ, size >> 1);
      }
      super.lastBytesRead(bytes);
    }
  }
}
