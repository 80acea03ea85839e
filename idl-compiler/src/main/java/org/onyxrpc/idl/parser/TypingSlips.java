package org.onyxrpc.idl.parser;

import java.util.List;
import java.util.Set;
import org.antlr.v4.runtime.Token;

/**
 * Plain words for slips of the keyboard that the parser reads as something else: a character
 * constant rpcgen does not read, a misspelt 'unsigned' before its type, a doubled ';', a
 * character that shows as nothing. Each returns the message, or null when the slip is not there.
 */
final class TypingSlips {
  /** The reserved words that may follow 'unsigned'. */
  private static final Set<String> UNSIGNED_TYPES = Set.of("int", "hyper", "char", "short", "long");

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
