package org.onyxrpc.idl.preprocess;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.onyxrpc.idl.source.Location;

/**
 * Where each line of preprocessed text came from, so that diagnostics name the file and line
 * the user wrote even after {@code #include}, skipped groups and {@code #line}.
 */
public final class LineMap {
  /** One source line: a file's display name and a 1-based line. */
  record Origin(String file, int line) {}

  /** One origin per output line; empty for text that continues from {@link #start}. */
  private final List<Origin> origins;
  private final Origin start;
  private final int firstLineColumnOffset;
  /** What a position of preprocessed text becomes: gcc's column on its source line. */
  private final UnaryOperator<Location> columns;

  private LineMap(List<Origin> origins, Origin start, int firstLineColumnOffset,
      UnaryOperator<Location> columns) {
    this.origins = List.copyOf(origins);
    this.start = start;
    this.firstLineColumnOffset = firstLineColumnOffset;
    this.columns = columns;
  }

  /**
   * Text that was not preprocessed: line N is line N of {@code file}.
   *
   * @param file the file's display name
   * @return a map that changes no position
   */
  public static LineMap identity(String file) {
    return new LineMap(List.of(), new Origin(file, 1), 0, UnaryOperator.identity());
  }

  /**
   * A fragment that starts at {@code line}, {@code column} of {@code file}, such as a {@code %#define} value.
   *
   * @param file the file's display name
   * @param line the 1-based line the fragment starts on
   * @param column the 1-based column it starts at
   * @return a map that shifts the fragment's positions there
   */
  public static LineMap fragment(String file, int line, int column) {
    return new LineMap(List.of(), new Origin(file, line), column - 1, UnaryOperator.identity());
  }

  /**
   * The original position of 1-based {@code line} and {@code column} of the preprocessed text.
   *
   * @param line a 1-based line of the preprocessed text
   * @param column a 1-based column on it
   * @return the file, line and column it came from
   */
  public Location locate(int line, int column) {
    if (origins.isEmpty()) {
      return new Location(start.file(), start.line() + line - 1,
          line == 1 ? column + firstLineColumnOffset : column);
    }
    Origin origin = origins.get(Math.max(1, Math.min(line, origins.size())) - 1);
    return columns.apply(new Location(origin.file(), origin.line(), column));
  }

  /** Collects origins, one per output line. */
  static final class Builder {
    private final List<Origin> origins = new ArrayList<>();

    void add(String file, int line) {
      origins.add(new Origin(file, line));
    }

    /** The map; {@code columns} makes a column of preprocessed text the source's, as gcc counts it. */
    LineMap build(String file, UnaryOperator<Location> columns) {
      return origins.isEmpty() ? identity(file) : new LineMap(origins, null, 0, columns);
    }
  }
}
