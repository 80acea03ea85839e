package org.onyxrpc.xdr;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Reads XDR items (RFC 4506) from a Netty {@link ByteBuf}.
 *
 * <p>Every length is checked against its declared maximum and against the bytes that remain
 * before anything is allocated, and padding must be zero; a violation is an {@link
 * XdrException}, never an {@code IndexOutOfBoundsException}. Unsigned types keep their bits in
 * the signed Java type of the same width (see {@link XdrWriter}).
 *
 * <p>A reader also keeps the message within its {@link XdrLimits}: the nesting of optional data
 * and an upper bound of the memory its decoded values take, each checked before allocating.
 */
public final class XdrReader {
  /** Most heap bytes of an object's header on a 64-bit JVM. */
  static final int NODE_BYTES = 16;
  /** Most heap bytes of one field or array element: a reference or a primitive. */
  static final int ELEMENT_BYTES = 8;
  /** A present optional value's box or {@code Optional}: a header and a field. */
  static final int OPTIONAL_BYTES = NODE_BYTES + ELEMENT_BYTES;
  /** An array's header, length and alignment: 20 bytes, padded to 8 after its elements. */
  static final int ARRAY_BYTES = 2 * NODE_BYTES;
  /** A list's: its array, the {@code ArrayList} and its unmodifiable view, 32 bytes each. */
  static final int LIST_BYTES = 3 * ARRAY_BYTES;
  private static final byte[] EMPTY = new byte[0];

  private ByteBuf buf;
  private final XdrLimits limits;
  /** Whether the exceptions this reader throws fill in a stack trace. */
  private final boolean stackTraces;
  private long decodedBytes;
  private int depth;

  /**
   * Wraps {@code buf} with the default {@link XdrLimits}; items are read from its reader index.
   *
   * @param buf the message; the reader neither retains nor releases it
   */
  public XdrReader(ByteBuf buf) {
    this(buf, XdrLimits.DEFAULT);
  }

  /**
   * Wraps {@code buf}; items are read from its reader index, within {@code limits}.
   *
   * @param buf the message; the reader neither retains nor releases it
   * @param limits the nesting depth and decoded size allowed
   */
  public XdrReader(ByteBuf buf, XdrLimits limits) {
    this(buf, limits, true);
  }

  private XdrReader(ByteBuf buf, XdrLimits limits, boolean stackTraces) {
    this.buf = buf;
    this.limits = limits;
    this.stackTraces = stackTraces;
  }

  /**
   * A reader of a peer's messages, as a server reads the calls it receives: like {@link
   * #XdrReader(ByteBuf, XdrLimits)}, but the {@link XdrException}s it throws, and those made by
   * {@link #malformed} (as generated codecs make theirs), have no stack trace.
   * A server refuses each malformed message on its I/O thread, as fast as a peer sends them, and
   * filling in a stack trace cost several times the rest of such a refusal; the trace would show
   * the server's own frames, the same for every message. Each exception's message still names
   * the offending item and its limit. A reader of data the program chose (a file, a test vector)
   * keeps the stack trace, which shows where the data was read.
   *
   * @param buf the message; the reader neither retains nor releases it
   * @param limits the nesting depth and decoded size allowed
   * @return a new reader whose exceptions have no stack trace
   */
  public static XdrReader withoutStackTraces(ByteBuf buf, XdrLimits limits) {
    return new XdrReader(buf, limits, false);
  }

  /**
   * Starts this reader over on {@code buf}, with its limits (and its exceptions with or without
   * stack traces) and nothing decoded yet, as a new reader of {@code buf} would. A decoder that
   * reads one message after another on one thread can keep one reader: a reader made per
   * message is an allocation per message wherever the message's codec is not inlined into the
   * code that made the reader.
   *
   * @param buf the next message; the reader neither retains nor releases it
   * @return this reader
   */
  public XdrReader reset(ByteBuf buf) {
    this.buf = buf;
    this.decodedBytes = 0;
    this.depth = 0;
    return this;
  }

  /**
   * The limits this reader keeps to.
   *
   * @return the limits given, or the defaults
   */
  public XdrLimits limits() {
    return limits;
  }

