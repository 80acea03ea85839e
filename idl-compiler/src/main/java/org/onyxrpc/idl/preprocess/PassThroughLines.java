package org.onyxrpc.idl.preprocess;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.onyxrpc.idl.source.Location;

/**
 * What the {@code %} lines of one run declare for C: their {@code %#include}d headers, {@code
 * %#define}s (with macros replaced, as cpp replaces them in any text), typedefs and constants.
 */
final class PassThroughLines {
  private static final Pattern DEFINE =
      Pattern.compile("^\\s*%\\s*#\\s*define\\s+([A-Za-z_][A-Za-z0-9_]*)(.*)$");
  private static final Pattern INCLUDE = Pattern.compile("^\\s*%\\s*#\\s*include\\s*(\\S.*?)\\s*$");

  final List<PassThroughDefine> defines = new ArrayList<>();
  final List<String> cIncludes = new ArrayList<>();
  final List<PassThroughTypedef> typedefs = new ArrayList<>();
  final List<PassThroughConstant> constants = new ArrayList<>();
  private final CConstants cConstants = new CConstants(constants::add);
  private final CTypedefs cTypedefs = new CTypedefs(typedefs::add);
  /** Replaces the macros of a text at a place; null (the error told) past the limit. */
  private final BiFunction<String, Location, String> expanded;

  PassThroughLines(BiFunction<String, Location, String> expanded) {
    this.expanded = expanded;
  }

  /** A {@code %} line, {@code bare} of comments, line {@code number} of {@code file}. */
  void line(String bare, String file, int number) {
    String c = bare.strip().substring(1).strip().replaceAll("\\s+", " ");
    cTypedefs.line(c);
    cConstants.line(c);
    Matcher include = INCLUDE.matcher(bare);
    if (include.matches()) {
      cIncludes.add(include.group(1));
      return;
    }
    Matcher define = DEFINE.matcher(bare);
    if (!define.matches() || define.group(2).startsWith("(")) {
      return;  // not a #define, or a function-like one
    }
    String value = define.group(2).strip();
    if (value.isEmpty()) {
      return;
    }
    int valueColumn = define.start(2) + define.group(2).indexOf(value) + 1;
    // cpp replaces macros in '%' lines as in any text, so C sees '%#define M N' with N's value.
    Location at = new Location(file, number, define.start(1) + 1);
    String replaced = expanded.apply(value, at);
    if (replaced != null) {
      defines.add(new PassThroughDefine(define.group(1), replaced, at,
          new Location(file, number, valueColumn)));
    }
  }
}
