package org.onyxrpc.idl.javagen;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Maps IDL identifiers to idiomatic Java names ({@code CALC_PROG} to {@code CalcProg}, {@code
 * label_len} to {@code labelLen}) and keeps them legal: Java keywords, contextual keywords and the
 * names of {@code Object}'s methods get a trailing underscore.
 */
final class Names {
  private static final Set<String> RESERVED = Set.of(
      "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const",
      "continue", "default", "do", "double", "else", "enum", "extends", "final", "finally",
      "float", "for", "goto", "if", "implements", "import", "instanceof", "int", "interface",
      "long", "native", "new", "package", "private", "protected", "public", "return", "short",
      "static", "strictfp", "super", "switch", "synchronized", "this", "throw", "throws",
      "transient", "try", "void", "volatile", "while", "true", "false", "null", "var", "yield",
      "record", "sealed", "permits", "non-sealed", "_",
      // Object's methods: a record component or interface method of that name would not compile.
      "clone", "equals", "finalize", "getClass", "hashCode", "notify", "notifyAll", "toString",
      "wait");

  private Names() {}

  /**
   * The words of an identifier: split at underscores and at lower-to-upper case changes. File
   * names, which name the constants class, may hold any other character ({@code nlm4-xdr.x}):
   * those split words too.
   */
  static List<String> words(String name) {
    List<String> words = new ArrayList<>();
    for (String part : name.split("[^\\p{Alnum}]+")) {
      int start = 0;
      for (int i = 1; i < part.length(); i++) {
        char previous = part.charAt(i - 1);
        char current = part.charAt(i);
        boolean lowerToUpper = !Character.isUpperCase(previous) && Character.isUpperCase(current);
        boolean acronymEnd = Character.isUpperCase(previous) && Character.isUpperCase(current)
            && i + 1 < part.length() && Character.isLowerCase(part.charAt(i + 1));
        if (lowerToUpper || acronymEnd) {
          words.add(part.substring(start, i));
          start = i;
        }
      }
      if (start < part.length()) {
        words.add(part.substring(start));
      }
    }
    return words;
  }

  /** {@code calc_prog} or {@code CALC_PROG} to {@code CalcProg}; {@code 9p} to {@code X9p}. */
  static String pascal(String name) {
    StringBuilder result = new StringBuilder();
    for (String word : words(name)) {
      result.append(capitalize(word.toLowerCase(Locale.ROOT)));
    }
    if (result.length() == 0 || !Character.isJavaIdentifierStart(result.charAt(0))) {
      result.insert(0, 'X');
    }
    return safe(result.toString());
  }

  /** {@code LABEL_LEN} or {@code label_len} to {@code labelLen}. */
  static String camel(String name) {
    String pascal = pascal(name);
    String camel = Character.toLowerCase(pascal.charAt(0)) + pascal.substring(1);
    return safe(camel);
  }

  /** {@code divideBy} to {@code DIVIDE_BY}. */
  static String upperSnake(String name) {
    List<String> upper = new ArrayList<>();
    for (String word : words(name)) {
      upper.add(word.toUpperCase(Locale.ROOT));
    }
    return upper.isEmpty() ? "X" : String.join("_", upper);
  }

  /**
   * The Java names of constants ({@code const}s, enum values, procedure numbers) in one scope:
   * each IDL name in upper snake case ({@code divideBy} to {@code DIVIDE_BY}), taken first by the
   * names written so; where two names meet in one ({@code FOO_BAR} and {@code FooBar}, {@code
   * NFS4_1} and {@code nfs4_1}), the other keeps its name as written (made legal), so that each
   * has a name a reader finds in the IDL, not a number.
   */
  static List<String> constants(List<String> idlNames, Allocator names) {
    String[] result = new String[idlNames.size()];
    for (int i = 0; i < result.length; i++) {
      String name = idlNames.get(i);
      if (upperSnake(name).equals(name) && names.take(name)) {
        result[i] = name;
      }
    }
    for (int i = 0; i < result.length; i++) {
      String name = idlNames.get(i);
      if (result[i] == null) {
        result[i] = names.allocate(upperSnake(name), safe(name));
      }
    }
    return List.of(result);
  }

  static String capitalize(String word) {
    return word.isEmpty() ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1);
  }

  private static String safe(String name) {
    return RESERVED.contains(name) ? name + "_" : name;
  }

  /**
   * Hands out names in one Java scope, never the same twice: {@code size}, {@code size2}, ...;
   * {@code v4}, {@code v4_2}, ...
   */
  static final class Allocator {
    private final Set<String> used = new HashSet<>();
    private final boolean foldCase;

    Allocator(String... reserved) {
      this(false);
      reserve(List.of(reserved));
    }

    private Allocator(boolean foldCase) {
      this.foldCase = foldCase;
    }

    /**
     * An allocator for top-level classes, each a file {@code Name.java}: names that differ only in
     * case ({@code FooBar}, {@code Foobar}) are one file on a case-insensitive file system (macOS,
     * Windows), so they are taken as the same name.
     */
    static Allocator forFiles() {
      return new Allocator(true);
    }

    /** Reserves more names, such as the types a nested type must not hide. */
    Allocator reserve(java.util.Collection<String> names) {
      names.forEach(name -> used.add(key(name)));
      return this;
    }

    /** {@code wanted}, or when taken {@code fallback}, or else {@code wanted} numbered. */
    String allocate(String wanted, String fallback) {
      return used.contains(key(wanted)) && !used.contains(key(fallback)) ? allocate(fallback) : allocate(wanted);
    }

    /** Takes {@code name} when it is free; false when it is taken. */
    boolean take(String name) {
      return used.add(key(name));
    }

    String allocate(String wanted) {
      // NFS4_1 numbered is NFS4_1_2, not NFS4_12, which reads as another version.
      String stem = Character.isDigit(wanted.charAt(wanted.length() - 1)) ? wanted + "_" : wanted;
      String name = wanted;
      for (int i = 2; !used.add(key(name)); i++) {
        name = stem + i;
      }
      return name;
    }

    private String key(String name) {
      return foldCase ? name.toLowerCase(Locale.ROOT) : name;
    }
  }
}
