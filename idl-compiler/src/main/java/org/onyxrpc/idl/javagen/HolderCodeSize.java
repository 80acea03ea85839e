package org.onyxrpc.idl.javagen;

import org.onyxrpc.idl.schema.Service;

/**
 * The fewest bytes of JVM code javac makes of a version's holder class's initialiser, one method
 * that makes every procedure's {@code Procedure} field: {@code new Procedure<>(PROGRAM, VERSION,
 * number, "S.NAME", argCodec, resultCodec).inService(SERVICE_NAME)} takes 27 bytes besides the
 * procedure's number (measured with javac 17: each codec a {@code getstatic} at least, the name an
 * {@code ldc_w} once the constant pool passes 255 entries), more when a codec is made by a call.
 */
final class HolderCodeSize {
  /** A procedure's field made, its number aside. */
  private static final int PROCEDURE = 27;
  /** The initialiser's {@code return}. */
  private static final int RETURN = 1;

  private HolderCodeSize() {}

  /** The fewest bytes of the initialiser of {@code version}'s holder class. */
  static long initialiser(Service.Version version) {
    long bytes = RETURN;
    for (Service.Procedure procedure : version.procedures()) {
      bytes += PROCEDURE + push(procedure.number());
    }
    return bytes;
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
