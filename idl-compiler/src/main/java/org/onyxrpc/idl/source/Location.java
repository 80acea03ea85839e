package org.onyxrpc.idl.source;

/**
 * Where something was written: a file's display name and a 1-based line and column.
 *
 * @param file the file as the user named it (relative when possible), never an absolute path in tests
 * @param line 1-based line
 * @param column 1-based column
 */
public record Location(String file, int line, int column) implements Comparable<Location> {
  /** {@code file:line:col}, the prefix of every diagnostic. */
  @Override
  public String toString() {
    return file + ":" + line + ":" + column;
  }

  @Override
  public int compareTo(Location other) {
    int byFile = file.compareTo(other.file);
    if (byFile != 0) {
      return byFile;
    }
    int byLine = Integer.compare(line, other.line);
    return byLine != 0 ? byLine : Integer.compare(column, other.column);
  }
}