  /**
   * Bytes charged for the values decoded so far (see {@link XdrLimits}).
   *
   * @return an upper bound of their heap bytes, not an exact count
   */
  public long decodedBytes() {
    return decodedBytes;
  }

  /**
   * The buffer read from.
   *
   * @return the buffer given, its reader index after the items read
   */
  public ByteBuf buffer() {
    return buf;
  }

  /**
   * Bytes not read yet.
   *
   * @return the buffer's readable bytes
   */
  public int remaining() {
    return buf.readableBytes();
  }

  /**
   * RFC 4506 §4.1 integer.
   *
   * @return the value
   * @throws XdrException if fewer than 4 bytes remain
   */
  public int readInt() {
    need(4, "int");
    return buf.readInt();
  }

  /**
   * RFC 4506 §4.2 unsigned integer, as its 32 bits.
   *
   * @return the value's 32 bits; {@link Integer#toUnsignedLong} reads them as unsigned
   * @throws XdrException if fewer than 4 bytes remain
   */
  public int readUnsignedInt() {
    need(4, "unsigned int");
    return buf.readInt();
  }

  /**
   * RFC 4506 §4.3 enumeration value; the caller maps it and rejects undeclared values.
   *
   * @return the value on the wire
   * @throws XdrException if fewer than 4 bytes remain
   */
  public int readEnum() {
    need(4, "enum");
    return buf.readInt();
  }

  /**
   * RFC 4506 §4.4 boolean; anything but 0 or 1 is malformed.
   *
   * @return the value
   * @throws XdrException if fewer than 4 bytes remain, or the value is not 0 or 1
   */
  public boolean readBool() {
    need(4, "bool");
    int value = buf.readInt();
    if (value == 0 || value == 1) {
      return value == 1;
    }
    throw malformed("bool must be 0 or 1, got " + value);
  }

  /**
   * rpcgen's {@code char}: -128 to 255, since C's {@code char} is signed on
   * x86 (-128 to 127 sent sign-extended) and unsigned on ARM (0 to 255). C's {@code xdr_char}
   * would cut another value to its low 8 bits; Onyx rejects it.
   *
   * @return the value
   * @throws XdrException if fewer than 4 bytes remain, or the value is out of range
   */
  public int readChar() {
    return readNarrow(NarrowInt.CHAR);
  }

  /**
   * C's {@code int8_t} ({@code xdr_int8_t}): -128 to 127, which C sends sign-extended on every
   * platform; it would cut another value to its low 8 bits, so Onyx rejects it.
   *
   * @return the value
   * @throws XdrException if fewer than 4 bytes remain, or the value is out of range
   */
  public int readInt8() {
    return readNarrow(NarrowInt.INT8);
  }

  /**
   * rpcgen's {@code unsigned char} ({@code u_char}, {@code uint8_t}): 0 to 255.
   *
   * @return the value
   * @throws XdrException if fewer than 4 bytes remain, or the value is out of range
   */
  public int readUnsignedChar() {
    return readNarrow(NarrowInt.UNSIGNED_CHAR);
  }

  /**
   * rpcgen's {@code short} ({@code int16_t}): -32768 to 32767.
   *
   * @return the value
   * @throws XdrException if fewer than 4 bytes remain, or the value is out of range
   */
  public int readShort() {
    return readNarrow(NarrowInt.SHORT);
  }

  /**
   * rpcgen's {@code unsigned short} ({@code u_short}, {@code uint16_t}): 0 to 65535.
   *
   * @return the value
   * @throws XdrException if fewer than 4 bytes remain, or the value is out of range
   */
  public int readUnsignedShort() {
    return readNarrow(NarrowInt.UNSIGNED_SHORT);
  }

  private int readNarrow(NarrowInt type) {
    need(4, type.idl);
    return type.check(buf.readInt(), stackTraces);
  }

  /**
   * RFC 4506 §4.5 hyper integer.
   *
   * @return the value
   * @throws XdrException if fewer than 8 bytes remain
   */
  public long readHyper() {
    need(8, "hyper");
    return buf.readLong();
  }

