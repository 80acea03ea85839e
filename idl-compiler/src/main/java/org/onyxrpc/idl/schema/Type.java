package org.onyxrpc.idl.schema;

/**
 * A resolved XDR type. Typedefs are gone: a use of a typedef is replaced by the type it names.
 * Declared types are referred to by name ({@link Defined}), so recursive types need no cycles
 * between objects.
 */
public sealed interface Type {
  /** The bound of {@code <>}: the largest Java array (RFC 4506 allows 2^32 - 1). */
  int UNBOUNDED = Integer.MAX_VALUE;

  /** XDR's scalar types (quadruple travels as 16 opaque bytes, see TypeResolver). */
  enum Builtin implements Type {
    /** {@code int}: a signed 32-bit integer. */
    INT("int", 4),
    /** {@code unsigned int}: an unsigned 32-bit integer. */
    UNSIGNED_INT("unsigned int", 4),
    /** {@code hyper}: a signed 64-bit integer. */
    HYPER("hyper", 8),
    /** {@code unsigned hyper}: an unsigned 64-bit integer. */
    UNSIGNED_HYPER("unsigned hyper", 8),
    /** {@code float}: an IEEE 754 single-precision number. */
    FLOAT("float", 4),
    /** {@code double}: an IEEE 754 double-precision number. */
    DOUBLE("double", 8),
    /** {@code bool}: an enum of FALSE (0) and TRUE (1). */
    BOOL("bool", 4),
    // rpcgen's extensions (xdr_char, xdr_u_char, xdr_short, xdr_u_short): XDR ints whose values
    // C's narrower types hold, as C sends them (sign-extended or not); C cuts any other value.
    /** {@code char} (rpcgen): an int that C holds in a char. */
    CHAR("char", 4),
    // C's int8_t (xdr_int8_t): a signed char everywhere, -128 to 127, where char may be unsigned.
    /** {@code int8_t} (rpcgen): an int from -128 to 127. */
    INT8("int8_t", 4),
    /** {@code unsigned char} (rpcgen): an int from 0 to 255. */
    UNSIGNED_CHAR("unsigned char", 4),
    /** {@code short} (rpcgen): an int that C holds in a short. */
    SHORT("short", 4),
    /** {@code unsigned short} (rpcgen): an int from 0 to 65535. */
    UNSIGNED_SHORT("unsigned short", 4);

    private final String idl;
    private final int size;

    Builtin(String idl, int size) {
      this.idl = idl;
      this.size = size;
    }

    /**
     * The IDL spelling.
     *
     * @return the type as IDL writes it
     */
    public String idl() {
      return idl;
    }

    /**
     * Bytes on the wire.
     *
     * @return the encoded size, 4 or 8
     */
    public int size() {
      return size;
    }
  }

  /**
   * {@code string<max>}; max is {@link #UNBOUNDED} for {@code <>}. {@code maxConstant} names the
   * {@code const} the bound was written as, or is null, so generated code can refer to it.
   *
   * @param max the bound, or {@link #UNBOUNDED} for {@code <>}
   * @param maxConstant the {@code const} the bound was written as, or null
   */
  record StringType(int max, String maxConstant) implements Type {
    /**
     * A bound written as a number.
     *
     * @param max the largest length
     */
    public StringType(int max) {
      this(max, null);
    }
  }

  /**
   * {@code opaque[size]} when fixed, else {@code opaque<size>}; sizeConstant as for strings.
   *
   * @param size the length when fixed, else the largest
   * @param fixed {@code [size]} rather than {@code <size>}
   * @param sizeConstant the {@code const} the size was written as, or null
   */
  record Opaque(int size, boolean fixed, String sizeConstant) implements Type {
    /**
     * A size written as a number.
     *
     * @param size the length when fixed, else the largest
     * @param fixed {@code opaque[size]} rather than {@code opaque<size>}
     */
    public Opaque(int size, boolean fixed) {
      this(size, fixed, null);
    }
  }

  /**
   * {@code T[size]} when fixed, else {@code T<size>}; sizeConstant as for strings.
   *
   * @param element the type of each element
   * @param size the length when fixed, else the largest
   * @param fixed {@code [size]} rather than {@code <size>}
   * @param sizeConstant the {@code const} the size was written as, or null
   */
  record Array(Type element, int size, boolean fixed, String sizeConstant) implements Type {
    /**
     * A size written as a number.
     *
     * @param element the type of each element
     * @param size the length when fixed, else the largest
     * @param fixed {@code T[size]} rather than {@code T<size>}
     */
    public Array(Type element, int size, boolean fixed) {
      this(element, size, fixed, null);
    }
  }

  /**
   * {@code T *}.
   *
   * @param element the type of the data when present
   */
  record Optional(Type element) implements Type {}

  /**
   * A struct, enum, union or exception declared in the schema, by its IDL name.
   *
   * @param name its IDL name
   */
  record Defined(String name) implements Type {}

  /**
   * The IDL spelling of {@code type}, bounds by their constant's name ({@code string<MAX_KEY>},
   * {@code item *}); {@code void} for null. Typedefs are gone, so a use of one reads as what it
   * names: where the IDL's own words matter, a {@link Field#written()} keeps them.
   *
   * @param type a resolved type, or null for void
   * @return how IDL writes it
   */
  static String idl(Type type) {
    if (type == null) {
      return "void";
    }
    if (type instanceof Builtin builtin) {
      return builtin.idl();
    }
    if (type instanceof StringType string) {
      return "string" + bound(string.max(), false, string.maxConstant());
    }
    if (type instanceof Opaque opaque) {
      return "opaque" + bound(opaque.size(), opaque.fixed(), opaque.sizeConstant());
    }
    if (type instanceof Array array) {
      return idl(array.element()) + bound(array.size(), array.fixed(), array.sizeConstant());
    }
    if (type instanceof Optional optional) {
      return idl(optional.element()) + " *";
    }
    return ((Defined) type).name();
  }

  /**
   * A bound as written: {@code <MAX>}, {@code [16]}, {@code <>}.
   *
   * @param size the number, or {@link #UNBOUNDED}
   * @param fixed square brackets rather than angle brackets
   * @param constant the {@code const} it was written as, or null
   * @return the bound in IDL
   */
  static String bound(int size, boolean fixed, String constant) {
    String text = constant != null ? constant : size == UNBOUNDED ? "" : Integer.toString(size);
    return fixed ? "[" + text + "]" : "<" + text + ">";
  }
}
