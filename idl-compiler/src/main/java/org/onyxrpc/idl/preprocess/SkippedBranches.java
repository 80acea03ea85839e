package org.onyxrpc.idl.preprocess;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which of rpcgen's symbols skips a conditional branch, and what the branch's lines declare: an
 * unknown name that a skipped branch declares gets a hint naming the {@code -U} that keeps it.
 */
final class SkippedBranches {
  private SkippedBranches() {}

  private static final String NAME = "([A-Za-z_][A-Za-z0-9_]*)";
  /** <code>struct x {</code>, {@code union x switch}, <code>enum x {</code>, <code>program x {</code>, {@code const x =}. */
  private static final Pattern KEYWORD_DECLARATION =
      Pattern.compile("\\b(?:(?:struct|union|enum|program)\\s+" + NAME + "\\s*(?:\\{|switch\\b)"
          + "|const\\s+" + NAME + "\\s*=)");
  /** The name a typedef ends with: the last word before its bounds and ';'. */
  private static final Pattern TYPEDEF =
      Pattern.compile("\\btypedef\\b[^;]*?\\b" + NAME + "\\s*(?:\\[[^\\]]*\\]|<[^>]*>)?\\s*;");
  /** An enum constant: {@code NAME = value} at the start of a line or after '{' or ','. */
  private static final Pattern ENUM_VALUE = Pattern.compile("(?:^|[{,])\\s*" + NAME + "\\s*=(?!=)");

  /** A name a line declares and its 1-based column. */
  record Declared(String name, int column) {}

  /**
   * The rpcgen symbol, defined now, without which the branch would be taken: the branch's own
   * condition ({@code null} for {@code #else}) would hold and none of the {@code earlier} ones
   * of its conditional would. Null when there is none.
   */
  static String symbol(List<String> earlier, String own, Macros macros) {
    for (String symbol : Preprocessor.RPCGEN_SYMBOLS) {
      if (macros.isDefined(symbol) && takenWithout(symbol, earlier, own, macros)) {
        return symbol;
      }
    }
    return null;
  }

  private static boolean takenWithout(String symbol, List<String> earlier, String own, Macros macros) {
    Macros without = macros.without(symbol);
    try {
      for (String condition : earlier) {
        if (ConditionEvaluator.evaluate(condition, without)) {
          return false;
        }
      }
      return own == null || ConditionEvaluator.evaluate(own, without);
    } catch (ConditionEvaluator.ConditionException e) {
      return false;  // reported where the condition is evaluated for real, if it ever is
    }
  }

  /** The names an RPCL line (comments blanked) declares, as far as one line shows them. */
  static List<Declared> declared(String line) {
    List<Declared> names = new ArrayList<>();
    Matcher keyword = KEYWORD_DECLARATION.matcher(line);
    while (keyword.find()) {
      int group = keyword.group(1) != null ? 1 : 2;
      names.add(new Declared(keyword.group(group), keyword.start(group) + 1));
    }
    Matcher typedef = TYPEDEF.matcher(line);
    while (typedef.find()) {
      names.add(new Declared(typedef.group(1), typedef.start(1) + 1));
    }
    Matcher value = ENUM_VALUE.matcher(line);
    while (value.find()) {
      names.add(new Declared(value.group(1), value.start(1) + 1));
    }
    return names;
  }
}
