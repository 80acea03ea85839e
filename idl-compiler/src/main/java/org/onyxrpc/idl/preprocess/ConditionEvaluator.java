package org.onyxrpc.idl.preprocess;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Evaluates the expression of {@code #if} and {@code #elif} as C's preprocessor does, in 64-bit
 * arithmetic, signed or unsigned as C's conversions make it ({@link CInteger}): {@code defined NAME} and {@code defined(NAME)}, macros replaced (calls of
 * function-like ones too), {@code __has_include} ({@link HasInclude}), names left over are 0, and the C operators from {@code ?:} down to
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
  private final Consumer<String> warnings;
  private int next;

  private ConditionEvaluator(List<String> tokens, Consumer<String> warnings) {
    this.tokens = tokens;
    this.warnings = warnings;
  }

  /**
   * True when {@code expression} is non-zero, with {@code macros} giving the defined names; a
   * {@code __has_include} there finds no file (the question asked of {@link SkippedBranches}
   * is what rpcgen's symbols change, not what the include path holds).
   */
  static boolean evaluate(String expression, Macros macros) throws ConditionException {
    return evaluate(expression, macros, (name, quoted, next) -> false, warning -> { });
  }

  /**
   * As {@link #evaluate(String, Macros)}, {@code headers} answering {@code __has_include}, giving
   * gcc's warnings ('multi-character character constant') to {@code warnings}.
   */
  static boolean evaluate(String expression, Macros macros, HasInclude.Search headers,
      Consumer<String> warnings) throws ConditionException {
    // __has_include and 'defined' first, so that the header and the name they test are not
    // replaced; then macros, function-like ones too (#if VERSION(1, 2) > 100), as cpp replaces
    // them in #if; then both again, for a macro whose value uses one ('#define HAVE_X
    // defined(X)'), as gcc reads it.
    String replaced = String.join(" ",
        definedReplaced(tokenize(HasInclude.replaced(expression, macros, headers)), macros));
    List<String> expanded = new ArrayList<>();
    String text;
    try {
      text = HasInclude.replaced(macros.expandText(replaced, new HashSet<>()), macros, headers);
    } catch (Macros.ExpansionTooLarge e) {
      throw new ConditionException(Macros.ExpansionTooLarge.message());
    }
    for (String part : definedReplaced(tokenize(text), macros)) {
      expanded.add(isName(part) ? "0" : part);
    }
    if (expanded.isEmpty()) {
      throw new ConditionException("#if needs an expression");
    }
    ConditionEvaluator evaluator = new ConditionEvaluator(expanded, warnings);
    CInteger value = evaluator.conditional(true);
    if (evaluator.next != expanded.size()) {
      throw new ConditionException("unexpected '" + expanded.get(evaluator.next) + "' in #if expression");
    }
    return value.isTrue();
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
        int end = Macros.closingQuote(text, i);  // past escapes: '\'' is one constant
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
  private CInteger conditional(boolean live) throws ConditionException {
    CInteger condition = binary(0, live);
    if (accept("?")) {
      CInteger then = conditional(live && condition.isTrue());
      if (!accept(":")) {
        throw new ConditionException("missing ':' in #if expression");
      }
      CInteger otherwise = conditional(live && !condition.isTrue());
      return condition.isTrue() ? then.commonWith(otherwise) : otherwise.commonWith(then);
    }
    return condition;
  }

  /** Binary operators by C precedence, loosest first. */
  private static final List<List<String>> LEVELS = List.of(
      List.of("||"), List.of("&&"), List.of("|"), List.of("^"), List.of("&"),
      List.of("==", "!="), List.of("<", ">", "<=", ">="), List.of("<<", ">>"),
      List.of("+", "-"), List.of("*", "/", "%"));

  private CInteger binary(int level, boolean live) throws ConditionException {
    if (level == LEVELS.size()) {
      return unary(live);
    }
    CInteger left = binary(level + 1, live);
    while (LEVELS.get(level).contains(peek())) {
      String operator = tokens.get(next++);
      boolean rightLive = live
          && !(operator.equals("&&") && !left.isTrue() || operator.equals("||") && left.isTrue());
      CInteger right = binary(level + 1, rightLive);
      left = apply(operator, left, right, rightLive);
    }
    return left;
  }

  private static CInteger apply(String operator, CInteger left, CInteger right, boolean live)
      throws ConditionException {
    switch (operator) {
      case "||": return CInteger.of(left.isTrue() || right.isTrue());
      case "&&": return CInteger.of(left.isTrue() && right.isTrue());
      default:
        CInteger result = left.apply(operator, right);
        if (result == null && live) {
          throw new ConditionException("division by zero in #if expression");
        }
        return result == null ? CInteger.ZERO : result;
    }
  }

  private CInteger unary(boolean live) throws ConditionException {
    if (accept("!")) {
      return CInteger.of(!unary(live).isTrue());
    }
    if (accept("~")) {
      return unary(live).complemented();
    }
    if (accept("-")) {
      return unary(live).negated();
    }
    if (accept("+")) {
      return unary(live);
    }
    if (accept("(")) {
      CInteger value = conditional(live);
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

  /*
   * A constant is unsigned with a 'u' suffix, or when it does not fit intmax_t, as cpp reads
   * 0xFFFFFFFFFFFFFFFF ("integer constant is so large that it is unsigned").
   */
  private CInteger number(String token) throws ConditionException {
    if (token.length() >= 3 && token.startsWith("'") && token.endsWith("'")) {
      CharacterConstant.Value value = CharacterConstant.value(token);
      if (value == null) {
        throw new ConditionException(token + " is not a character constant Onyx reads in #if expression");
      }
      if (value.warning() != null) {
        warnings.accept(value.warning());
      }
      return new CInteger(value.value(), false);
    }
    String digits = token.replaceAll("[uUlL]+$", "");
    boolean unsigned = token.substring(digits.length()).toLowerCase(Locale.ROOT).contains("u");
    try {
      long bits;
      if (digits.startsWith("0x") || digits.startsWith("0X")) {
        bits = Long.parseUnsignedLong(digits.substring(2), 16);
      } else if (digits.length() > 1 && digits.startsWith("0")) {
        bits = Long.parseUnsignedLong(digits.substring(1), 8);
      } else {
        bits = Long.parseUnsignedLong(digits);
      }
      return new CInteger(bits, unsigned || bits < 0);
    } catch (NumberFormatException e) {
      throw new ConditionException("'" + token + "' is not a number in #if expression");
    }
  }
}
