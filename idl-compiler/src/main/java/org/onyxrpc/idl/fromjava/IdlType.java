package org.onyxrpc.idl.fromjava;

/**
 * An IDL type ready to be written, either where a name follows ({@code string name<64>}) or
 * alone, as a procedure result ({@code string<64>}).
 *
 * @param spec the type specifier: {@code int}, {@code string}, {@code Item}
 * @param suffix what follows the name: {@code <64>}, {@code <>} or ""
 * @param optional true for XDR optional-data ({@code Item *next})
 */
record IdlType(String spec, String suffix, boolean optional) {
  static IdlType of(String spec) {
    return new IdlType(spec, "", false);
  }

  /** A declaration: {@code string name<64>}, {@code Item *next}. */
  String declare(String name) {
    return optional ? spec + " *" + name : spec + " " + name + suffix;
  }

  /** A type alone, as a procedure's result: {@code string<64>}, {@code Item *}. */
  String ref() {
    return optional ? spec + " *" : spec + suffix;
  }
}
