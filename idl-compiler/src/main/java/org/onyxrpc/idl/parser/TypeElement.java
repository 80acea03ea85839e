package org.onyxrpc.idl.parser;

import org.onyxrpc.idl.source.Location;

/** A type as written, before names are resolved. */
public sealed interface TypeElement {
  /**
   * Where the type is written.
   *
   * @return the position of its first token
   */
  Location location();

  /** The XDR built-in scalar types. */
  enum BuiltinKind {
    /** {@code int}: a signed 32-bit integer. */
    INT("int"),
    /** {@code unsigned int}: an unsigned 32-bit integer. */
    UNSIGNED_INT("unsigned int"),
    /** {@code hyper}: a signed 64-bit integer. */
    HYPER("hyper"),
    /** {@code unsigned hyper}: an unsigned 64-bit integer. */
    UNSIGNED_HYPER("unsigned hyper"),
    /** {@code float}: an IEEE 754 single-precision number. */
    FLOAT("float"),
    /** {@code double}: an IEEE 754 double-precision number. */
    DOUBLE("double"),
    /** {@code quadruple}: an IEEE 754 quadruple-precision number. */
    QUADRUPLE("quadruple"),
    /** {@code bool}: an enum of FALSE (0) and TRUE (1). */
    BOOL("bool"),
    /** {@code char} (rpcgen): an int that C holds in a char. */
    CHAR("char"),
    /** {@code unsigned char} (rpcgen): an int from 0 to 255. */
    UNSIGNED_CHAR("unsigned char"),
    /** {@code short} (rpcgen): an int that C holds in a short. */
    SHORT("short"),
    /** {@code unsigned short} (rpcgen): an int from 0 to 65535. */
    UNSIGNED_SHORT("unsigned short");

    private final String idl;

    BuiltinKind(String idl) {
      this.idl = idl;
    }

    /**
     * The IDL spelling.
     *
     * @return the type as IDL writes it
     */
    public String idl() {
      return idl;
    }
  }

  /**
   * {@code int}, {@code unsigned hyper}, {@code bool}, ...
   *
   * @param location where it is written
   * @param kind which builtin type
   */
  record Builtin(Location location, BuiltinKind kind) implements TypeElement {}

  /**
   * A struct, enum, union, exception or typedef name.
   *
   * @param location where it is written
   * @param name the name
   */
  record Named(Location location, String name) implements TypeElement {}

  /**
   * {@code string<max>}; {@code max} is null for {@code <>}.
   *
   * @param location where it is written
   * @param max the bound, or null for {@code <>}
   */
  record StringType(Location location, ExprElement max) implements TypeElement {}

  /**
   * {@code opaque[size]} when fixed, else {@code opaque<size>} (size null for {@code <>}).
   *
   * @param location where it is written
   * @param size the length when fixed, else the largest; null for {@code <>}
   * @param fixed {@code [size]} rather than {@code <size>}
   */
  record Opaque(Location location, ExprElement size, boolean fixed) implements TypeElement {}

  /**
   * {@code T[size]} when fixed, else {@code T<size>} (size null for {@code <>}).
   *
   * @param location where it is written
   * @param element the type of each element
   * @param size the length when fixed, else the largest; null for {@code <>}
   * @param fixed {@code [size]} rather than {@code <size>}
   */
  record Array(Location location, TypeElement element, ExprElement size, boolean fixed)
      implements TypeElement {}

  /**
   * An anonymous {@code enum {…}}, {@code struct {…}} or {@code union switch …} body written in
   * place of a type name (RFC 5531 §12); its declaration's name is empty until the linker names
   * it after where it appears.
   *
   * @param location where it is written
   * @param declaration the anonymous declaration
   */
  record Inline(Location location, DeclElement declaration) implements TypeElement {}

  /**
   * {@code T *}: XDR optional-data.
   *
   * @param location where it is written
   * @param element the type of the optional data
   */
  record Optional(Location location, TypeElement element) implements TypeElement {}
}
