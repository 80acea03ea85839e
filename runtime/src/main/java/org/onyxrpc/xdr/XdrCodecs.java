package org.onyxrpc.xdr;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Codecs for XDR's built-in types and combinators for the composite ones. Generated code writes
 * its structs straight-line; these serve procedure arguments and results of built-in types and
 * the runtime's own protocols.
 */
public final class XdrCodecs {
  private XdrCodecs() {}

  /** RFC 4506 §4.16 void: nothing on the wire; decodes to null. */
  public static final XdrCodec<Void> VOID = new XdrCodec<>() {
    @Override
    public void encode(XdrWriter out, Void value) {}

    @Override
    public Void decode(XdrReader in) {
      return null;
    }
  };

  /** {@code int}. */
  public static final XdrCodec<Integer> INT = boxed(XdrWriter::writeInt, XdrReader::readInt);

  /** {@code unsigned int}, as its 32 bits. */
  public static final XdrCodec<Integer> UNSIGNED_INT =
      boxed(XdrWriter::writeUnsignedInt, XdrReader::readUnsignedInt);

  /** rpcgen's {@code char}: -128 to 255 in an int, as C's signed and unsigned chars send it. */
  public static final XdrCodec<Integer> CHAR = boxed(XdrWriter::writeChar, XdrReader::readChar);

  /** C's {@code int8_t}: -128 to 127 in an int. */
  public static final XdrCodec<Integer> INT8 = boxed(XdrWriter::writeInt8, XdrReader::readInt8);

  /** rpcgen's {@code unsigned char}: 0 to 255 in an int. */
  public static final XdrCodec<Integer> UNSIGNED_CHAR =
      boxed(XdrWriter::writeUnsignedChar, XdrReader::readUnsignedChar);

  /** rpcgen's {@code short}: -32768 to 32767 in an int. */
  public static final XdrCodec<Integer> SHORT = boxed(XdrWriter::writeShort, XdrReader::readShort);

  /** rpcgen's {@code unsigned short}: 0 to 65535 in an int. */
  public static final XdrCodec<Integer> UNSIGNED_SHORT =
      boxed(XdrWriter::writeUnsignedShort, XdrReader::readUnsignedShort);

  /** {@code hyper}. */
  public static final XdrCodec<Long> HYPER = boxed(XdrWriter::writeHyper, XdrReader::readHyper);

  /** {@code unsigned hyper}, as its 64 bits. */
  public static final XdrCodec<Long> UNSIGNED_HYPER =
      boxed(XdrWriter::writeUnsignedHyper, XdrReader::readUnsignedHyper);

  /** {@code bool}. */
  public static final XdrCodec<Boolean> BOOL = boxed(XdrWriter::writeBool, XdrReader::readBool);

  /** {@code float}. */
  public static final XdrCodec<Float> FLOAT = boxed(XdrWriter::writeFloat, XdrReader::readFloat);

  /** {@code double}. */
  public static final XdrCodec<Double> DOUBLE = boxed(XdrWriter::writeDouble, XdrReader::readDouble);

  /** {@code string<>}. */
  public static final XdrCodec<String> STRING = string(Xdr.UNBOUNDED);

  /** {@code opaque<>}. */
  public static final XdrCodec<byte[]> OPAQUE = opaque(Xdr.UNBOUNDED);

  /**
   * {@code string<maxLength>}.
   *
   * @param maxLength the bound in bytes of UTF-8, checked on encode and decode
   * @return the codec
   */
  public static XdrCodec<String> string(int maxLength) {
    return of((out, v) -> out.writeString(v, maxLength), in -> in.readString(maxLength));
  }

  /**
   * {@code opaque<maxLength>}.
   *
   * @param maxLength the bound in bytes, checked on encode and decode
   * @return the codec
   */
  public static XdrCodec<byte[]> opaque(int maxLength) {
    return of((out, v) -> out.writeOpaque(v, maxLength), in -> in.readOpaque(maxLength));
  }

  /**
   * {@code opaque[length]}.
   *
   * @param length the exact size in bytes
   * @return the codec
   */
  public static XdrCodec<byte[]> fixedOpaque(int length) {
    return of((out, v) -> out.writeFixedOpaque(v, length), in -> in.readFixedOpaque(length));
  }

  /**
   * {@code T *}: null when absent.
   *
   * @param codec the value's codec
   * @param <T> the value's type
   * @return the codec of the optional value
   */
  public static <T> XdrCodec<T> optional(XdrCodec<T> codec) {
    return of((out, v) -> out.writeOptional(v, codec), in -> in.readOptional(codec));
  }

  /**
   * {@code T<maxLength>} as an unmodifiable list; {@code minElementBytes} is the least an element
   * takes on the wire (4 for every XDR type but void), so hostile counts fail before allocation.
   *
   * @param codec the elements' codec
   * @param maxLength the bound in elements, checked on encode and decode
   * @param minElementBytes the fewest bytes one element takes on the wire, at least 1
   * @param <T> the elements' type
   * @return the codec
   */
  public static <T> XdrCodec<List<T>> list(XdrCodec<T> codec, int maxLength, int minElementBytes) {
    return new XdrCodec<>() {
      @Override
      public void encode(XdrWriter out, List<T> value) {
        out.writeArrayLength(value.size(), maxLength);
        for (T element : value) {
          codec.encode(out, element);
        }
      }

      @Override
      public List<T> decode(XdrReader in) {
        int length = in.readArrayLength(maxLength, minElementBytes);
        // With minElementBytes 0 the count is bounded only by maxLength: never presize past
        // what the message could hold, so a hostile count cannot reserve gigabytes up front.
        List<T> list = new ArrayList<>(Math.min(length, in.remaining()));
        for (int i = 0; i < length; i++) {
          list.add(codec.decode(in));
        }
        return Collections.unmodifiableList(list);
      }
    };
  }

  /**
   * A codec of a number or bool, whose decoded value is a box: charged as an object of one field
   * before it is read, whether or not {@code valueOf} would take it from its cache, since the
   * peer picks the values.
   */
  private static <T> XdrCodec<T> boxed(Encoder<T> encoder, Decoder<T> decoder) {
    return of(encoder, in -> {
      in.countObject(1);
      return decoder.decode(in);
    });
  }

  /**
   * Writes one way and reads the other; for codecs built from method references.
   *
   * @param encoder writes a value
   * @param decoder reads one
   * @param <T> the value's type
   * @return the codec
   */
  public static <T> XdrCodec<T> of(Encoder<T> encoder, Decoder<T> decoder) {
    return new XdrCodec<>() {
      @Override
      public void encode(XdrWriter out, T value) {
        encoder.encode(out, value);
      }

      @Override
      public T decode(XdrReader in) {
        return decoder.decode(in);
      }
    };
  }

  /**
   * The write half of a codec.
   *
   * @param <T> the value's type
   */
  @FunctionalInterface
  public interface Encoder<T> {
    /**
     * Appends {@code value} to {@code out}.
     *
     * @param out where the value goes
     * @param value the value
     */
    void encode(XdrWriter out, T value);
  }

  /**
   * The read half of a codec.
   *
   * @param <T> the value's type
   */
  @FunctionalInterface
  public interface Decoder<T> {
    /**
     * Reads one value from {@code in}.
     *
     * @param in where the value comes from
     * @return the value
     */
    T decode(XdrReader in);
  }
}
