package org.onyxrpc.idl.parser;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Whether a comment's text is {@code .x} code put out of use ({@code /* int old_field; *}{@code
 * /}, {@code /* case 3: void; *}{@code /}, {@code /* GREEN = 2, *}{@code /}) rather than prose:
 * every statement of it reads as a declaration, case label, enum value or procedure. Such a
 * comment documents nothing, so it is nobody's doc. The text is cut at its {@code ;}, {@code ,}
 * and {@code :} first and each statement matched alone, so that no comment makes the match
 * backtrack without end.
 */
final class CommentedOutCode {
  private static final String NAME = "[A-Za-z_][A-Za-z0-9_]*";
  // Operands joined by operators: 'read or write' is words, 'A | B' a value.
  private static final String OPERAND = "[-+~(\\s]*+[A-Za-z0-9_']++[)\\s]*+";
  private static final String VALUE = OPERAND + "([-+*/|&^<>]++" + OPERAND + ")*+";
  private static final String BOUND = "(\\s*\\[[^\\]]*\\]|\\s*<[^>]*>)?";
  // A type and the name it declares: apart, or a '*' between them.
  private static final String DECLARED = "(unsigned\\s+)?((struct|enum|union)\\s+)?" + NAME
      + "(\\s+|\\s*\\*\\s*)" + NAME;
  private static final Pattern STATEMENT = Pattern.compile(
      "(case\\s+" + VALUE + "|default\\s*):" // a case label
      + "|void\\s*;" // a void arm
      + "|(const\\s+)?" + NAME + "\\s*=\\s*" + VALUE + "[,;]?" // a const or enum value
      + "|(typedef\\s+)?" + DECLARED + BOUND + "\\s*;" // a declaration
      + "|" + DECLARED + "\\s*\\([^)]*\\)\\s*=\\s*" + VALUE + ";"); // a procedure
  /** Longer comments are prose. */
  private static final int LONGEST = 400;

  private CommentedOutCode() {}

  /** Whether {@code text} (a comment's cleaned text) is code, not words. */
  static boolean is(String text) {
    return is(text, statement -> statement);
  }

  /** As {@link #is(String)}, the matcher reading each statement through {@code reading}. */
  static boolean is(String text, UnaryOperator<CharSequence> reading) {
    if (text.isBlank() || text.length() > LONGEST) {
      return false;
    }
    for (String statement : statements(text)) {
      if (!STATEMENT.matcher(reading.apply(statement)).matches()) {
        return false;
      }
    }
    return true;
  }

  /** The text cut after each ';', ',' and ':' outside brackets, each piece stripped. */
  private static List<String> statements(String text) {
    List<String> statements = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '(' || c == '[') {
        depth++;
      } else if ((c == ')' || c == ']') && depth > 0) {
        depth--;
      } else if (depth == 0 && (c == ';' || c == ',' || c == ':')) {
        statements.add(text.substring(start, i + 1).strip());
        start = i + 1;
      }
    }
    if (!text.substring(start).isBlank()) {
      statements.add(text.substring(start).strip());
    }
    return statements;
  }
}
