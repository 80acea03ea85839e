package org.onyxrpc.internal.transport;

import io.netty.buffer.ByteBuf;

/**
 * Writes RFC 5531 §11 record marks in place: a message is encoded after a 4-byte placeholder that
 * is patched once its length is known, so a record goes out as one buffer with no copy.
 */
public final class RecordMarking {
  /** RFC 5531 §11: the high bit of a fragment header marks the last fragment of a record. */
  public static final int LAST_FRAGMENT = 0x8000_0000;
  /** RFC 5531 §11: the low 31 bits of a fragment header are the fragment's length. */
  public static final int LENGTH_MASK = 0x7FFF_FFFF;
  /** Bytes of one fragment header. */
  public static final int HEADER_BYTES = 4;

  private RecordMarking() {}

  /** Reserves the record mark at the writer index; returns where it stands for {@link #end}. */
  public static int begin(ByteBuf buf) {
    int start = buf.writerIndex();
    buf.writeInt(0);
    return start;
  }

  /** Patches the mark reserved at {@code start}: everything after it is one last fragment. */
  public static void end(ByteBuf buf, int start) {
    int length = buf.writerIndex() - start - HEADER_BYTES;
    buf.setInt(start, LAST_FRAGMENT | length);
  }
}
