package org.onyxrpc.idl.parser;

import org.onyxrpc.idl.source.DisplayColumns;

/**
 * The source line shown under a syntax error, with a caret under its column; one per parse, as it
 * keeps the last line it showed.
 */
final class Excerpts {
  /** Most characters of a source line shown under a syntax error (a generated one-line file...). */
  static final int MAX_EXCERPT = 120;

  private final String[] lines;
  private int shownLine;
  private String shown;
  /** Display column of each character of the shown line, or null when it has no tab. */
  private int[] columns;

  Excerpts(String[] lines) {
    this.lines = lines;
  }

  /**
   * The offending source line and a caret under the column, as two context lines; of a line
   * longer than {@link #MAX_EXCERPT}, the part around the column, cut ends marked "...". A control
   * character shows as its picture, one column wide like the character, so that the caret stays under it.
   */
  String[] of(int line, int column) {
    if (line < 1 || line > lines.length) {
      return new String[0];
    }
    if (line != shownLine) {
      // Kept for the next error: thousands of errors on one long line (a generated or hostile
      // file) read it once, not once each, which took time quadratic in the line.
      String text = lines[line - 1];
      // Tabs shown to their tab stops, and the caret under them, as gcc shows the line.
      shown = visible(DisplayColumns.expanded(text)).stripTrailing();
      columns = text.indexOf('\t') < 0 ? null : displayColumns(text);
      shownLine = line;
    }
    String source = shown;
    if (source.isBlank()) {
      return new String[0];
    }
    int at = Math.min(displayColumn(column), source.length());
    if (source.length() > MAX_EXCERPT) {
      int from = Math.max(0, Math.min(at - MAX_EXCERPT / 2, source.length() - MAX_EXCERPT));
      int to = Math.min(source.length(), from + MAX_EXCERPT);
      String head = from > 0 ? "..." : "";
      source = head + source.substring(from, to) + (to < source.length() ? "..." : "");
      at = at - from + head.length();
    }
    return new String[] {source, " ".repeat(at) + "^"};
  }

  /** As {@link DisplayColumns#of}, from the shown line's columns. */
  private int displayColumn(int column) {
    int index = Math.max(column, 0);
    if (columns == null) {
      return index;
    }
    int end = columns.length - 1;
    return index <= end ? columns[index] : columns[end] + index - end;
  }

  /** Each character's display column, and the column after the last at the end. */
  private static int[] displayColumns(String text) {
    int[] at = new int[text.length() + 1];
    int column = 0;
    for (int i = 0; i < text.length(); i++) {
      at[i] = column;
      column = text.charAt(i) == '\t' ? (column / DisplayColumns.TAB_STOP + 1) * DisplayColumns.TAB_STOP
          : column + 1;
    }
    at[text.length()] = column;
    return at;
  }

  /**
   * {@code line} with each control character but the tab replaced by one that shows: C0 controls and
   * DEL by their Unicode control pictures ({@code U+0000} as {@code \u2400}, ESC as {@code \u241B}),
   * C1 controls by {@code U+FFFD}. Printed as they are, they made the terminal act on them (an
   * escape sequence in the file recoloured or moved the cursor) or showed nothing where the
   * message says a character is.
   */
  private static String visible(String line) {
    StringBuilder shown = null;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      char picture = c < 0x20 && c != '\t' ? (char) (0x2400 + c)
          : c == 0x7F ? '\u2421'
          : c >= 0x80 && c <= 0x9F ? '\uFFFD'
          : c;
      if (picture != c && shown == null) {
        shown = new StringBuilder(line.length()).append(line, 0, i);
      }
      if (shown != null) {
        shown.append(picture);
      }
    }
    return shown == null ? line : shown.toString();
  }
}
