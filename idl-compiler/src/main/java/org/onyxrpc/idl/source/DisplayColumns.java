package org.onyxrpc.idl.source;

/**
 * Columns as gcc shows them (its display columns, the default since GCC 10): a tab takes a line
 * to the next multiple of {@link #TAB_STOP}, as {@code -ftabstop} does by default, so that
 * {@code file:line:col} and the excerpt under a diagnostic point where an editor shows the text.
 */
public final class DisplayColumns {
  /** gcc's tab stops. */
  public static final int TAB_STOP = 8;

  private DisplayColumns() {}

  /**
   * The 0-based display column of the character at {@code index} of {@code line}; past the
   * line's end each missing character counts one.
   *
   * @param line a line of text
   * @param index a 0-based character index, which may be past the line's end
   * @return its display column, 0-based
   */
  public static int of(String line, int index) {
    int column = 0;
    int end = Math.min(index, line.length());
    for (int i = 0; i < end; i++) {
      column = line.charAt(i) == '\t' ? (column / TAB_STOP + 1) * TAB_STOP : column + 1;
    }
    return column + Math.max(0, index - line.length());
  }

  /**
   * {@code line} with each tab replaced by the blanks up to the next tab stop.
   *
   * @param line a line of text
   * @return the line as shown, with no tabs
   */
  public static String expanded(String line) {
    if (line.indexOf('\t') < 0) {
      return line;
    }
    StringBuilder shown = new StringBuilder(line.length() + TAB_STOP);
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\t') {
        shown.append(" ".repeat(TAB_STOP - shown.length() % TAB_STOP));
      } else {
        shown.append(c);
      }
    }
    return shown.toString();
  }
}
