package org.onyxrpc.idl.link;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.onyxrpc.idl.parser.Spelling;
import org.onyxrpc.idl.preprocess.SkippedDefinition;
import org.onyxrpc.idl.source.Diagnostics;
import org.onyxrpc.idl.source.Location;

/**
 * The errors for names that no loaded file declares, for a {@link Scope}: each says what the
 * user most likely meant (a C or Java type's XDR name, a misspelling), or that a {@code %} line
 * gives the name to C only, or which {@code -U} keeps the skipped branch that declares it. In a
 * file with {@code %#include} lines they are held back until {@link #reportHeldBack}, so that the
 * hint about C headers goes to the first one the user reads, not the first one linked.
 */
final class UnknownNames {
  /** The XDR types a misspelling may have meant ("Intt", "String"), besides the declared ones. */
  static final List<String> BUILT_IN_TYPES = List.of("int", "unsigned", "hyper", "float",
      "double", "quadruple", "bool", "string", "opaque", "char", "short", "long");

  private final Diagnostics diagnostics;
  private Map<String, String> cIncludes = Map.of();
  private Map<String, String> cDefines = Map.of();
  private Map<String, String> cTypedefs = Map.of();
  private Map<String, String> cConstants = Map.of();
  private Map<String, Map<String, SkippedDefinition>> skippedDefinitions = Map.of();
  /** Unknown names in files with {@code %#include} lines, reported at the end with the hint. */
  private final Map<String, List<Unknown>> unknownInCFiles = new LinkedHashMap<>();

  private record Unknown(Location at, String message, String[] context) {}

  UnknownNames(Diagnostics diagnostics) {
    this.diagnostics = diagnostics;
  }

  /** What the {@code %} lines give C, as {@link Scope#withCIncludes} takes them. */
  void givenToC(Map<String, String> cIncludes, Map<String, String> cDefines,
      Map<String, String> cTypedefs, Map<String, String> cConstants) {
    this.cIncludes = Map.copyOf(cIncludes);
    this.cDefines = Map.copyOf(cDefines);
    this.cTypedefs = Map.copyOf(cTypedefs);
    this.cConstants = Map.copyOf(cConstants);
  }

  /** What skipped branches would have declared, as {@link Scope#withSkippedDefinitions} takes it. */
  void skipped(Map<String, Map<String, SkippedDefinition>> skippedDefinitions) {
    this.skippedDefinitions = Map.copyOf(skippedDefinitions);
  }

  /** The error for an unknown type {@code name} in {@code file}; {@code hints}: the names it sees. */
  String typeMessage(String name, String file, Supplier<List<String>> hints) {
    String fromC = CTypeNames.withoutXdr(name);
    String fromJava = JavaTypeNames.xdrFor(name);
    // In a .x file, 'uint32' is a C header's typedef (OpenSolaris' nfs_acl.x), not gRPC's.
    String fromProto = file.endsWith(".idl") ? ProtoTypeNames.xdrFor(name) : null;
    return fromC != null ? "unknown type '" + name + "': " + fromC
        : fromJava != null ? "unknown type '" + name + "': " + fromJava
        : fromProto != null ? "unknown type '" + name + "': " + fromProto
        : cDefines.containsKey(name) ? "unknown type '" + name + "'" + definedForC(name)
        : cTypedefs.containsKey(name) ? "unknown type '" + name + "': '%" + cTypedefs.get(name)
            + "' gives it to C only; declare in a prelude what xdr_" + name + " sends"
        : "unknown type '" + name + "'" + skippedOr(name, file, Spelling.hint(name, hints.get()));
  }

  /** The error for an unknown constant {@code name} in {@code file}; {@code hints}: the values it sees. */
  String constantMessage(String name, String file, Supplier<List<String>> hints) {
    return cDefines.containsKey(name) ? cOnlyConstant(name, "#define " + name + " " + cDefines.get(name))
        : cConstants.containsKey(name) ? cOnlyConstant(name, cConstants.get(name))
        : "unknown constant '" + name + "'" + skippedOr(name, file, Spelling.hint(name, hints.get()));
  }

  /**
   * The end of an unknown name's message: where a branch of {@code file} that idlc skips for one
   * of rpcgen's symbols declares it and which {@code -U} keeps it, else {@code otherwise}.
   */
  private String skippedOr(String name, String file, String otherwise) {
    SkippedDefinition skipped = skippedDefinitions.getOrDefault(file, Map.of()).get(name);
    return skipped == null ? otherwise : skipped.hint();
  }

  /**
   * Why {@code name} is unknown when a {@code %#define} line gives it to C (Amanda's NDMP files:
   * {@code %#define ndmp2_u_quad unsigned long long}, sent by a hand-written {@code
   * xdr_ndmp2_u_quad}); else the empty string.
   */
  private String definedForC(String name) {
    String value = cDefines.get(name);
    return value == null ? "" : ": '%#define " + name + " " + value + "' gives it to C only;"
        + " declare in a prelude what xdr_" + name + " sends";
  }

  /** The error for a constant that the {@code %} line(s) {@code declaration} give C only. */
  private static String cOnlyConstant(String name, String declaration) {
    return "unknown constant '" + name + "': '%" + declaration + "' gives it to C only;"
        + " declare it in a prelude ('const " + name + " = …;')";
  }

  /**
   * Reports an unknown name. In a file with {@code %#include} lines it waits for {@link
   * #reportHeldBack}, so that the hint goes to the first one the user reads, not the first
   * one linked.
   */
  void report(String file, Location at, String message, String[] context) {
    if (cIncludes.containsKey(file)) {
      unknownInCFiles.computeIfAbsent(file, f -> new ArrayList<>()).add(new Unknown(at, message, context));
    } else {
      diagnostics.error(at, message, context);
    }
  }

  /**
   * Reports the unknown names of files with {@code %#include} lines: the first of each file (in
   * the order diagnostics are printed) says that C headers are C only and a prelude can declare
   * what the file takes from them.
   */
  void reportHeldBack() {
    unknownInCFiles.forEach((file, unknowns) -> {
      Unknown first = unknowns.stream()
          .min(Comparator.comparing(Unknown::at).thenComparing(Unknown::message)).orElseThrow();
      for (Unknown unknown : unknowns) {
        String[] context = unknown.context();
        if (unknown.at().equals(first.at()) && unknown.message().equals(first.message())) {
          context = Arrays.copyOf(context, context.length + 1);
          context[context.length - 1] = "(%#include " + cIncludes.get(file) + " and the like give C"
              + " only: declare what this file takes from them in a prelude, idlc --prelude FILE or"
              + " the plugin's <preludes>)";
        }
        diagnostics.error(unknown.at(), unknown.message(), context);
      }
    });
    unknownInCFiles.clear();
  }
}
