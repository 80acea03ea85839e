package org.onyxrpc.cli.json;

import org.onyxrpc.idl.schema.Type;

/** How a resolved type is written in IDL, for messages and templates: {@code string<16>}, {@code point*}. */
public final class TypeNames {
  private TypeNames() {}

  /**
   * The IDL spelling of {@code type}.
   *
   * @param type a resolved type
   * @return how the IDL writes it: {@code string<32>}, {@code point*}
   */
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

  /**
   * A type for a message, as the IDL author declared it and what it resolves to where the two
   * differ: {@code tag<MAX_TAGS>, which is string<32><MAX_TAGS>}. {@code written} is {@link
   * org.onyxrpc.idl.schema.Field#written()}, or null when unknown (then the resolved form alone).
   *
   * @param written the type as the author wrote it, or null
   * @param type the resolved type
   * @return the written form, and the resolved one after it where they differ
   */
  public static String declared(String written, Type type) {
    String resolved = idl(type);
    if (written == null) {
      return resolved;
    }
    String normal = written.replace(" *", "*"); // Field.written spells optional data 'point *'
    return normal.equals(resolved) ? resolved : normal + ", which is " + resolved;
  }

  /**
   * The element's type as written, from an array's or optional's written type: {@code tag} of
   * {@code tag<MAX_TAGS>}, {@code point} of {@code point *}; null when the bound or star is not
   * in the written words (it is inside a typedef, whose element the words do not show).
   *
   * @param written an array's or optional's type as written, or null
   * @return the element's type as written, or null
   */
  public static String elementWritten(String written) {
    if (written == null || written.isEmpty()) {
      return null;
    }
    if (written.endsWith("*")) {
      return written.substring(0, written.length() - 1).strip();
    }
    char last = written.charAt(written.length() - 1);
    int bound = last == '>' ? written.lastIndexOf('<') : last == ']' ? written.lastIndexOf('[') : -1;
    return bound > 0 ? written.substring(0, bound).strip() : null;
  }

  private static String bound(int size, String constant, boolean fixed) {
    String inside = constant != null ? constant : size == Type.UNBOUNDED && !fixed ? "" : Integer.toString(size);
    return fixed ? "[" + inside + "]" : "<" + inside + ">";
  }
}