  /**
   * RFC 4506 §4.5 unsigned hyper integer, as its 64 bits.
   *
   * @return the value's 64 bits; {@link Long#toUnsignedString} reads them as unsigned
   * @throws XdrException if fewer than 8 bytes remain
   */
  public long readUnsignedHyper() {
    need(8, "unsigned hyper");
    return buf.readLong();
  }

  /**
   * RFC 4506 §4.6 IEEE single precision.
   *
   * @return the value
   * @throws XdrException if fewer than 4 bytes remain
   */
  public float readFloat() {
    need(4, "float");
    return buf.readFloat();
  }

  /**
   * RFC 4506 §4.7 IEEE double precision.
   *
   * @return the value
   * @throws XdrException if fewer than 8 bytes remain
   */
  public double readDouble() {
    need(8, "double");
    return buf.readDouble();
  }

  /**
   * RFC 4506 §4.9 fixed-length opaque of {@code length} bytes.
   *
   * @param length the declared size, 0 or more
   * @return a new array of {@code length} bytes
   * @throws XdrException if the bytes and their padding do not remain, or the decoded-size limit
   *     is reached
   * @throws IllegalArgumentException if {@code length} is negative
   */
  public byte[] readFixedOpaque(int length) {
    if (length < 0) {
      throw new IllegalArgumentException("fixed opaque length " + length + " is negative");
    }
    need(paddedLong(length), "fixed opaque");
    charge(ARRAY_BYTES + (long) length);
    byte[] data = new byte[length];
    buf.readBytes(data);
    skipPadding(length);
    return data;
  }

  /**
   * RFC 4506 §4.10 variable-length opaque of at most {@code maxLength} bytes. Every empty opaque
   * is one shared zero-length array.
   *
   * @param maxLength the declared bound
   * @return the bytes, without their padding
   * @throws XdrException if the length exceeds {@code maxLength} or what remains, or the
   *     decoded-size limit is reached
   */
  public byte[] readOpaque(int maxLength) {
    int length = readLength("opaque", maxLength, 1);
    if (length == 0) {
      return EMPTY;
    }
    need(paddedLong(length), "opaque");
    charge(ARRAY_BYTES + (long) length);
    byte[] data = new byte[length];
    buf.readBytes(data);
    skipPadding(length);
    return data;
  }

  /**
   * Variable-length opaque as a retained slice of the underlying buffer: no copy. The caller owns
   * the slice and must release it.
   *
   * @param maxLength the declared bound
   * @return a retained slice of the bytes, without their padding
   * @throws XdrException if the length exceeds {@code maxLength} or what remains
   */
  public ByteBuf readOpaqueSlice(int maxLength) {
    int length = readLength("opaque", maxLength, 1);
    need(paddedLong(length), "opaque");
    ByteBuf slice = buf.readRetainedSlice(length);
    try {
      skipPadding(length);
    } catch (XdrException e) {
      slice.release();
      throw e;
    }
    return slice;
  }

  /**
   * RFC 4506 §4.11 string of at most {@code maxLength} bytes, decoded as UTF-8. A byte that is
   * not part of well-formed UTF-8 (a C peer's Latin-1, say) reads as the lone surrogate U+DC00
   * plus the byte (U+DC80..U+DCFF), which {@link XdrWriter#writeString} writes back as that byte:
   * any string's bytes come back as they were sent.
   *
   * @param maxLength the declared bound, in bytes
   * @return the string
   * @throws XdrException if the length exceeds {@code maxLength} or what remains, or the
   *     decoded-size limit is reached
   */
  public String readString(int maxLength) {
    int length = readLength("string", maxLength, 1);
    need(paddedLong(length), "string");
    // The String and its array, of 2 bytes per character when one is over U+00FF.
    charge(2 * (ARRAY_BYTES + (long) length));
    String value = buf.toString(buf.readerIndex(), length, StandardCharsets.UTF_8);
    if (value.indexOf('\uFFFD') >= 0) {
      // Netty replaced bytes it could not decode (or the peer sent a real U+FFFD): decode again,
      // keeping each such byte.
      value = SurrogateEscape.decode(buf, buf.readerIndex(), length);
    }
    buf.skipBytes(length);
    skipPadding(length);
    return value;
  }

