package org.onyxrpc.idl.preprocess;

import org.onyxrpc.idl.source.Diagnostics;
import org.onyxrpc.idl.source.Location;

/**
 * One logical line, as cpp's first step makes it: the physical lines ended by a backslash joined
 * to the next.
 *
 * @param text the joined text, without the backslashes
 * @param next the index of the physical line after it
 */
record LogicalLine(String text, int next) {
  /**
   * The logical line that starts at {@code physical[first]}, warning where blanks come between a
   * backslash and its newline (cpp joins them still). {@code file} and {@code lineBase} say where
   * the physical lines are said to come from.
   */
  static LogicalLine read(String[] physical, int first, String file, int lineBase, Diagnostics diagnostics) {
    int i = first;
    StringBuilder logical = new StringBuilder(physical[i]);
    int backslash;
    while ((backslash = TextLines.continuation(logical)) >= 0 && i + 1 < physical.length) {
      if (backslash < logical.length() - 1) {
        diagnostics.warning(new Location(file, i + 1 + lineBase,
            physical[i].length() - (logical.length() - backslash) + 1),
            "backslash and newline separated by space");
      }
      logical.setLength(backslash);
      logical.append(physical[++i]);
    }
    return new LogicalLine(logical.toString(), i + 1);
  }
}
