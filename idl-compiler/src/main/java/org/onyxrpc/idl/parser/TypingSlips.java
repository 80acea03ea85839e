package org.onyxrpc.idl.parser;

import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.antlr.v4.runtime.Token;

/**
 * Plain words for slips of the keyboard that the parser reads as something else: a character
 * constant rpcgen does not read, a number written as C or a calculator writes it, a misspelt
 * 'unsigned' before its type, a doubled ';', a character that shows as nothing. Each returns the
 * message, or null when the slip is not there.
 */
final class TypingSlips {
  /** The reserved words that may follow 'unsigned'. */
  private static final Set<String> UNSIGNED_TYPES = Set.of("int", "hyper", "char", "short", "long");
  private static final BigDecimal UNSIGNED_HYPER_MAX = new BigDecimal("18446744073709551615");
  private static final Pattern HEX_PREFIX = Pattern.compile("0[xX]");
  private static final Pattern NOT_HEX = Pattern.compile("0[xX][0-9a-fA-F]*[g-zG-Z_][0-9a-zA-Z_]*");
  private static final Pattern C_SUFFIX = Pattern.compile("(0[xX][0-9a-fA-F]+|[0-9]+)([uU][lL]{0,2}|[lL]{1,2}[uU]?)");
  private static final Pattern FLOAT = Pattern.compile("[0-9]+(\\.[0-9]*)?([eE][+-]?[0-9]+)?");

  private TypingSlips() {}

  /** A character constant {@code literal} rpcgen does not read; C++14 digit separators among them. */
  static String charConstant(Token before, Token literal) {
    if (before != null && before.getType() == IdlParser.NUMBER
        && before.getStopIndex() + 1 == literal.getStartIndex()) {
      return "digit separators (" + before.getText() + literal.getText()
          + "…) are C++14's, which rpcgen does not read: write the number without them";
    }
    return "invalid character constant " + literal.getText() + ": rpcgen"
        + " reads one ASCII character between quotes, without escapes (write its code instead)";
  }

  /**
   * The number {@code number} begins as written, with the tokens from {@code after} on that touch
   * it and continue it ('1.5e-3' is the tokens 1 . 5 e - 3).
   */
  static String writtenNumber(Token number, Token after, UnaryOperator<Token> next) {
    StringBuilder written = new StringBuilder(number.getText());
    Token last = number;
    for (Token t = after; t != null && t.getType() != Token.EOF && touching(last, t)
        && continuesNumber(last, t); t = next.apply(t)) {
      written.append(t.getText());
      last = t;
    }
    return written.toString();
  }

  /** Whether {@code after} starts where {@code before} ends, nothing between them. */
  static boolean touching(Token before, Token after) {
    return before.getStopIndex() + 1 == after.getStartIndex();
  }

  /**
   * Whether {@code t}, touching {@code last}, is more of the number it ends: a word ('x', 'e3',
   * 'L'), a '.', a number, or the sign of an exponent ('1e-3').
   */
  private static boolean continuesNumber(Token last, Token t) {
    String text = t.getText();
    return t.getType() == IdlParser.NUMBER || t.getType() == IdlParser.IDENTIFIER || text.equals(".")
        || (text.equals("-") || text.equals("+")) && last.getType() == IdlParser.IDENTIFIER
            && last.getText().matches("[eE]|.*[0-9][eE]");
  }

  /**
   * What to write for {@code written}, a number and what touches it that the lexer read as more
   * tokens: a hexadecimal prefix without digits ('0x', which rpcgen copies into C, where it does
   * not compile), a letter among hexadecimal digits, C's integer suffixes ('10UL'), or a
   * floating-point number ('1e3', '1.5'), which the RPC language has none of; else null.
   */
  static String number(String written) {
    if (HEX_PREFIX.matcher(written).matches()) {
      return "'" + written + "' is a hexadecimal prefix without digits: write the digits after it,"
          + " as in '0x1F', or the number in decimal";
    }
    Matcher suffix = C_SUFFIX.matcher(written);
    if (suffix.matches()) {
      return "'" + written + "' ends in C's suffix '" + suffix.group(2) + "', which rpcgen does not"
          + " read: write the number alone, '" + suffix.group(1) + "'";
    }
    if (NOT_HEX.matcher(written).matches()) {
      return "'" + written + "' is not a hexadecimal number: after '0x' come the digits 0-9 and"
          + " a-f, as in '0x1F'";
    }
    if (!FLOAT.matcher(written).matches() || written.chars().allMatch(Character::isDigit)) {
      return null;
    }
    String floating = "'" + written + "' is a floating-point number, and the RPC language's"
        + " constants are integers: ";
    BigDecimal value = new BigDecimal(written.endsWith(".") ? written + "0" : written);
    if (value.signum() == 0 || value.stripTrailingZeros().scale() <= 0) {
      return floating + (value.compareTo(UNSIGNED_HYPER_MAX) <= 0 ? "write '" + value.toBigInteger()
          + "'" : "this one is past even an unsigned hyper's 64 bits");
    }
    return floating + "a value with a fraction goes in a 'double' field, or as a whole number of"
        + " smaller units (thousandths, say)";
  }

  /**
   * 'unsinged int n;': {@code before}, followed by the reserved word {@code type}, is 'unsigned'
   * misspelt (the parser took the misspelling for a type and 'int' for the name); else null.
   */
  static String misspeltUnsigned(Token before, String type) {
    boolean misspelt = before != null && before.getType() == IdlParser.IDENTIFIER
        && UNSIGNED_TYPES.contains(type)
        && "unsigned".equals(Spelling.nearest(before.getText(), List.of("unsigned")));
    return misspelt ? "unexpected '" + before.getText() + "'; did you mean 'unsigned'?" : null;
  }

  /** A ';' right after another, which ends nothing: "unexpected ';'" left the reader to find it. */
  static String doubledSemicolon(Token before, Token token) {
    return token.getText().equals(";") && before != null && before.getText().equals(";")
        ? "a second ';': the one before ends the declaration; remove this one" : null;
  }

  /**
   * The lexer's quoted character, or for one that shows as nothing or as a space (a control
   * character, a no-break or zero-width space pasted from a web page) its code point and name:
   * "unexpected character ' '" would leave the reader looking for a mistake they cannot see.
   */
  static String visible(String quoted) {
    String text = quoted.length() >= 2 ? quoted.substring(1, quoted.length() - 1) : quoted;
    if (text.isEmpty() || text.codePointCount(0, text.length()) != 1) {
      return quoted;
    }
    int c = text.codePointAt(0);
    int type = Character.getType(c);
    boolean invisible = Character.isISOControl(c) || type == Character.FORMAT
        || type == Character.SPACE_SEPARATOR || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR;
    if (!invisible) {
      return quoted;
    }
    String name = Character.getName(c);
    return String.format("U+%04X", c) + (name == null ? "" : " (" + name + ")");
  }
}