  /**
   * The count of a variable-length array (RFC 4506 §4.13) of at most {@code maxLength} elements,
   * each taking at least {@code minElementBytes} on the wire; a count the remaining bytes cannot
   * hold is rejected before the caller allocates room for it.
   *
   * @param maxLength the declared bound, in elements
   * @param minElementBytes the fewest bytes one element takes on the wire, at least 1
   * @return the count, 0..{@code maxLength}
   * @throws XdrException if the count exceeds {@code maxLength} or what remains can hold, or
   *     the decoded-size limit is reached
   */
  public int readArrayLength(int maxLength, int minElementBytes) {
    int length = readLength("array", maxLength, minElementBytes);
    charge(LIST_BYTES + (long) length * ELEMENT_BYTES);
    return length;
  }

  /**
   * Checks that the remaining bytes can hold a fixed-length array (RFC 4506 §4.12) of {@code
   * length} elements of at least {@code minElementBytes} each; reads nothing.
   *
   * @param length the declared number of elements
   * @param minElementBytes the fewest bytes one element takes on the wire
   * @throws XdrException if the remaining bytes cannot hold them, or the decoded-size limit is
   *     reached
   */
  public void checkFixedArray(int length, int minElementBytes) {
    if ((long) length * minElementBytes > buf.readableBytes()) {
      throw malformed(
          "fixed array of " + length + " elements needs more than the " + buf.readableBytes()
              + " bytes left");
    }
    charge(LIST_BYTES + (long) length * ELEMENT_BYTES);
  }

  /**
   * Charges a record a codec is about to build against {@link XdrLimits#maxDecodedBytes}: its
   * header and {@code fields} fields of at most 8 bytes. Generated codecs call it for each record
   * they build, so that the decoded size bounds what the values take.
   *
   * @param fields the record's components, 0 or more
   * @throws XdrException if the decoded-size limit is reached
   */
  public void countObject(int fields) {
    charge(NODE_BYTES + (long) fields * ELEMENT_BYTES);
  }

  /**
   * The presence flag of optional data (RFC 4506 §4.19).
   *
   * @return true if a value follows
   * @throws XdrException if fewer than 4 bytes remain, or the flag is not 0 or 1
   */
  public boolean readOptionalFlag() {
    need(4, "optional flag");
    int flag = buf.readInt();
    if (flag == 1) {
      charge(OPTIONAL_BYTES);
      return true;
    }
    if (flag == 0) {
      return false;
    }
    throw malformed("optional-data flag must be 0 or 1, got " + flag);
  }

  /**
   * Optional data (RFC 4506 §4.19): null when absent. The value counts one level of nesting
   * while it is read, against {@link XdrLimits#maxDepth}.
   *
   * @param codec reads the value when present
   * @param <T> the value's type
   * @return the value, or null when absent
   */
  public <T> T readOptional(XdrCodec<T> codec) {
    if (!readOptionalFlag()) {
      return null;
    }
    return readNested(codec);
  }

  /**
   * A value of a type that may hold itself (through optional data, an array or a union arm):
   * it counts one level of nesting while it is read, against {@link XdrLimits#maxDepth}, so that
   * a peer's deep nesting is an error and not a {@link StackOverflowError}.
   *
   * @param codec reads the value
   * @param <T> the value's type
   * @return the value
   * @throws XdrException if the nesting exceeds {@link XdrLimits#maxDepth}
   */
  public <T> T readNested(XdrCodec<T> codec) {
    if (depth >= limits.maxDepth()) {
      throw new XdrException("data nested deeper than " + limits.maxDepth(), stackTraces, true);
    }
    depth++;
    try {
      return codec.decode(this);
    } finally {
      depth--;
    }
  }

  /**
   * Reads one whole message body with {@code codec}: bytes left after it are malformed, as the
   * server holds a call's arguments to be and the client a reply's results.
   *
   * @param codec reads the body
   * @param <T> the body's type
   * @return the body
   * @throws XdrException if bytes remain after it
   */
  public <T> T readWhole(XdrCodec<T> codec) {
    T value = codec.decode(this);
    if (buf.isReadable()) {
      throw malformed(buf.readableBytes() + " bytes after the end of the message");
    }
    return value;
  }

