package org.onyxrpc.idl.parser;

import java.util.Set;

/**
 * What to write for a generic type from another IDL ({@code list<int>}, {@code map<string, int>},
 * {@code optional<int>}), which XDR has none of: in a declaration, the parser's (a bound after the
 * type), and where a procedure takes or returns one, the parser's or the linker's (which reads
 * {@code list<Book>} there as an array of an unknown 'list' bounded by a type).
 */
public final class TypeArguments {
  private static final Set<String> OPTIONALS = Set.of("optional", "Optional", "nullable", "Nullable");
  private static final Set<String> MAPS = Set.of("map", "Map", "HashMap", "dict", "dictionary");

  private TypeArguments() {}

  /** For {@code type<…>} in a field, an arm or a typedef. */
  static String inDeclaration(String type) {
    String written = "'" + type + "<…>' is not XDR";
    if (OPTIONALS.contains(type)) {
      return written + ": an optional value is written with '*' before its name, 'int *x'";
    }
    if (MAPS.contains(type)) {
      return written + ", which has no maps: declare a struct of a key and a value, and a"
          + " variable-length array of it, 'Entry entries<>'";
    }
    return written + ": a variable-length array is declared after its name, 'int xs<>' for any"
        + " length, 'int xs<N>' for at most N";
  }

  /**
   * For {@code type<…>} as a procedure's result or argument, which is an array or a map's entries
   * through a typedef's name.
   *
   * @param type the generic's name ({@code list})
   * @param element the one word between the brackets, which names the array's element in the
   *     suggestion ({@code typedef int Ints<>;}), or null when there is none
   * @return the message
   */
  public static String inProcedure(String type, String element) {
    if (OPTIONALS.contains(type)) {
      return inDeclaration(type);
    }
    String written = "'" + type + "<…>' is not XDR";
    if (MAPS.contains(type)) {
      return written + ", which has no maps: declare a struct of a key and a value, name an array of"
          + " it in a typedef, 'typedef Entry Entries<>;', and write 'Entries' here";
    }
    String of = element != null ? element : "Element";
    String named = Character.toUpperCase(of.charAt(0)) + of.substring(1) + "s";
    return written + ": a procedure's array is a type named in a typedef, 'typedef " + of + " "
        + named + "<>;' for any length ('<N>' for at most N), and '" + named + "' here";
  }
}
