package org.onyxrpc.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrLimits;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;

/**
 * Checks that a codec charges its reader ({@link XdrReader#decodedBytes}) at least what decoding
 * allocates, so that {@link XdrLimits#maxDecodedBytes} and a server's budget for arguments in
 * flight see every byte a peer's message makes the JVM hold. A hand-written codec that builds a
 * record without {@link XdrReader#countObject} fails it.
 *
 * <p>The encoded value is decoded {@value #DECODES} times in a row by one reader, and the
 * allocation counted by the JVM for this thread ({@link Allocations}) compared with the charges:
 * an uncharged object of 16 bytes shows as a kilobyte, far above the reader itself, the one
 * allocation allowed for. Counts of bytes, not time: a busy machine does not change them. A
 * warm-up round first loads and initialises the classes on the path, then the least of two
 * rounds counts; few enough decodes that the code is still interpreted or compiled without escape
 * analysis, which could hide an allocation the interpreter makes.
 */
public final class DecodeCharges {
  /** Decodes per round. */
  static final int DECODES = 64;
  /** The reader each round makes, the one allocation not charged: a header and four fields. */
  static final long READER_BYTES = 48;
  private static final XdrLimits UNLIMITED = new XdrLimits(XdrLimits.DEFAULT_MAX_DEPTH, Long.MAX_VALUE);

  private DecodeCharges() {}

  /**
   * Fails unless decoding {@code encoded} with {@code codec} allocates no more than it charges.
   *
   * @param codec the codec under test
   * @param encoded one value as the codec reads it, every byte of it
   */
  public static void assertChargesWhatItAllocates(XdrCodec<?> codec, byte[] encoded) {
    ByteBuf buf = Unpooled.wrappedBuffer(repeated(encoded));
    long[] charged = new long[1];
    int[] left = new int[1];
    Runnable round = () -> {
      XdrReader in = new XdrReader(buf.readerIndex(0), UNLIMITED);
      for (int i = 0; i < DECODES; i++) {
        codec.decode(in);
      }
      charged[0] = in.decodedBytes();
      left[0] = in.remaining();
    };
    round.run();
    assertEquals(0, left[0], "bytes the codec did not read: the encoding is not the codec's");
    long allocated = Allocations.of(round);
    if (allocated > charged[0] + READER_BYTES) {
      throw new AssertionError(DECODES + " decodes allocated " + allocated + " bytes but charged "
          + charged[0] + ": a decode allocates " + (allocated - READER_BYTES) / DECODES
          + " bytes, more than its charge of " + charged[0] / DECODES);
    }
  }

  /**
   * What one decode of {@code encoded} charges, for tests that check a codec charges each record
   * it builds even where the generous charge of a string leaves room for it.
   *
   * @param codec the codec under test
   * @param encoded one value as the codec reads it
   * @return the bytes charged
   */
  public static long charged(XdrCodec<?> codec, byte[] encoded) {
    XdrReader in = new XdrReader(Unpooled.wrappedBuffer(encoded), UNLIMITED);
    in.readWhole(codec);
    return in.decodedBytes();
  }

  /**
   * What {@link XdrLimits} documents for a record.
   *
   * @param fields its components
   * @return its charge
   */
  public static long recordCharge(int fields) {
    return 16 + 8L * fields;
  }

  /**
   * What {@link XdrLimits} documents for a string: its object and an array of up to 2 bytes a
   * character, twice an opaque of its UTF-8.
   *
   * @param s the string
   * @return its charge
   */
  public static long stringCharge(String s) {
    return 2 * opaqueCharge(s.getBytes(StandardCharsets.UTF_8).length);
  }

  /**
   * What {@link XdrLimits} documents for an opaque.
   *
   * @param length its bytes
   * @return its charge
   */
  public static long opaqueCharge(int length) {
    return 32L + length;
  }

  /**
   * {@code value} as {@code codec} writes it, for {@link #assertChargesWhatItAllocates}.
   *
   * @param codec writes the value
   * @param value the value
   * @param <T> its type
   * @return its encoding
   */
  public static <T> byte[] encoding(XdrCodec<T> codec, T value) {
    ByteBuf out = Unpooled.buffer();
    try {
      codec.encode(new XdrWriter(out), value);
      return ByteBufUtil.getBytes(out);
    } finally {
      out.release();
    }
  }

  private static byte[] repeated(byte[] encoded) {
    byte[] all = new byte[encoded.length * DECODES];
    for (int i = 0; i < DECODES; i++) {
      System.arraycopy(encoded, 0, all, i * encoded.length, encoded.length);
    }
    return all;
  }
}
