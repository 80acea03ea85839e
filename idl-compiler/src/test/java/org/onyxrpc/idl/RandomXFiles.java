package org.onyxrpc.idl;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whole {@code .x} files made at random from the RPC language, seeded so that a seed always makes
 * the same file, and near misses of each: one token removed, doubled or swapped with the next.
 * {@link RandomXFilesTest} gives them to rpcgen and to idlc. Where {@link RpcgenGrammar} tries one
 * construct at a time, these put many together: nested structs, unions and typedefs, optional
 * data and linked lists, fixed and variable arrays with decimal, hex, octal and constant bounds,
 * enums with values left out or naming other constants, programs of several versions,
 * identifiers near keywords (the RPC language's, C's and Java's that C allows), and comments,
 * {@code #define}s, {@code #ifdef}s and {@code %} lines between the definitions.
 *
 * <p>The files stay where idlc and rpcgen are meant to agree (README's language, the
 * {@code rpcgen-grammar/differences.txt} lines): no constant expressions, no names C or libtirpc
 * declare, every type declared before its use, small bounds (the XDR samples stay small).
 */
final class RandomXFiles {
  private RandomXFiles() {}

  /** Names to start identifiers with: near the language's, C's and Java's keywords. */
  private static final List<String> STEMS = List.of(
      "item", "integer", "structure", "unions", "enumeration", "typedefs", "programs",
      "versioned", "Int", "Opaque", "STRING", "voids", "hyper_", "bool_", "case_", "switch_",
      "defaults", "constant", "class", "new", "package", "import", "record", "var", "this",
      "public", "interface", "boolean", "String", "Object", "value", "_lead", "mixed_Case",
      "x", "Version", "program1", "unsignedx", "quad", "opaque_t", "string_t", "get", "set",
      "hashCode", "equals", "toString", "of", "codec", "CODEC");

  /** A generated file: its seed and its text. */
  record File(long seed, String text) {}

  /** A near miss of {@code original}: one edit, described. */
  record NearMiss(String description, String text) {}

  /** The file seed {@code seed} makes. */
  static File file(long seed) {
    return new File(seed, new Writer(new Random(seed), new Random(~seed)).file());
  }

  /**
   * {@code count} near misses of {@code text}, chosen by {@code seed}: a token (outside comments,
   * {@code #} lines and {@code %} lines) removed, written twice, or swapped with the next one.
   */
  static List<NearMiss> nearMisses(String text, long seed, int count) {
    List<int[]> tokens = tokens(text);
    Random random = new Random(seed * 31 + 7);
    List<NearMiss> misses = new ArrayList<>();
    for (int n = 0; n < count && tokens.size() > 2; n++) {
      int i = random.nextInt(tokens.size() - 1);
      int[] t = tokens.get(i);
      int[] next = tokens.get(i + 1);
      String token = text.substring(t[0], t[1]);
      String where = "line " + line(text, t[0]) + " '" + token + "'";
      switch (random.nextInt(3)) {
        case 0 -> misses.add(new NearMiss("removed " + where,
            text.substring(0, t[0]) + text.substring(t[1])));
        case 1 -> misses.add(new NearMiss("doubled " + where,
            text.substring(0, t[1]) + " " + token + text.substring(t[1])));
        default -> misses.add(new NearMiss("swapped " + where + " and '"
            + text.substring(next[0], next[1]) + "'",
            text.substring(0, t[0]) + text.substring(next[0], next[1])
                + text.substring(t[1], next[0]) + token + text.substring(next[1])));
      }
    }
    return misses;
  }

  private static final Pattern LEXEMES = Pattern.compile(
      "/\\*.*?\\*/|//[^\\n]*|^[ \\t]*[#%][^\\n]*|[A-Za-z_]\\w*|0[xX][0-9a-fA-F]+|-?\\d+|\\S",
      Pattern.DOTALL | Pattern.MULTILINE);

  /** The start and end of each token of {@code text} that is not a comment or a # or % line. */
  private static List<int[]> tokens(String text) {
    List<int[]> tokens = new ArrayList<>();
    Matcher m = LEXEMES.matcher(text);
    while (m.find()) {
      String s = m.group();
      if (!s.startsWith("/*") && !s.startsWith("//") && !s.strip().startsWith("#")
          && !s.strip().startsWith("%")) {
        tokens.add(new int[] {m.start(), m.end()});
      }
    }
    return tokens;
  }

  private static int line(String text, int offset) {
    return (int) text.substring(0, offset).chars().filter(c -> c == '\n').count() + 1;
  }

  /** Writes one file: what it declared so far is what later definitions may use. */
  private static final class Writer {
    private final Random random;
    /**
     * Draws for what was added to the files later (comments and cpp lines inside programs and
     * struct bodies), so that a seed still makes the same definitions as before.
     */
    private final Random odd;
    private final StringBuilder out = new StringBuilder();
    private final List<String> used = new ArrayList<>();
    /** Constants, #defines and enum values of 1 to 8, usable as bounds, and their values. */
    private final java.util.Map<String, Integer> sizes = new java.util.LinkedHashMap<>();
    /** Types a field may have, spelled as a declaration takes them. */
    private final List<String> types = new ArrayList<>();
    /** Each enum's name and values. */
    private final List<List<String>> enums = new ArrayList<>();
    private int programs;
    /**
     * Whether procedures may take several arguments (rpcgen -N). Then none is optional: rpcgen
     * -N's header declares {@code T *} arguments as {@code T}, and its C does not compile.
     */
    private boolean newStyle;
    /**
     * Typedefs of fixed arrays: rpcgen -N's header declares such an argument as the element type
     * and its stub takes the typedef (gcc: conflicting types), so new-style files pass none.
     */
    private final java.util.Set<String> fixedArrays = new java.util.HashSet<>();

    Writer(Random random, Random odd) {
      this.random = random;
      this.odd = odd;
    }

    String file() {
      if (random.nextBoolean()) {
        out.append("/*\n * seed file\n */\n");
      }
      int definitions = 3 + random.nextInt(8);
      for (int d = 0; d < definitions; d++) {
        between();
        switch (random.nextInt(d < 2 ? 3 : 7)) {
          case 0 -> constant();
          case 1 -> enumeration();
          case 2 -> define();
          case 3, 4 -> struct();
          case 5 -> union();
          default -> typedef();
        }
      }
      int count = random.nextInt(3);
      newStyle = random.nextBoolean();
      for (int p = 0; p < count; p++) {
        between();
        program();
      }
      return out.toString();
    }

    /** Something, or nothing, between two fields: cpp's lines, which take nothing away. */
    private void inside() {
      switch (random.nextInt(10)) {
        case 0 -> out.append("#if 0\n  int never").append(used.size()).append(";\n#endif\n");
        case 1 -> out.append("#ifndef RPC_HDR_NEVER\n  /* kept */\n#else\n  never;\n#endif\n");
        case 2 -> {
          String name = name().toUpperCase();
          int value = 1 + random.nextInt(4);
          out.append("#define ").append(name).append(" ").append(value).append('\n');
          sizes.put(name, value);
        }
        default -> { }
      }
    }

    /** Something, or nothing, between two definitions. */
    private void between() {
      switch (random.nextInt(8)) {
        case 0 -> out.append("/* ").append(name()).append(" */\n");
        case 1 -> out.append("% /* passed to C */\n");
        case 2 -> out.append("\n");
        case 3 -> out.append("#ifdef NOT_DEFINED_").append(name())
            .append("\nthis is never read;\n#endif\n");
        default -> { }
      }
    }

    /**
     * A new name: a stem alone the first time now and then, else with a number. No two names of
     * a file differ only in case, as C's macros (constants) and types would meet.
     */
    private String name() {
      String stem = STEMS.get(random.nextInt(STEMS.size()));
      String candidate = random.nextInt(4) == 0 ? stem : stem + used.size();
      if (used.contains(candidate.toLowerCase())) {
        candidate = stem + used.size();
      }
      used.add(candidate.toLowerCase());
      return candidate;
    }

    private String number(int value) {
      return switch (random.nextInt(4)) {
        case 0 -> "0x" + Integer.toHexString(value);
        case 1 -> value == 0 ? "0" : "0" + Integer.toOctalString(value);
        default -> Integer.toString(value);
      };
    }

    /** A small bound: a number or a constant's name. */
    private String bound() {
      if (!sizes.isEmpty() && random.nextInt(3) == 0) {
        return size();
      }
      return number(1 + random.nextInt(6));
    }

    private String size() {
      return new ArrayList<>(sizes.keySet()).get(random.nextInt(sizes.size()));
    }

    private void constant() {
      String name = name().toUpperCase();
      out.append("const ").append(name).append(" = ");
      int value;
      if (!sizes.isEmpty() && random.nextInt(4) == 0) {
        String other = size();
        value = sizes.get(other);
        out.append(other);
      } else {
        value = 1 + random.nextInt(8);
        out.append(number(value));
      }
      out.append(";").append(comment()).append("\n");
      sizes.put(name, value);
    }

    private void define() {
      String name = name().toUpperCase();
      int value = 1 + random.nextInt(5);
      out.append("#define ").append(name).append(' ').append(value).append('\n');
      sizes.put(name, value);
    }

    /** A comment between two tokens, now and then. */
    private String oddComment() {
      return odd.nextInt(6) == 0 ? " /* " + STEMS.get(odd.nextInt(STEMS.size())) + " */" : "";
    }

    private String comment() {
      return random.nextInt(5) == 0 ? " /* " + name() + " */" : "";
    }

    private void enumeration() {
      String name = name();
      List<String> values = new ArrayList<>(List.of(name));
      out.append("enum ").append(name).append(" {");
      int count = 1 + random.nextInt(4);
      int next = random.nextInt(3) - 1;
      for (int v = 0; v < count; v++) {
        String value = name().toUpperCase();
        out.append(v == 0 ? "\n  " : ",\n  ").append(value);
        // A value left out is the one before it plus one, as in C.
        if (v > 0 && random.nextInt(3) == 0) {
          next++;
        } else {
          next += 1 + random.nextInt(5);
          out.append(" = ").append(next < 0 ? Integer.toString(next) : number(next));
        }
        values.add(value);
        if (next > 0 && next <= 8) {
          sizes.put(value, next);
        }
      }
      out.append("\n};\n");
      enums.add(values);
      types.add(name);
      types.add("enum " + name);
    }

    /** A field's (or arm's) declaration of a random type, or {@code optional} of {@code self}. */
    private String declaration(String self) {
      String field = name();
      if (self != null && random.nextInt(4) == 0) {
        return self + " *" + field;
      }
      switch (random.nextInt(12)) {
        case 0:
          return "string " + field + (random.nextBoolean() ? "<>" : "<" + bound() + ">");
        case 1:
          return "opaque " + field + (random.nextBoolean() ? "[" + bound() + "]"
              : random.nextBoolean() ? "<>" : "<" + bound() + ">");
        default:
          break;
      }
      List<String> base = new ArrayList<>(List.of("int", "unsigned int", "unsigned", "hyper",
          "unsigned hyper", "bool", "float", "double", "short", "unsigned char"));
      String type = random.nextInt(3) == 0 || types.isEmpty()
          ? base.get(random.nextInt(base.size())) : types.get(random.nextInt(types.size()));
      if (random.nextInt(8) == 0) {
        type = type + " /* " + name() + " */";
      }
      return switch (random.nextInt(6)) {
        case 0 -> type + " *" + field;
        case 1 -> type.equals("bool") ? type + " " + field : type + " " + field + "[" + bound() + "]";
        case 2 -> type + " " + field + "<" + bound() + ">";
        case 3 -> type + " " + field + "<>";
        default -> type + " " + field;
      };
    }

    private void struct() {
      String name = name();
      out.append("struct ").append(name).append(" {\n");
      int count = 1 + random.nextInt(4);
      boolean linked = random.nextInt(4) == 0;
      for (int f = 0; f < count; f++) {
        inside();
        if (odd.nextInt(10) == 0) {
          out.append("% /* inside a struct */\n");
        }
        out.append("  ").append(declaration(linked ? name : null)).append(";").append(comment())
            .append('\n');
      }
      out.append("};\n");
      types.add(name);
      types.add("struct " + name);
    }

    private void union() {
      String name = name();
      List<String> labels;
      String discriminant;
      int kind = enums.isEmpty() ? random.nextInt(3) : random.nextInt(4);
      switch (kind) {
        case 0 -> {
          discriminant = "int";
          List<String> ints = new ArrayList<>(List.of("0", "-1", "0x10", "010", "100"));
          // The small ones, 1 to 8, may be constants: the first of each value.
          java.util.Set<Integer> values = new java.util.HashSet<>(List.of(0, -1, 16, 8, 100));
          sizes.forEach((size, value) -> {
            if (values.add(value)) {
              ints.add(size);
            }
          });
          labels = distinct(ints);
        }
        case 1 -> {
          discriminant = random.nextBoolean() ? "unsigned int" : "unsigned";
          labels = distinct(List.of("0", "1", "2", "0x20", "3", "04"));
        }
        case 2 -> {
          discriminant = "bool";
          labels = distinct(List.of("TRUE", "FALSE"));
        }
        default -> {
          List<String> e = enums.get(random.nextInt(enums.size()));
          discriminant = random.nextBoolean() ? e.get(0) : "enum " + e.get(0);
          labels = distinct(e.subList(1, e.size()));
        }
      }
      int arms = 1 + random.nextInt(labels.size());
      out.append("union ").append(name).append(" switch (").append(discriminant).append(' ')
          .append(name()).append(") {\n");
      for (int a = 0; a < arms; a++) {
        out.append("  case ").append(labels.get(a)).append(":");
        // Two labels on one arm now and then.
        if (a + 1 < arms && random.nextInt(4) == 0) {
          a++;
          out.append("\n  case ").append(labels.get(a)).append(":");
        }
        out.append(random.nextInt(4) == 0 ? " void;\n" : " " + declaration(null) + ";\n");
      }
      if (random.nextBoolean()) {
        out.append("  default:").append(random.nextBoolean() ? " void;\n"
            : " " + declaration(null) + ";\n");
      }
      out.append("};\n");
      types.add(name);
    }

    /** Some of {@code labels}, without repeats, in a random order. */
    private List<String> distinct(List<String> labels) {
      List<String> shuffled = new ArrayList<>(labels);
      java.util.Collections.shuffle(shuffled, random);
      return shuffled;
    }

    private void typedef() {
      String declaration = declaration(null);
      out.append("typedef ").append(declaration).append(";\n");
      String name = declaration.substring(declaration.lastIndexOf(' ') + 1).replaceAll("^\\*|[\\[<].*$", "");
      types.add(name);
      if (declaration.endsWith("]")) {
        fixedArrays.add(name);
      }
    }

    private void program() {
      String name = name().toUpperCase();
      out.append("program ").append(name).append(" {\n");
      int versions = 1 + random.nextInt(3);
      int version = 1 + random.nextInt(3);
      for (int v = 0; v < versions; v++) {
        String versionName = name().toUpperCase();
        out.append("  version ").append(versionName).append(" {\n");
        int procedures = 1 + random.nextInt(4);
        int number = random.nextInt(2);
        for (int p = 0; p < procedures; p++) {
          String result = result();
          String procedure = name().toUpperCase();
          String arguments = arguments();
          out.append("    ").append(result).append(oddComment()).append(' ').append(procedure)
              .append('(').append(arguments).append(')').append(oddComment()).append(" = ")
              .append(number(number)).append(";").append(comment()).append('\n');
          if (odd.nextInt(8) == 0) {
            out.append("% /* between procedures */\n");
          }
          number += 1 + random.nextInt(3);
        }
        if (odd.nextInt(4) == 0) {
          // The version number through a macro, defined right there.
          String macro = "VNUM" + used.size() + "_" + v;
          out.append("#define ").append(macro).append(' ').append(version).append('\n')
              .append("  } = ").append(macro).append(";\n");
        } else {
          out.append("  } = ").append(number(version)).append(";\n");
        }
        version += 1 + random.nextInt(2);
      }
      out.append("} = ").append(number(0x20000000 + 0x100 * (++programs) + random.nextInt(0x100)))
          .append(";\n");
    }

    /** A result: rpcgen takes no '*' there (idlc does, an optional result). */
    private String result() {
      return random.nextInt(4) == 0 ? "void" : argumentType().replace(" *", "");
    }

    private String arguments() {
      return switch (random.nextInt(5)) {
        case 0 -> "void";
        case 1 -> newStyle ? argumentType() + ", " + argumentType() : argumentType();
        default -> argumentType();
      };
    }

    /** A type as a procedure's argument or result takes it: a name, or one of these. */
    private String argumentType() {
      List<String> all = new ArrayList<>(types);
      if (newStyle) {
        all.removeAll(fixedArrays);
      }
      all.addAll(List.of("int", "unsigned int", "hyper", "bool", "double", "string"));
      String type = all.get(random.nextInt(all.size()));
      return !newStyle && random.nextInt(6) == 0 && !type.equals("string") ? type + " *" : type;
    }
  }
}
