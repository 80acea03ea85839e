package org.onyxrpc.idl.preprocess;

import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The C types that {@code %} lines declare ({@code %typedef unsigned long long u64;}, or {@code
 * %typedef struct {} and later {@code %} checked_data;}), over as many lines as their braces
 * take. rpcgen's C sees them, Java does not: an unknown type that one of them names says so.
 */
final class CTypedefs {
  /** The name a C typedef ends with: the last word before ';' (and any array bounds). */
  private static final Pattern NAME = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*(\\[[^\\]]*\\]\\s*)*;\\s*$");

  private final Consumer<PassThroughTypedef> out;
  /** The first line of a typedef whose closing brace is still to come; else null. */
  private String open;
  private int depth;

  CTypedefs(Consumer<PassThroughTypedef> out) {
    this.out = out;
  }

  /** Takes the C of one {@code %} line, without the {@code %} and with its spaces collapsed. */
  void line(String c) {
    if (open != null) {
      depth += braces(c);
      if (depth <= 0) {
        Matcher name = NAME.matcher(c);
        if (name.find()) {
          out.accept(new PassThroughTypedef(name.group(1), open + " … " + c));
        }
        open = null;
      }
      return;
    }
    if (!c.startsWith("typedef") || c.length() > 7 && Character.isJavaIdentifierPart(c.charAt(7))) {
      return;
    }
    int opened = braces(c);
    if (opened > 0) {
      open = c;
      depth = opened;
      return;
    }
    Matcher name = NAME.matcher(c);
    if (!c.contains("(") && name.find()) {  // not a function pointer's
      out.accept(new PassThroughTypedef(name.group(1), c));
    }
  }

  private static int braces(String c) {
    return (int) (c.chars().filter(ch -> ch == '{').count() - c.chars().filter(ch -> ch == '}').count());
  }
}
