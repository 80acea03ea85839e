package org.onyxrpc.idl.preprocess;

import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.onyxrpc.idl.source.Diagnostics;
import org.onyxrpc.idl.source.Location;

/**
 * {@code #pragma} as rpcgen's cpp (gcc's) treats it. The pragmas cpp acts on it takes away
 * ({@code once}, {@code push_macro}/{@code pop_macro}, {@code GCC warning}/{@code error}, {@code
 * GCC poison}, ...); any other it leaves in its output for C, where rpcgen fails on it
 * ("preprocessor error"): idlc ignores that one and warns that it differs.
 */
final class Pragmas {
  private static final Pattern MACRO = Pattern.compile("(push_macro|pop_macro)\\s*\\(\\s*\"([A-Za-z_]\\w*)\"\\s*\\)");
  private static final Pattern MESSAGE = Pattern.compile("GCC\\s+(warning|error)\\s+\"(.*)\"\\s*");
  private static final Pattern CONSUMED = Pattern.compile("once|GCC\\s+(poison|system_header|dependency)\\b.*");

  private Pragmas() {}

  /** Applies {@code #pragma rest} of {@code path}, at {@code at}; {@code once} collects {@code #pragma once}. */
  static void apply(String rest, Location at, Path path, Set<Path> once, Macros macros,
      Diagnostics diagnostics) {
    Matcher macro = MACRO.matcher(rest);
    Matcher message = MESSAGE.matcher(rest);
    if (rest.equals("once")) {
      once.add(path.toAbsolutePath().normalize());
    } else if (macro.matches()) {
      if (macro.group(1).equals("push_macro")) {
        macros.push(macro.group(2));
      } else {
        macros.pop(macro.group(2));
      }
    } else if (message.matches()) {
      if (message.group(1).equals("error")) {
        diagnostics.error(at, message.group(2));
      } else {
        diagnostics.warning(at, message.group(2));
      }
    } else if (!CONSUMED.matcher(rest).matches()) {
      diagnostics.warning(at, "'#pragma " + TextLines.blanksCollapsed(rest) + "' is ignored; rpcgen's"
          + " cpp leaves it for C, and rpcgen then rejects the file (\"preprocessor error\")");
    }
  }
}
