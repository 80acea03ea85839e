package org.onyxrpc.idl.parser;

import java.util.regex.Pattern;

/**
 * Whether a comment's text is {@code .x} code put out of use ({@code /* int old_field; *}{@code
 * /}, {@code /* case 3: void; *}{@code /}, {@code /* GREEN = 2, *}{@code /}) rather than prose:
 * every word of it reads as declarations, case labels, enum values or procedures. Such a comment
 * documents nothing, so it is nobody's doc.
 */
final class CommentedOutCode {
  private static final String NAME = "[A-Za-z_][A-Za-z0-9_]*";
  private static final String VALUE = "[-+~(]*[A-Za-z0-9_x'][A-Za-z0-9_ +\\-*/|&^<>()']*";
  private static final String BOUND = "(\\s*\\[[^\\]]*\\]|\\s*<[^>]*>)?";
  private static final String TYPE = "(unsigned\\s+)?((struct|enum|union)\\s+)?" + NAME;
  private static final Pattern CODE = Pattern.compile("(\\s*("
      + "(case\\s+" + VALUE + "|default)\\s*:" // a case label
      + "|void\\s*;" // a void arm
      + "|(const\\s+)?" + NAME + "\\s*=\\s*" + VALUE + "\\s*[,;]?" // a const or enum value
      + "|(typedef\\s+)?" + TYPE + "\\s*\\*?\\s*" + NAME + BOUND + "\\s*;" // a declaration
      + "|" + TYPE + "\\s*\\*?\\s+" + NAME + "\\s*\\([^)]*\\)\\s*=\\s*" + VALUE + "\\s*;" // a procedure
      + "))+\\s*");

  /** Longer comments are prose (and a long match would be slow to rule out). */
  private static final int LONGEST = 400;

  private CommentedOutCode() {}

  /** Whether {@code text} (a comment's cleaned text) is code, not words. */
  static boolean is(String text) {
    return !text.isEmpty() && text.length() <= LONGEST && CODE.matcher(text).matches();
  }
}
