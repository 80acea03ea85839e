package org.onyxrpc.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslHandler;

/**
 * Gathers the reads of a message that spans them by reference, as Netty's composite cumulator
 * does, but copies a run of small reads at the end together once it is longer than {@value
 * #SMALL_READS}. Each read comes in a buffer of its own, of at least a read's smallest size
 * ({@link RecordReadSizing}: 2 KiB), and the composite keeps every one whole until the message
 * is complete: a peer that trickles a record a byte per read made its connection hold 2 KiB per
 * byte, a thousand times what the byte budget counted. A read that nothing waits before (a
 * record read whole, the common case) is passed on as it is.
 */
public final class ReadCumulator {
  /** Small reads at the end of what is gathered that are copied together once there are more. */
  static final int SMALL_READS = 16;
  /** Reads that together hold less than this are small. */
  static final int SMALL_BYTES = 4096;

  /** The cumulator. */
  public static final ByteToMessageDecoder.Cumulator INSTANCE = (alloc, cumulation, in) -> {
    ByteBuf gathered = ByteToMessageDecoder.COMPOSITE_CUMULATOR.cumulate(alloc, cumulation, in);
    if (gathered != in && gathered instanceof CompositeByteBuf composite && composite.refCnt() == 1) {
      copySmallReadsTogether(composite);
    }
    return gathered;
  };

  private ReadCumulator() {}

  /**
   * Puts the cumulator in a TLS handler that gathers TLS records in a composite (OpenSSL's:
   * the JDK's copies each read into one buffer, which costs no more than its bytes).
   */
  public static void forTls(SslHandler handler) {
    if (handler.engine() instanceof ReferenceCountedOpenSslEngine) {
      handler.setCumulator(INSTANCE);
    }
  }

  /**
   * Copies the run of components at the end of {@code composite} that together hold less than
   * {@value #SMALL_BYTES} bytes into one buffer, if it is longer than {@value #SMALL_READS}: a
   * connection then keeps at most that many read buffers besides the bytes it was sent.
   */
  private static void copySmallReadsTogether(CompositeByteBuf composite) {
    int count = composite.numComponents();
    int run = 0; // the composite cumulator trimmed the capacity to what was written
    while (run < count && composite.capacity() - composite.toByteIndex(count - 1 - run) < SMALL_BYTES) {
      run++;
    }
    if (run > SMALL_READS) {
      composite.consolidate(count - run, run);
    }
  }
}
