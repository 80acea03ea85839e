package org.onyxrpc.cli.json;

import org.onyxrpc.idl.schema.Type;

/** How a resolved type is written in IDL, for messages and templates: {@code string<16>}, {@code point*}. */
public final class TypeNames {
  private TypeNames() {}

  /** The IDL spelling of {@code type}. */
  public static String idl(Type type) {
    if (type instanceof Type.Builtin b) {
      return b.idl();
    } else if (type instanceof Type.StringType s) {
      return "string" + bound(s.max(), s.maxConstant(), false);
    } else if (type instanceof Type.Opaque o) {
      return "opaque" + bound(o.size(), o.sizeConstant(), o.fixed());
    } else if (type instanceof Type.Array a) {
      return idl(a.element()) + bound(a.size(), a.sizeConstant(), a.fixed());
    } else if (type instanceof Type.Optional o) {
      return idl(o.element()) + "*";
    } else if (type instanceof Type.Defined d) {
      return d.name();
    }
    return type.toString();
  }

  private static String bound(int size, String constant, boolean fixed) {
    String inside = constant != null ? constant : size == Type.UNBOUNDED && !fixed ? "" : Integer.toString(size);
    return fixed ? "[" + inside + "]" : "<" + inside + ">";
  }
}
