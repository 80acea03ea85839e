package org.onyxrpc.idl.javagen;

import org.onyxrpc.idl.schema.Service;
import org.onyxrpc.idl.schema.Type;

/**
 * The fewest bytes of JVM code javac makes of a version's holder class's initialiser, one method
 * that makes every procedure's {@code Procedure} field: {@code new Procedure<>(PROGRAM, VERSION,
 * number, "S.NAME", argCodec, resultCodec).inService(SERVICE_NAME)} takes 21 bytes besides the
 * procedure's number and its codecs (measured with javac 17: the name an {@code ldc_w} once the
 * constant pool passes 255 entries): a codec is a {@code getstatic}, or a call such as {@code
 * XdrCodecs.string(10)}, or an inline class made; a procedure's with exceptions is the field of its
 * reply's codec, which its initialiser makes too (not counted).
 */
final class HolderCodeSize {
  /** A procedure's field made, its number and codecs aside. */
  private static final int PROCEDURE = 21;
  /** A codec read from a static field ({@code getstatic}). */
  private static final int FIELD = 3;
  /** A static call ({@code invokestatic}), its argument aside. */
  private static final int CALL = 3;
  /** An inline codec class made: {@code new}, {@code dup}, {@code invokespecial}. */
  private static final int INLINE_CODEC = 7;
  /** The initialiser's {@code return}. */
  private static final int RETURN = 1;

  private HolderCodeSize() {}

  /** The fewest bytes of the initialiser of {@code version}'s holder class. */
  static long initialiser(Service.Version version) {
    long bytes = RETURN;
    for (Service.Procedure procedure : version.procedures()) {
      bytes += PROCEDURE + push(procedure.number()) + arguments(procedure) + result(procedure);
    }
    return bytes;
  }

  /** The arguments' codec: {@code VOID}, the one argument's, or their record's {@code CODEC}. */
  private static int arguments(Service.Procedure procedure) {
    return procedure.parameters().size() == 1 ? codec(procedure.parameters().get(0).type()) : FIELD;
  }

  /** The result's codec: {@code VOID}, the reply's codec (with exceptions), or the result's. */
  private static int result(Service.Procedure procedure) {
    return procedure.result() == null || !procedure.throwsList().isEmpty() ? FIELD
        : codec(procedure.result());
  }

  /** The bytes {@link CodecWriter#codecFor} takes at the least for {@code type}. */
  private static int codec(Type type) {
    if (type instanceof Type.StringType string) {
      return string.max() == Type.UNBOUNDED ? FIELD : push(string.max()) + CALL;
    }
    if (type instanceof Type.Opaque opaque) {
      return !opaque.fixed() && opaque.size() == Type.UNBOUNDED ? FIELD
          : push(opaque.size()) + CALL;
    }
    if (type instanceof Type.Optional optional && optional.element() instanceof Type.Defined) {
      return FIELD + CALL;
    }
    if (type instanceof Type.Array || type instanceof Type.Optional) {
      return INLINE_CODEC;
    }
    return FIELD; // a primitive's, a named type's CODEC
  }

  /** The bytes pushing an {@code int} takes: iconst, bipush, sipush, else ldc (at least). */
  private static int push(int value) {
    if (value >= -1 && value <= 5) {
      return 1;
    }
    if (value >= Byte.MIN_VALUE && value <= Byte.MAX_VALUE) {
      return 2;
    }
    return value >= Short.MIN_VALUE && value <= Short.MAX_VALUE ? 3 : 2;
  }
}
