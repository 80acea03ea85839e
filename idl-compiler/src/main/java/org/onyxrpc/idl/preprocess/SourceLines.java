package org.onyxrpc.idl.preprocess;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.onyxrpc.idl.source.DisplayColumns;
import org.onyxrpc.idl.source.Location;

/**
 * The lines of the files a preprocessor read, by display name, to give locations gcc's columns
 * ({@link DisplayColumns}): a location's column, the character's place in its line, becomes
 * its display column on the line of the file that the location names, as gcc reads that line
 * (also where {@code #line} named it).
 */
final class SourceLines {
  private final Map<String, List<String>> lines = new HashMap<>();
  /** Per file, the tabs of each line, read at the first location on it. */
  private final Map<String, Tabs[]> tabs = new HashMap<>();

  void add(String file, String[] text) {
    lines.put(file, List.of(text));
    tabs.put(file, new Tabs[text.length]);
  }

  /** {@code location} with gcc's column; unchanged when the file or line was not read. */
  Location displayed(Location location) {
    List<String> text = location == null ? null : lines.get(location.file());
    if (text == null || location.line() < 1 || location.line() > text.size()
        || location.column() <= 1) {
      return location;
    }
    Tabs[] fileTabs = tabs.get(location.file());
    int k = location.line() - 1;
    if (fileTabs[k] == null) {
      fileTabs[k] = Tabs.of(text.get(k));
    }
    int column = fileTabs[k].column(location.column() - 1) + 1;
    return column == location.column() ? location
        : new Location(location.file(), location.line(), column);
  }

  /**
   * A line's tabs: their indexes and the display column after each, so that a column is found
   * by a binary search. Counted from the line's start at each location, as {@link
   * DisplayColumns#of} counts, the locations of a long line took time quadratic in its length.
   */
  static final class Tabs {
    private static final Tabs NONE = new Tabs(new int[0], new int[0]);
    private final int[] at;
    private final int[] columnAfter;

    private Tabs(int[] at, int[] columnAfter) {
      this.at = at;
      this.columnAfter = columnAfter;
    }

    static Tabs of(String line) {
      int count = 0;
      for (int i = line.indexOf('\t'); i >= 0; i = line.indexOf('\t', i + 1)) {
        count++;
      }
      if (count == 0) {
        return NONE;
      }
      int[] at = new int[count];
      int[] columnAfter = new int[count];
      int column = 0;
      int k = 0;
      for (int i = 0; i < line.length(); i++) {
        if (line.charAt(i) == '\t') {
          column = (column / DisplayColumns.TAB_STOP + 1) * DisplayColumns.TAB_STOP;
          at[k] = i;
          columnAfter[k++] = column;
        } else {
          column++;
        }
      }
      return new Tabs(at, columnAfter);
    }

    /**
     * {@link DisplayColumns#of}{@code (line, index)}: each character after the last tab before
     * {@code index} (and each missing one past the line's end) counts one.
     */
    int column(int index) {
      int found = Arrays.binarySearch(at, index);
      int before = found >= 0 ? found : -found - 1;
      return before == 0 ? index : columnAfter[before - 1] + index - at[before - 1] - 1;
    }
  }
}
