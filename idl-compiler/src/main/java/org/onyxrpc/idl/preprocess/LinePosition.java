package org.onyxrpc.idl.preprocess;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the lines of the file being read are said to come from: its name and the offset of
 * their numbers, both of which {@code #line} (and cpp's {@code # 12 "file"} markers) change.
 */
final class LinePosition {
  private static final Pattern LINE = Pattern.compile("(\\d+)(?:\\s+\"([^\"]*)\")?.*");

  String file;
  int lineBase;

  LinePosition(String file) {
    this.file = file;
  }

  /**
   * Applies a {@code #line} directive's text, read at the physical line before {@code
   * nextPhysicalIndex}: the line after it gets the number given.
   *
   * @return false when the text does not begin with a line number (nothing changes)
   */
  boolean apply(String rest, int nextPhysicalIndex) {
    Matcher matcher = LINE.matcher(rest);
    if (!matcher.matches()) {
      return false;
    }
    lineBase = Integer.parseInt(matcher.group(1)) - (nextPhysicalIndex + 1);
    if (matcher.group(2) != null) {
      file = matcher.group(2);
    }
    return true;
  }
}
