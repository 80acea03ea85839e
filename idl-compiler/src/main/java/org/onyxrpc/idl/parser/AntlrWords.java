package org.onyxrpc.idl.parser;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;

/** ANTLR's syntax-error messages in the words of the RPC language's users. */
final class AntlrWords {
  private static final Pattern EXPECTING = Pattern.compile(".* expecting (.*)");
  private static final int MAX_LISTED = 4;

  private AntlrWords() {}

  /** What ANTLR expected, when it is short enough to help ("';' or '='"). */
  static String expected(String message) {
    Matcher matcher = EXPECTING.matcher(message);
    if (!matcher.matches()) {
      return null;
    }
    String set = readable(matcher.group(1));
    if (!set.startsWith("{")) {
      return set;
    }
    List<String> items = List.of(set.substring(1, set.length() - 1).split(", "));
    if (items.size() > MAX_LISTED) {
      return null;
    }
    return items.size() == 1 ? items.get(0)
        : String.join(", ", items.subList(0, items.size() - 1)) + " or " + items.get(items.size() - 1);
  }

  /** ANTLR's token names as a user knows them ("identifier" for the names the grammar allows). */
  static String readable(String message) {
    return message
        .replace("'quadruple', 'package'", "'package'") // a name too (the ident rule)
        .replace("{'package', 'import', 'service', 'exception', 'oneway', 'throws', 'namespace',"
            + " 'pragma', IDENTIFIER}", "identifier")
        .replace("'package', 'import', 'service', 'exception', 'oneway', 'throws', 'namespace',"
            + " 'pragma', IDENTIFIER", "identifier")
        .replace("IDENTIFIER", "identifier")
        .replace("STRING_LITERAL", "string literal")
        .replace("NUMBER", "number")
        .replace("<EOF>", "end of file")
        .replace(", CHAR_LITERAL", "")  // rpcgen's 'a', a constant expression too
        .replace("{'(', '-', '+', '~', identifier, number}", "a constant expression");
  }

  /**
   * The keyword a syntax error stumbled on, if it is one that can never be a name (rpcgen
   * reserves them too): "no viable alternative at input 'hyperversion'" helps nobody.
   */
  static String reservedWord(Recognizer<?, ?> recognizer, Token token, String message) {
    boolean nameExpected = message.startsWith("no viable alternative")
        || message.startsWith("mismatched input") && message.contains("IDENTIFIER");
    if (!nameExpected || token.getText() == null) {
      return null;
    }
    String text = token.getText();
    String symbol = recognizer.getVocabulary().getSymbolicName(token.getType());
    boolean keyword = text.matches("[a-z]+") && text.toUpperCase(Locale.ROOT).equals(symbol);
    return keyword && !SyntaxErrors.IDENT_KEYWORDS.contains(token.getType()) ? text : null;
  }
}
