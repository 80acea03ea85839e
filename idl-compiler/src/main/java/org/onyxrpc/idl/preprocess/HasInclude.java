package org.onyxrpc.idl.preprocess;

import java.util.HashSet;
import java.util.Set;

/**
 * cpp's {@code __has_include} and {@code __has_include_next} in {@code #if} and {@code #elif}:
 * each with its operand in parentheses, {@code "file"} or {@code <file>} (or macros that make
 * one), is 1 when an {@code #include} or {@code #include_next} of it would find a file there, else
 * 0. Both are defined, as for gcc ({@code #ifdef __has_include}), and are no macros to replace.
 */
final class HasInclude {
  private HasInclude() {}

  static final Set<String> NAMES = Set.of("__has_include", "__has_include_next");

  /**
   * The error of {@code name}, one of {@link #NAMES}, outside {@code #if} and {@code #elif}: in
   * RPCL text, or in a {@code %} line, which is text to cpp too.
   */
  static String outsideDirective(String name) {
    return "'" + name + "' is only for #if and #elif: cpp rejects it elsewhere (\"used outside of"
        + " preprocessing directive\"), and so rpcgen rejects the file";
  }

  /**
   * The first of {@link #NAMES} in {@code text} outside string and character literals: its
   * 0-based index, or -1.
   */
  static int firstIn(String text) {
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (Macros.isQuote(c)) {
        i = Macros.closingQuote(text, i);
      } else if (Character.isLetterOrDigit(c) || c == '_') {
        int end = wordEnd(text, i);
        if (NAMES.contains(text.substring(i, end))) {
          return i;
        }
        i = end;
      } else {
        i++;
      }
    }
    return -1;
  }

  /** Whether an {@code #include} (or {@code #include_next}) of {@code name} would find a file. */
  interface Search {
    boolean finds(String name, boolean quoted, boolean next);
  }

  /**
   * {@code expression} with each {@code __has_include(…)} and {@code __has_include_next(…)}
   * replaced by 1 or 0; the operand of {@code defined} is left alone. Its header name is read
   * before macros are replaced, as cpp reads it ({@code <a.h>} is one token whatever {@code a} is).
   */
  static String replaced(String expression, Macros macros, Search search)
      throws ConditionEvaluator.ConditionException {
    StringBuilder out = new StringBuilder(expression.length());
    int i = 0;
    while (i < expression.length()) {
      char c = expression.charAt(i);
      if (Macros.isQuote(c)) {
        int end = Macros.closingQuote(expression, i);
        out.append(expression, i, end);
        i = end;
      } else if (Character.isLetterOrDigit(c) || c == '_') {
        int end = wordEnd(expression, i);
        String word = expression.substring(i, end);
        if (word.equals("defined")) {
          end = definedOperandEnd(expression, end);
          out.append(expression, i, end);
        } else if (NAMES.contains(word)) {
          end = operator(word, expression, end, macros, search, out);
        } else {
          out.append(word);
        }
        i = end;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /** Appends 1 or 0 for the operator {@code word} whose operand follows {@code from}; where it ends. */
  private static int operator(String word, String text, int from, Macros macros, Search search,
      StringBuilder out) throws ConditionEvaluator.ConditionException {
    int open = skipBlanks(text, from);
    if (open == text.length() || text.charAt(open) != '(') {
      throw malformed(word);
    }
    int close = closingParenthesis(text, open);
    if (close < 0) {
      throw malformed(word);
    }
    String operand = text.substring(open + 1, close).strip();
    if (!operand.startsWith("\"") && !operand.startsWith("<")) {
      try {
        operand = macros.expandText(operand, new HashSet<>()).strip();  // #define HDR <x.h>
      } catch (Macros.ExpansionTooLarge e) {
        throw new ConditionEvaluator.ConditionException(Macros.ExpansionTooLarge.message());
      }
    }
    boolean quoted = operand.startsWith("\"");
    int end = quoted ? operand.indexOf('"', 1) : operand.startsWith("<") ? operand.indexOf('>', 1) : -1;
    if (end != operand.length() - 1) {
      throw malformed(word);
    }
    boolean found = search.finds(operand.substring(1, end), quoted, word.endsWith("_next"));
    out.append(found ? " 1 " : " 0 ");
    return close + 1;
  }

  private static ConditionEvaluator.ConditionException malformed(String word) {
    return new ConditionEvaluator.ConditionException("'" + word + "' needs a header name in"
        + " parentheses: " + word + "(\"file\") or " + word + "(<file>)");
  }

  /** The ')' that closes the '(' at {@code open}, past quotes and a {@code <…>} name; -1 if none. */
  private static int closingParenthesis(String text, int open) {
    int i = skipBlanks(text, open + 1);
    if (i < text.length() && text.charAt(i) == '<') {
      int close = text.indexOf('>', i);
      if (close < 0) {
        return -1;
      }
      i = close + 1;
    }
    int depth = 1;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (Macros.isQuote(c)) {
        i = Macros.closingQuote(text, i);
        continue;
      }
      depth += c == '(' ? 1 : c == ')' ? -1 : 0;
      if (depth == 0) {
        return i;
      }
      i++;
    }
    return -1;
  }

  /** Past the name {@code defined} tests, written {@code defined NAME} or {@code defined ( NAME )}. */
  private static int definedOperandEnd(String text, int from) {
    int i = skipBlanks(text, from);
    boolean parenthesized = i < text.length() && text.charAt(i) == '(';
    if (parenthesized) {
      i = skipBlanks(text, i + 1);
    }
    if (i == text.length() || !(Character.isLetter(text.charAt(i)) || text.charAt(i) == '_')) {
      return from;  // no name: ConditionEvaluator reports it
    }
    i = wordEnd(text, i);
    if (parenthesized) {
      int close = skipBlanks(text, i);
      i = close < text.length() && text.charAt(close) == ')' ? close + 1 : i;
    }
    return i;
  }

  private static int wordEnd(String text, int start) {
    int i = start;
    while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) {
      i++;
    }
    return i;
  }

  private static int skipBlanks(String text, int from) {
    int i = from;
    while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    return i;
  }
}
