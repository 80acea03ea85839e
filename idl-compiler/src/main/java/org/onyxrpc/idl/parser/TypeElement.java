package org.onyxrpc.idl.parser;

import org.onyxrpc.idl.source.Location;

/** A type as written, before names are resolved. */
public sealed interface TypeElement {
  /** Where the type is written. */
  Location location();

  /** The XDR built-in scalar types. */
  enum BuiltinKind {
    INT("int"),
    UNSIGNED_INT("unsigned int"),
    HYPER("hyper"),
    UNSIGNED_HYPER("unsigned hyper"),
    FLOAT("float"),
    DOUBLE("double"),
    QUADRUPLE("quadruple"),
    BOOL("bool"),
    CHAR("char"),
    UNSIGNED_CHAR("unsigned char"),
    SHORT("short"),
    UNSIGNED_SHORT("unsigned short");

    private final String idl;

    BuiltinKind(String idl) {
      this.idl = idl;
    }

    /** The IDL spelling. */
    public String idl() {
      return idl;
    }
  }

  /** {@code int}, {@code unsigned hyper}, {@code bool}, ... */
  record Builtin(Location location, BuiltinKind kind) implements TypeElement {}

  /** A struct, enum, union, exception or typedef name. */
  record Named(Location location, String name) implements TypeElement {}

  /** {@code string<max>}; {@code max} is null for {@code <>}. */
  record StringType(Location location, ExprElement max) implements TypeElement {}

  /** {@code opaque[size]} when fixed, else {@code opaque<size>} (size null for {@code <>}). */
  record Opaque(Location location, ExprElement size, boolean fixed) implements TypeElement {}

  /** {@code T[size]} when fixed, else {@code T<size>} (size null for {@code <>}). */
  record Array(Location location, TypeElement element, ExprElement size, boolean fixed)
      implements TypeElement {}

  /**
   * An anonymous {@code enum {…}}, {@code struct {…}} or {@code union switch …} body written in
   * place of a type name (RFC 5531 §12); its declaration's name is empty until the linker names
   * it after where it appears.
   */
  record Inline(Location location, DeclElement declaration) implements TypeElement {}

  /** {@code T *}: XDR optional-data. */
  record Optional(Location location, TypeElement element) implements TypeElement {}
}
