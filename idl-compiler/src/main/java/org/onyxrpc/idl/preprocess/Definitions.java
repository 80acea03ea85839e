package org.onyxrpc.idl.preprocess;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.onyxrpc.idl.source.Diagnostics;
import org.onyxrpc.idl.source.Location;

/**
 * An active {@code #define}: an object-like or function-like macro ({@code #define NAME text} or
 * {@code NAME(a, b) text}), checked as cpp checks it before it replaces an earlier definition.
 */
final class Definitions {
  private Definitions() {}

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /**
   * Defines the macro of {@code rest}, the directive's text after {@code define}; {@code at} is
   * the directive's place, {@code nameAt} its macro name's, where a redefinition is warned.
   */
  static void define(String rest, Location at, Location nameAt, Macros macros, Diagnostics diagnostics) {
    Matcher name = NAME.matcher(rest);
    if (!name.lookingAt()) {
      diagnostics.error(at, "#define needs a macro name");
      return;
    }
    String after = rest.substring(name.end());
    if (!after.startsWith("(")) {
      define(name.group(), null, after.strip(), nameAt, macros, diagnostics);
      return;
    }
    int close = after.indexOf(')');
    if (close < 0) {
      diagnostics.error(at, "#define " + name.group() + "(: missing ')' after the parameters");
      return;
    }
    List<String> parameters = new ArrayList<>();
    for (String parameter : after.substring(1, close).split(",", -1)) {
      if (!parameter.isBlank() || close > 1) {
        parameters.add(parameter.strip());
      }
    }
    String body = after.substring(close + 1).strip();
    if (!HashOperands.valid(parameters, body)) {
      diagnostics.error(at, "'#' is not followed by a macro parameter in the body of '" + name.group() + "'");
      return;
    }
    define(name.group(), parameters, body, nameAt, macros, diagnostics);
  }

  private static void define(String name, List<String> parameters, String body, Location at,
      Macros macros, Diagnostics diagnostics) {
    // cpp warns, and rpcgen goes on with the new body: a header and a .x that both define a
    // name, differently, give a value the writer may not expect.
    if (macros.changes(name, parameters, body)) {
      diagnostics.warning(at, "'" + name + "' redefined with other parameters or body than before"
          + " (as cpp, idlc uses this definition from here on)");
    }
    macros.define(name, parameters, body);
  }

  /**
   * Where the word after {@code keyword} begins, {@code body} being the directive's text from its
   * keyword, which is at {@code at}: comments are blanks of their own width there, so this is its
   * column on the directive's line (of the logical line, for a name after a backslash-newline).
   */
  static Location nameAt(Location at, String keyword, String body) {
    String after = body.substring(keyword.length());
    int blanks = after.length() - after.stripLeading().length();
    return new Location(at.file(), at.line(), at.column() + keyword.length() + blanks);
  }
}