  /**
   * Reads {@code codec} from {@code embedded}: XDR that this message carries inside an opaque
   * already read, such as an Onyx call tag in a verifier's body. It is read within this reader's
   * limits and charged to it, as if it were read in line, so that what it allocates counts
   * toward the message's decoded size.
   *
   * @param embedded the embedded bytes, read from their reader index
   * @param decoder reads the value
   * @param <T> the value's type
   * @return the value
   * @throws XdrException if the value is malformed, or the limits are exceeded
   */
  public <T> T readEmbedded(ByteBuf embedded, XdrCodecs.Decoder<T> decoder) {
    XdrReader inner = new XdrReader(embedded, limits, stackTraces);
    inner.decodedBytes = decodedBytes;
    inner.depth = depth;
    try {
      return decoder.decode(inner);
    } finally {
      decodedBytes = inner.decodedBytes;
    }
  }

  /**
   * The bytes left, at most {@code maxLength}, as they are: XDR carried whole, such as a
   * forwarded call's results. Charged as an opaque before the array is allocated.
   *
   * @param maxLength the most bytes allowed
   * @return a new array of the remaining bytes, or a shared empty one
   * @throws XdrException if more than {@code maxLength} bytes remain, or the decoded-size limit
   *     is reached
   */
  public byte[] readRemaining(int maxLength) {
    int length = buf.readableBytes();
    if (length > maxLength) {
      throw malformed(length + " bytes left, over the maximum of " + maxLength);
    }
    if (length == 0) {
      return EMPTY;
    }
    charge(ARRAY_BYTES + (long) length);
    byte[] data = new byte[length];
    buf.readBytes(data);
    return data;
  }

  /**
   * Reads one value with {@code codec}; reads well in generated code.
   *
   * @param codec reads the value
   * @param <T> the value's type
   * @return the value
   */
  public <T> T read(XdrCodec<T> codec) {
    return codec.decode(this);
  }

  private int readLength(String what, int maxLength, int minElementBytes) {
    if (buf.readableBytes() < 4) {
      need(4, what + " length"); // the message is built only when it is thrown
    }
    int length = buf.readInt();
    if (Integer.compareUnsigned(length, maxLength) > 0) {
      String unit = XdrWriter.unit(what);
      throw malformed(what + " length " + Integer.toUnsignedString(length) + unit
          + " exceeds its maximum of " + maxLength + unit);
    }
    long least = (long) length * minElementBytes;
    if (least > buf.readableBytes()) {
      throw malformed(
          what + " length " + length + " needs " + (minElementBytes == 1 ? "" : "at least ")
              + least + " bytes, only " + buf.readableBytes() + " left");
    }
    return length;
  }

  private void charge(long bytes) {
    decodedBytes += bytes;
    if (decodedBytes > limits.maxDecodedBytes()) {
      throw malformed("decoded values would take more than the "
          + limits.maxDecodedBytes() + " bytes allowed for one message");
    }
  }

  private void skipPadding(int length) {
    int pad = Xdr.padding(length);
    if (pad == 0) {
      return;
    }
    need(pad, "padding");
    for (int i = 0; i < pad; i++) {
      if (buf.readByte() != 0) {
        throw malformed("padding must be zero");
      }
    }
  }

  /** {@code length} padded to 4 bytes without the int overflow near 2^31 of {@link Xdr#padded}. */
  private static long paddedLong(int length) {
    return (long) length + Xdr.padding(length);
  }

  /**
   * The exception for data that breaks its schema, made as this reader makes its own: without a
   * stack trace if the reader was made by {@link #withoutStackTraces}. For a codec's own checks,
   * such as an enum value no constant has or a union discriminant with no arm: generated codecs
   * throw it, so that a server refuses such arguments as cheaply as a length over its bound.
   *
   * @param message what is wrong, with the item and its limit
   * @return the exception, not thrown
   */
  public XdrException malformed(String message) {
    return new XdrException(message, stackTraces);
  }

  private void need(long bytes, String what) {
    if (buf.readableBytes() < bytes) {
      throw malformed(
          what + " needs " + bytes + " bytes, only " + buf.readableBytes() + " left");
    }
  }
}
