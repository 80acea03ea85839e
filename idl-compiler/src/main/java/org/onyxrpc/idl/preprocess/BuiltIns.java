package org.onyxrpc.idl.preprocess;

import java.util.Set;

/**
 * The macros cpp defines itself, whose values change as it reads: {@code __FILE__} (the file
 * being read, as a string literal, as {@code #line} may name it), {@code __LINE__} (the line) and
 * {@code __COUNTER__} (0, then one more at each use in the run). A {@code #define} of one of
 * these names takes its place.
 */
final class BuiltIns {
  static final Set<String> NAMES = Set.of("__FILE__", "__LINE__", "__COUNTER__");

  private String file = "";
  private int line;
  private int counter;

  void at(String file, int line) {
    this.file = file;
    this.line = line;
  }

  int line() {
    return line;
  }

  /** {@code __LINE__} names {@code line} of the same file from now on. */
  void line(int line) {
    this.line = line;
  }

  /** The value of {@code name}, one of {@link #NAMES}. */
  String value(String name) {
    return switch (name) {
      case "__FILE__" -> '"' + file.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
      case "__LINE__" -> Integer.toString(line);
      default -> Integer.toString(counter++);
    };
  }
}
