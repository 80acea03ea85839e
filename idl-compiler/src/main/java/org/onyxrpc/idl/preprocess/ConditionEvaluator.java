package org.onyxrpc.idl.preprocess;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * Evaluates the expression of {@code #if} and {@code #elif} as C's preprocessor does, in 64-bit
 * arithmetic: {@code defined NAME} and {@code defined(NAME)}, macros replaced (calls of
 * function-like ones too), names left over are 0, and the C operators from {@code ?:} down to
 * unary {@code !}; an operand C does not evaluate is no division by zero.
 */
final class ConditionEvaluator {
  /** A mistake in the expression; its message is shown as the directive's diagnostic. */
  static final class ConditionException extends Exception {
    private static final long serialVersionUID = 1L;

    ConditionException(String message) {
      super(message);
    }
  }

  private final List<String> tokens;
  private int next;

  private ConditionEvaluator(List<String> tokens) {
    this.tokens = tokens;
  }

  /** True when {@code expression} is non-zero, with {@code macros} giving the defined names. */
  static boolean evaluate(String expression, Macros macros) throws ConditionException {
    // 'defined' first, so that the name it tests is not replaced; then macros, function-like
    // ones too (#if VERSION(1, 2) > 100), as cpp replaces them in #if; then 'defined' again,
    // for a macro whose value uses it ('#define HAVE_X defined(X)'), as gcc reads it.
    String replaced = String.join(" ", definedReplaced(tokenize(expression), macros));
    List<String> expanded = new ArrayList<>();
    for (String part : definedReplaced(tokenize(macros.expandText(replaced, new HashSet<>())), macros)) {
      expanded.add(isName(part) ? "0" : part);
    }
    if (expanded.isEmpty()) {
      throw new ConditionException("#if needs an expression");
    }
    ConditionEvaluator evaluator = new ConditionEvaluator(expanded);
    long value = evaluator.conditional(true);
    if (evaluator.next != expanded.size()) {
      throw new ConditionException("unexpected '" + expanded.get(evaluator.next) + "' in #if expression");
    }
    return value != 0;
  }

  /** {@code tokens} with each {@code defined NAME} and {@code defined(NAME)} replaced by 1 or 0. */
  private static List<String> definedReplaced(List<String> tokens, Macros macros) throws ConditionException {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < tokens.size(); i++) {
      String token = tokens.get(i);
      if (token.equals("defined")) {
        boolean parenthesized = i + 1 < tokens.size() && tokens.get(i + 1).equals("(");
        int nameAt = parenthesized ? i + 2 : i + 1;
        if (nameAt >= tokens.size() || !isName(tokens.get(nameAt))
            || parenthesized && (nameAt + 1 >= tokens.size() || !tokens.get(nameAt + 1).equals(")"))) {
          throw new ConditionException("'defined' needs a macro name");
        }
        token = macros.isDefined(tokens.get(nameAt)) ? "1" : "0";
        i = parenthesized ? nameAt + 1 : nameAt;
      }
      out.add(token);
    }
    return out;
  }

  static boolean isName(String token) {
    return !token.isEmpty() && (Character.isLetter(token.charAt(0)) || token.charAt(0) == '_');
  }

  private static final String[] OPERATORS = {"<<", ">>", "<=", ">=", "==", "!=", "&&", "||",
      "(", ")", "!", "~", "*", "/", "%", "+", "-", "<", ">", "&", "^", "|", "?", ":", ","};

  static List<String> tokenize(String text) {
    List<String> tokens = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (Character.isLetterOrDigit(c) || c == '_') {
        int start = i;
        while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) {
          i++;
        }
        tokens.add(text.substring(start, i));
      } else if (c == '\'') {
        int end = text.indexOf('\'', i + 1);
        end = end < 0 ? text.length() : end + 1;
        tokens.add(text.substring(i, end));
        i = end;
      } else {
        String operator = null;
        for (String candidate : OPERATORS) {
          if (text.startsWith(candidate, i)) {
            operator = candidate;
            break;
          }
        }
        tokens.add(operator == null ? String.valueOf(c) : operator);
        i += operator == null ? 1 : operator.length();
      }
    }
    return tokens;
  }

  private String peek() {
    return next < tokens.size() ? tokens.get(next) : "";
  }

  private boolean accept(String token) {
    if (peek().equals(token)) {
      next++;
      return true;
    }
    return false;
  }

  /*
   * 'live' is false in an operand C does not evaluate (the right of '0 &&' or '1 ||', the arm
   * '?:' does not take): cpp reports no division by zero there ('#if Z && 10 / Z').
   */
  private long conditional(boolean live) throws ConditionException {
    long condition = binary(0, live);
    if (accept("?")) {
      long then = conditional(live && condition != 0);
      if (!accept(":")) {
        throw new ConditionException("missing ':' in #if expression");
      }
      long otherwise = conditional(live && condition == 0);
      return condition != 0 ? then : otherwise;
    }
    return condition;
  }

  /** Binary operators by C precedence, loosest first. */
  private static final List<List<String>> LEVELS = List.of(
      List.of("||"), List.of("&&"), List.of("|"), List.of("^"), List.of("&"),
      List.of("==", "!="), List.of("<", ">", "<=", ">="), List.of("<<", ">>"),
      List.of("+", "-"), List.of("*", "/", "%"));

  private long binary(int level, boolean live) throws ConditionException {
    if (level == LEVELS.size()) {
      return unary(live);
    }
    long left = binary(level + 1, live);
    while (LEVELS.get(level).contains(peek())) {
      String operator = tokens.get(next++);
      boolean rightLive = live && !(operator.equals("&&") && left == 0 || operator.equals("||") && left != 0);
      long right = binary(level + 1, rightLive);
      left = apply(operator, left, right, rightLive);
    }
    return left;
  }

  private static long apply(String operator, long left, long right, boolean live) throws ConditionException {
    switch (operator) {
      case "||": return left != 0 || right != 0 ? 1 : 0;
      case "&&": return left != 0 && right != 0 ? 1 : 0;
      case "|": return left | right;
      case "^": return left ^ right;
      case "&": return left & right;
      case "==": return left == right ? 1 : 0;
      case "!=": return left != right ? 1 : 0;
      case "<": return left < right ? 1 : 0;
      case ">": return left > right ? 1 : 0;
      case "<=": return left <= right ? 1 : 0;
      case ">=": return left >= right ? 1 : 0;
      case "<<": return left << right;
      case ">>": return left >> right;
      case "+": return left + right;
      case "-": return left - right;
      case "*": return left * right;
      default:
        if (right == 0) {
          if (live) {
            throw new ConditionException("division by zero in #if expression");
          }
          return 0;
        }
        return operator.equals("/") ? left / right : left % right;
    }
  }

  private long unary(boolean live) throws ConditionException {
    if (accept("!")) {
      return unary(live) == 0 ? 1 : 0;
    }
    if (accept("~")) {
      return ~unary(live);
    }
    if (accept("-")) {
      return -unary(live);
    }
    if (accept("+")) {
      return unary(live);
    }
    if (accept("(")) {
      long value = conditional(live);
      if (!accept(")")) {
        throw new ConditionException("missing ')' in #if expression");
      }
      return value;
    }
    String token = peek();
    if (token.isEmpty()) {
      throw new ConditionException("#if expression ends too early");
    }
    next++;
    return number(token);
  }

  private static long number(String token) throws ConditionException {
    if (token.length() >= 3 && token.startsWith("'") && token.endsWith("'")) {
      return token.charAt(1);
    }
    String digits = token.replaceAll("[uUlL]+$", "");
    try {
      if (digits.startsWith("0x") || digits.startsWith("0X")) {
        return Long.parseUnsignedLong(digits.substring(2), 16);
      }
      if (digits.length() > 1 && digits.startsWith("0")) {
        return Long.parseLong(digits.substring(1), 8);
      }
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw new ConditionException("'" + token + "' is not a number in #if expression");
    }
  }
}
