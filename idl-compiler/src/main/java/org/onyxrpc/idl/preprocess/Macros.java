package org.onyxrpc.idl.preprocess;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The macros defined so far. Object-like macros are replaced where their names appear in RPCL
 * text; function-like ones are remembered for {@code #ifdef} and reported where used.
 */
final class Macros {
  private record Macro(String body, boolean functionLike) {}

  private final Map<String, Macro> macros = new HashMap<>();

  Macros(Map<String, String> predefined) {
    predefined.forEach((name, value) -> macros.put(name, new Macro(value, false)));
  }

  void define(String name, String body, boolean functionLike) {
    macros.put(name, new Macro(body, functionLike));
  }

  void undefine(String name) {
    macros.remove(name);
  }

  boolean isDefined(String name) {
    return macros.containsKey(name);
  }

  boolean isFunctionLike(String name) {
    Macro macro = macros.get(name);
    return macro != null && macro.functionLike();
  }

  /** {@code name} with object-like macros replaced, recursively (a macro is not expanded inside itself). */
  String expand(String name) {
    return expand(name, new HashSet<>());
  }

  private String expand(String name, Set<String> active) {
    Macro macro = macros.get(name);
    if (macro == null || macro.functionLike() || active.contains(name)) {
      return name;
    }
    active.add(name);
    String result = expandText(macro.body(), active);
    active.remove(name);
    return result;
  }

  /** Every name in {@code text} expanded, leaving numbers and string literals alone. */
  String expandText(String text, Set<String> active) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (Character.isLetter(c) || c == '_') {
        int start = i;
        while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) {
          i++;
        }
        out.append(expand(text.substring(start, i), active));
      } else if (Character.isDigit(c)) {
        int start = i;
        while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) {
          i++;
        }
        out.append(text, start, i);
      } else if (c == '"') {
        int end = closingQuote(text, i);
        out.append(text, i, end);
        i = end;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /** The index after the string literal that starts at {@code open}. */
  static int closingQuote(String text, int open) {
    int i = open + 1;
    while (i < text.length() && text.charAt(i) != '"') {
      i += text.charAt(i) == '\\' ? 2 : 1;
    }
    return Math.min(i + 1, text.length());
  }
}
