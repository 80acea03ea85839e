package org.onyxrpc.idl.javagen;

import java.util.ArrayList;
import java.util.List;
import org.onyxrpc.idl.schema.Type;
import org.onyxrpc.idl.schema.TypeDecl;

/**
 * The bytes of JVM code javac makes of a union's codec, whose {@code encode} and {@code decode}
 * are one method each that holds every arm (the generator's shape: a switch or an if per arm).
 * Measured with javac 17 on unions of 100 and 200 arms of each kind of type; exact for arms of
 * a primitive, a string or opaque, or a struct, union or enum type, and above the truth for the
 * arrays and optionals written inline, whose code grows with what they nest.
 */
final class UnionCodeSize {
  /** What {@code decode} takes besides the arms: the discriminant's read, the switch's frame. */
  private static final int DECODE_BASE = 24;
  /** What {@code encode} takes besides the arms: the discriminant's write. */
  private static final int ENCODE_BASE = 9;
  /** Each label's entry in the switch (a lookupswitch pair), or its comparison for a hyper. */
  private static final int LABEL = 8;
  /** A {@code void} arm's decoding besides its label: the object count, the record made. */
  private static final int DECODE_ARM = 9;
  /** An arm's {@code instanceof} test, cast and return in {@code encode} (none for void). */
  private static final int ENCODE_ARM = 15;

  private UnionCodeSize() {}

  /** The estimated bytes of {@code decode}. */
  static long decode(TypeDecl.UnionType union, JavaTypes types) {
    long bytes = DECODE_BASE;
    for (TypeDecl.Arm arm : arms(union)) {
      bytes += (long) LABEL * arm.labels().size() + DECODE_ARM
          + (arm.field() == null ? 0 : read(arm.field().type(), types));
    }
    return bytes;
  }

  /** The estimated bytes of {@code encode}. */
  static long encode(TypeDecl.UnionType union, JavaTypes types) {
    long bytes = ENCODE_BASE;
    for (TypeDecl.Arm arm : arms(union)) {
      if (arm.field() != null) {
        bytes += ENCODE_ARM + write(arm.field().type(), types);
      }
    }
    return bytes;
  }

  /** The arms, the default one (no label) among them. */
  private static List<TypeDecl.Arm> arms(TypeDecl.UnionType union) {
    if (union.defaultArm() == null) {
      return union.arms();
    }
    List<TypeDecl.Arm> arms = new ArrayList<>(union.arms());
    arms.add(union.defaultArm());
    return arms;
  }

  /** The bytes reading a value of {@code type} takes. */
  private static long read(Type type, JavaTypes types) {
    if (type instanceof Type.Builtin) {
      return 6;
    }
    if (type instanceof Type.StringType || type instanceof Type.Opaque) {
      return 8;
    }
    if (type instanceof Type.Optional optional) {
      return 16 + read(optional.element(), types);
    }
    if (type instanceof Type.Array array) {
      return 48 + read(array.element(), types);
    }
    return 14; // its CODEC's decode, or an enum's
  }

  /** The bytes writing a value of {@code type} takes. */
  private static long write(Type type, JavaTypes types) {
    if (type instanceof Type.Builtin) {
      return 6;
    }
    if (type instanceof Type.StringType || type instanceof Type.Opaque) {
      return 8;
    }
    if (type instanceof Type.Optional optional) {
      return 26 + write(optional.element(), types);
    }
    if (type instanceof Type.Array array) {
      return 51 + write(array.element(), types);
    }
    return types.isEnum(type) ? 9 : 11;
  }
}
