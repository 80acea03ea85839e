package org.onyxrpc.internal.transport;

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
 * after a read that used a quarter of it or less, so a peer that trickles bytes gets small
 * buffers: the buffers a connection holds stay within about three times what it was sent, as
 * with Netty's default.
 */
public final class RecordReadSizing extends DefaultMaxMessagesRecvByteBufAllocator {
  /** The smallest read, and the first. */
  static final int MIN_READ = 2048;
  /** The largest read. */
  static final int MAX_READ = 1 << 20;

  private final IntSupplier missingBytes;

  /** {@code missingBytes}: bytes still to come of the fragment begun, 0 if none is begun. */
  public RecordReadSizing(IntSupplier missingBytes) {
    super(16); // reads per wake-up, as Netty's default for a socket
    this.missingBytes = missingBytes;
  }

  @Override
  public Handle newHandle() {
    return new Sizing();
  }

  /** One channel's read sizes. */
  private final class Sizing extends MaxMessageHandle {
    private int size = MIN_READ;

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
