package org.onyxrpc.xdr;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Appends XDR items (RFC 4506) to a Netty {@link ByteBuf}: big-endian, in 4-byte units, padded
 * with zeros. Every variable-length item is checked against its declared maximum before any byte
 * is written, so a failed encode never leaves a half-written item behind the check.
 *
 * <p>Unsigned XDR types map to Java's signed types of the same width and keep their bits:
 * {@code unsigned int} is an {@code int}, {@code unsigned hyper} a {@code long}; use
 * {@link Integer#toUnsignedLong} and {@link Long#toUnsignedString} to read them as unsigned.
 */
public final class XdrWriter {
  /** Opaques from a buffer of at least this many bytes are gathered by reference, not copied. */
  static final int GATHER_BYTES = 64 << 10;
  /** Bytes of room made after a gathered opaque, for the items that follow it. */
  static final int ROOM_AFTER_GATHERED = 1024;
  /** What Netty writes for a surrogate it cannot encode. */
  private static final byte UNKNOWN = '?';

  private ByteBuf buf;
  private final boolean gathering;
  /** Whether a gathering writer wraps a large array instead of copying it. */
  private final boolean arraysByReference;

  /**
   * Wraps {@code buf}; items are appended at its writer index.
   *
   * @param buf grows as needed; the writer neither retains nor releases it
   */
  public XdrWriter(ByteBuf buf) {
    this(buf, false, false);
  }

  private XdrWriter(ByteBuf buf, boolean gathering, boolean arraysByReference) {
    this.buf = buf;
    this.gathering = gathering;
    this.arraysByReference = arraysByReference;
  }

  /**
   * A writer that appends a large opaque given as a buffer ({@link #writeOpaque(ByteBuf, int)},
   * {@value #GATHER_BYTES} bytes or more) by reference instead of copying it, and one given as an
   * array in a buffer of its exact size rather than by growing {@code buf}: {@link #buffer()}
   * then becomes a composite of {@code buf}, the opaque's bytes and what follows, which the
   * caller takes in place of {@code buf} (it owns {@code buf} from then on), and a socket writes
   * with one gathering write. As no UDP datagram is that large, only TCP records are gathered.
   *
   * @param buf where small items go, as for {@link #XdrWriter(ByteBuf)}
   * @return a writer whose {@link #buffer()} the caller takes when done
   */
  public static XdrWriter gathering(ByteBuf buf) {
    return new XdrWriter(buf, true, false);
  }

  /**
   * A {@link #gathering} writer that takes a large opaque given as an array by reference too: the
   * composite wraps the array, whose bytes are then read when the record is written. For a
   * writer that copies the record out at once (the caller-runs client's socket writer copies it
   * whole into direct memory and writes it from there), before its caller may change the array.
   *
   * @param buf where small items go, as for {@link #XdrWriter(ByteBuf)}
   * @return a writer whose {@link #buffer()} the caller takes when done
   */
  public static XdrWriter gatheringByReference(ByteBuf buf) {
    return new XdrWriter(buf, true, true);
  }

  /**
   * Starts this writer over on {@code buf}, as a new writer of the same kind ({@link #gathering}
   * or not) would: a writer that encodes one message after another on one thread can keep one,
   * instead of one made per message. The buffer it wrote before, or the composite it became, is
   * the caller's, untouched.
   *
   * @param buf where the next message's items go; the writer neither retains nor releases it
   * @return this writer
   */
  public XdrWriter reset(ByteBuf buf) {
    this.buf = buf;
    return this;
  }

  /**
   * The buffer written to: {@code buf}, or for a gathering writer the composite it became.
   *
   * @return the buffer the caller sends and releases
   */
  public ByteBuf buffer() {
    return buf;
  }

  /**
   * RFC 4506 §4.1 integer.
   *
   * @param value any int
   */
  public void writeInt(int value) {
    buf.writeInt(value);
  }

  /**
   * RFC 4506 §4.2 unsigned integer, as its 32 bits.
   *
   * @param bits the value's 32 bits ({@code (int) 4_000_000_000L} for 4,000,000,000)
   */
  public void writeUnsignedInt(int bits) {
    buf.writeInt(bits);
  }

  /**
   * RFC 4506 §4.3 enumeration, as its declared value.
   *
   * @param value the constant's declared value
   */
  public void writeEnum(int value) {
    buf.writeInt(value);
  }

  /**
   * RFC 4506 §4.4 boolean: 1 or 0.
   *
   * @param value any boolean
   */
  public void writeBool(boolean value) {
    buf.writeInt(value ? 1 : 0);
  }

  /**
   * rpcgen's {@code char}: -128 to 255, what a C {@code char} holds signed
   * (x86) or unsigned (ARM); either way a C peer gets these 8 bits. Another value would reach it
   * cut to its low 8 bits, so it is refused here.
   *
   * @param value -128 to 255
   * @throws XdrException if {@code value} is out of range
   */
  public void writeChar(int value) {
    buf.writeInt(NarrowInt.CHAR.check(value));
  }

  /**
   * C's {@code int8_t} ({@code xdr_int8_t}): -128 to 127, a {@code signed char} on every platform,
   * which would read 128 as -128.
   *
   * @param value -128 to 127
   * @throws XdrException if {@code value} is out of range
   */
  public void writeInt8(int value) {
    buf.writeInt(NarrowInt.INT8.check(value));
  }

  /**
   * rpcgen's {@code unsigned char} ({@code u_char}, {@code uint8_t}): 0 to 255.
   *
   * @param value 0 to 255
   * @throws XdrException if {@code value} is out of range
   */
  public void writeUnsignedChar(int value) {
    buf.writeInt(NarrowInt.UNSIGNED_CHAR.check(value));
  }

  /**
   * rpcgen's {@code short} ({@code int16_t}): -32768 to 32767.
   *
   * @param value -32768 to 32767
   * @throws XdrException if {@code value} is out of range
   */
  public void writeShort(int value) {
    buf.writeInt(NarrowInt.SHORT.check(value));
  }

  /**
   * rpcgen's {@code unsigned short} ({@code u_short}, {@code uint16_t}): 0 to 65535.
   *
   * @param value 0 to 65535
   * @throws XdrException if {@code value} is out of range
   */
  public void writeUnsignedShort(int value) {
    buf.writeInt(NarrowInt.UNSIGNED_SHORT.check(value));
  }

  /**
   * RFC 4506 §4.5 hyper integer.
   *
   * @param value any long
   */
  public void writeHyper(long value) {
    buf.writeLong(value);
  }

  /**
   * RFC 4506 §4.5 unsigned hyper integer, as its 64 bits.
   *
   * @param bits the value's 64 bits
   */
  public void writeUnsignedHyper(long bits) {
    buf.writeLong(bits);
  }

  /**
   * RFC 4506 §4.6 IEEE single precision.
   *
   * @param value any float, NaN included
   */
  public void writeFloat(float value) {
    buf.writeFloat(value);
  }

  /**
   * RFC 4506 §4.7 IEEE double precision.
   *
   * @param value any double, NaN included
   */
  public void writeDouble(double value) {
    buf.writeDouble(value);
  }

  /**
   * RFC 4506 §4.9 fixed-length opaque: exactly {@code length} bytes, then padding.
   *
   * @param data exactly {@code length} bytes
   * @param length the declared size
   * @throws XdrException if {@code data} has another length
   */
  public void writeFixedOpaque(byte[] data, int length) {
    if (data.length != length) {
      throw new XdrException("fixed opaque needs " + length + " bytes, got " + data.length);
    }
    buf.writeBytes(data);
    writePadding(length);
  }

  /**
   * RFC 4506 §4.10 variable-length opaque of at most {@code maxLength} bytes.
   *
   * @param data the bytes; their length is written first
   * @param maxLength the declared bound
   * @throws XdrException if {@code data} is longer than {@code maxLength}; nothing is written
   */
  public void writeOpaque(byte[] data, int maxLength) {
    checkLength("opaque", data.length, maxLength);
    buf.writeInt(data.length);
    if (gathering && arraysByReference && data.length >= GATHER_BYTES && buf.readerIndex() == 0) {
      gather(Unpooled.wrappedBuffer(data));
    } else if (gathering && data.length >= GATHER_BYTES && buf.readerIndex() == 0) {
      // A buffer of its own size: grown to take it, the output would double (a 1 MiB result in
      // a 2 MiB buffer), and replies waiting for a peer would hold twice what is counted of them.
      ByteBuf piece = buf.isDirect() ? buf.alloc().directBuffer(data.length, data.length)
          : buf.alloc().heapBuffer(data.length, data.length);
      gather(piece.writeBytes(data));
    } else {
      buf.writeBytes(data);
    }
    writePadding(data.length);
  }

  /**
   * Variable-length opaque taken from the readable bytes of {@code data}, which is not released.
   *
   * @param data its readable bytes are written; its reader index does not move
   * @param maxLength the declared bound
   * @throws XdrException if more than {@code maxLength} bytes are readable; nothing is written
   */
  public void writeOpaque(ByteBuf data, int maxLength) {
    int length = data.readableBytes();
    checkLength("opaque", length, maxLength);
    buf.writeInt(length);
    if (gathering && length >= GATHER_BYTES && buf.readerIndex() == 0) {
      gather(data.retainedSlice(data.readerIndex(), length));
    } else {
      // Copied by the source, component by component: asked the other way round, Netty's
      // buffers first merge a composite source (a record gathered from several reads).
      buf.ensureWritable(length);
      data.getBytes(data.readerIndex(), buf, buf.writerIndex(), length);
      buf.writerIndex(buf.writerIndex() + length);
    }
    writePadding(length);
  }

  /** Appends {@code piece} as a component of the buffer, which becomes a composite if need be. */
  private void gather(ByteBuf piece) {
    CompositeByteBuf composite;
    if (buf instanceof CompositeByteBuf c) {
      composite = c;
      composite.capacity(composite.writerIndex()); // the piece follows the bytes, not the room
    } else {
      composite = buf.alloc().compositeBuffer(Integer.MAX_VALUE);
      composite.addComponent(true, buf); // its written bytes; its indices stay the composite's
      buf = composite;
    }
    composite.addComponent(true, piece);
    // Room for what follows (padding, the rest of the result) in a small buffer of its own: made
    // to grow by Netty, the composite would double, allocating as much again as the opaque.
    ByteBuf room = composite.alloc().ioBuffer(ROOM_AFTER_GATHERED, ROOM_AFTER_GATHERED);
    composite.addComponent(false, room.setIndex(0, ROOM_AFTER_GATHERED));
  }

  /**
   * RFC 4506 §4.11 string of at most {@code maxLength} bytes, encoded as UTF-8. A lone surrogate
   * U+DC80..U+DCFF is written as the one byte 0x80..0xFF it stands for, as {@link
   * XdrReader#readString} reads a byte that is not UTF-8; any other lone surrogate as {@code '?'}.
   *
   * @param value the string; its UTF-8 length is written first
   * @param maxLength the declared bound, in bytes of UTF-8
   * @throws XdrException if the UTF-8 is longer than {@code maxLength}; nothing is written
   */
  public void writeString(String value, int maxLength) {
    int length = ByteBufUtil.utf8Bytes(value);
    checkLength("string", length, maxLength);
    int lengthAt = buf.writerIndex();
    buf.writeInt(length);
    ByteBufUtil.reserveAndWriteUtf8(buf, value, length);
    // Netty writes every lone surrogate as '?' (and a lone high one before a non-ASCII char as
    // '?' and a byte that is not UTF-8): only then is the string written again, byte by byte.
    if (buf.indexOf(lengthAt + 4, buf.writerIndex(), UNKNOWN) >= 0
        && SurrogateEscape.hasLoneSurrogate(value)) {
      buf.writerIndex(lengthAt);
      length = SurrogateEscape.encodedLength(value);
      checkLength("string", length, maxLength);
      buf.writeInt(length);
      SurrogateEscape.encode(value, buf);
    }
    writePadding(length);
  }

  /**
   * The count of a variable-length array (RFC 4506 §4.13) of at most {@code maxLength} elements.
   *
   * @param length the number of elements that follow
   * @param maxLength the declared bound
   * @throws XdrException if {@code length} exceeds {@code maxLength}; nothing is written
   */
  public void writeArrayLength(int length, int maxLength) {
    checkLength("array", length, maxLength);
    buf.writeInt(length);
  }

  /**
   * Checks that a fixed-length array (RFC 4506 §4.12) has its declared size; writes nothing.
   *
   * @param length the number of elements the caller has
   * @param declared the declared size
   * @throws XdrException if they differ
   */
  public void checkFixedArray(int length, int declared) {
    if (length != declared) {
      throw new XdrException("fixed array needs " + declared + " elements, got " + length);
    }
  }

  /**
   * The presence flag of optional data (RFC 4506 §4.19).
   *
   * @param present whether a value follows
   */
  public void writeOptionalFlag(boolean present) {
    buf.writeInt(present ? 1 : 0);
  }

  /**
   * Optional data (RFC 4506 §4.19): a flag, then the value if it is not null.
   *
   * @param value the value, or null for none
   * @param codec writes the value when present
   * @param <T> the value's type
   */
  public <T> void writeOptional(T value, XdrCodec<T> codec) {
    writeOptionalFlag(value != null);
    if (value != null) {
      codec.encode(this, value);
    }
  }

  /**
   * Writes {@code value} with {@code codec}; reads well in generated code.
   *
   * @param value the value
   * @param codec writes it
   * @param <T> the value's type
   */
  public <T> void write(T value, XdrCodec<T> codec) {
    codec.encode(this, value);
  }

  private void writePadding(int length) {
    int pad = Xdr.padding(length);
    if (pad != 0) {
      buf.writeZero(pad);
    }
  }

  private static void checkLength(String what, int length, int maxLength) {
    if (Integer.compareUnsigned(length, maxLength) > 0) {
      String unit = unit(what);
      throw new XdrException(
          what + " of " + length + unit + " exceeds its maximum of " + maxLength + unit);
    }
  }

  /** The unit a length counts: elements for an array, bytes for opaque data and strings. */
  static String unit(String what) {
    return what.equals("array") ? " elements" : " bytes";
  }
}
