package org.onyxrpc.idl.preprocess;

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

  void add(String file, String[] text) {
    lines.put(file, List.of(text));
  }

  /** {@code location} with gcc's column; unchanged when the file or line was not read. */
  Location displayed(Location location) {
    List<String> text = location == null ? null : lines.get(location.file());
    if (text == null || location.line() < 1 || location.line() > text.size()
        || location.column() <= 1) {
      return location;
    }
    int column = DisplayColumns.of(text.get(location.line() - 1), location.column() - 1) + 1;
    return column == location.column() ? location
        : new Location(location.file(), location.line(), column);
  }
}
