package org.onyxrpc.idl.preprocess;

import java.util.List;

/**
 * The operands of {@code #} in a function-like macro's body: cpp rejects a {@code #} that does
 * not name a parameter ({@code "'#' is not followed by a macro parameter"}), so rpcgen does.
 */
final class HashOperands {
  private HashOperands() {}

  /** Whether each {@code #} of {@code body} (not {@code ##}, not in a literal) names one of {@code parameters}. */
  static boolean valid(List<String> parameters, String body) {
    int i = 0;
    while (i < body.length()) {
      char c = body.charAt(i);
      if (Macros.isQuote(c)) {
        i = Macros.closingQuote(body, i);
      } else if (body.startsWith("##", i)) {
        i += 2;
      } else if (c == '#') {
        int start = i + 1;
        while (start < body.length() && Character.isWhitespace(body.charAt(start))) {
          start++;
        }
        int end = start;
        while (end < body.length() && (Character.isLetterOrDigit(body.charAt(end)) || body.charAt(end) == '_')) {
          end++;
        }
        if (!names(parameters, body.substring(start, end))) {
          return false;
        }
        i = end;
      } else {
        i++;
      }
    }
    return true;
  }

  private static boolean names(List<String> parameters, String word) {
    if (word.isEmpty()) {
      return false;
    }
    for (String parameter : parameters) {
      String name = parameter.equals("...") ? "__VA_ARGS__"
          : parameter.endsWith("...") ? parameter.substring(0, parameter.length() - 3).strip() : parameter;
      if (name.equals(word) || parameter.endsWith("...") && word.equals("__VA_OPT__")) {
        return true;
      }
    }
    return false;
  }
}
