package org.onyxrpc.idl.compat;

import org.onyxrpc.idl.schema.Type;

/** A resolved type written the way a user reads it in messages: {@code string<64>}, {@code Item *}. */
final class TypeText {
  private TypeText() {}

  /** The IDL spelling; {@code void} for null. */
  static String of(Type type) {
    if (type == null) {
      return "void";
    }
    if (type instanceof Type.Builtin builtin) {
      return builtin.idl();
    }
    if (type instanceof Type.StringType string) {
      return "string" + bound(string.max(), false);
    }
    if (type instanceof Type.Opaque opaque) {
      return "opaque" + bound(opaque.size(), opaque.fixed());
    }
    if (type instanceof Type.Array array) {
      return of(array.element()) + bound(array.size(), array.fixed());
    }
    if (type instanceof Type.Optional optional) {
      return of(optional.element()) + " *";
    }
    return ((Type.Defined) type).name();
  }

  static String bound(int size, boolean fixed) {
    if (fixed) {
      return "[" + size + "]";
    }
    return size == Type.UNBOUNDED ? "<>" : "<" + size + ">";
  }

  /** A bound for prose: a number, or "no limit". */
  static String limit(long size) {
    return size == Type.UNBOUNDED ? "no limit" : Long.toString(size);
  }
}
