package org.onyxrpc.idl.preprocess;

import java.util.ArrayList;
import java.util.List;
import org.onyxrpc.idl.source.Location;

/**
 * A call of a function-like macro whose arguments go on past the line of its name, as cpp allows
 * ({@code FIELDS(int,\n  count)}), or a macro name that ends its line, which is a call when the
 * next text is {@code (}. The lines are collected until the call's {@code )}, comments replaced by
 * spaces so that columns stay those of the lines; the expansion then takes the line of the name,
 * the lines it spans become empty and the text after the {@code )} keeps its columns, so the
 * preprocessed text keeps one line per source line. Lines the preprocessor produces meanwhile
 * (directives, {@code %} lines, skipped groups) wait here too, to stay in order.
 */
final class PendingCall {
  /** A line of preprocessed text and where it came from. */
  record Line(String text, String file, int number) {}

  private final String name;
  private final Location at;
  private final String before;
  private final StringBuilder text = new StringBuilder();
  /** {@link #text} with each word of the lines after the first tagged with its line. */
  private final StringBuilder tagged = new StringBuilder();
  private final List<Line> deferred = new ArrayList<>();
  private int lastLineStart;

  /**
   * The call of {@code name} written at {@code at}; {@code before} is the preprocessed text of
   * its line before the name, {@code rest} what follows the name there (comments blanked).
   */
  PendingCall(String name, Location at, String before, String rest) {
    this.name = name;
    this.at = at;
    this.before = before;
    text.append(rest);
    tagged.append(rest);
  }

  String name() {
    return name;
  }

  Location at() {
    return at;
  }

  /** The first line's text up to the name: what precedes the expansion there. */
  String before() {
    return before;
  }

  /** The lines produced while the call was open, in order. */
  List<Line> deferred() {
    return deferred;
  }

  void defer(String line, String file, int number) {
    deferred.add(new Line(line, file, number));
  }

  /** True while only blanks followed the name: the call is not known to be one yet. */
  boolean awaitingParenthesis() {
    return text.toString().isBlank();
  }

  /** Adds the next line of the arguments, {@code number}, comments blanked. */
  void append(String line, int number) {
    text.append('\n');
    lastLineStart = text.length();
    text.append(line);
    tagged.append(' ').append(LineTags.lineTagged(line, number));
  }

  /** The arguments once the call's {@code )} was read, else null. */
  Macros.Call call() {
    // Newlines between arguments are blanks, as cpp reads them; indices stay those of text.
    return Macros.arguments(text.toString().replace('\n', ' '), 0);
  }

  /**
   * The arguments of {@link #call} with each word after the first line tagged with its line
   * ({@link LineTags}): cpp gives {@code __LINE__} in an argument the argument's line,
   * and in a body the line of the macro's name ({@link #at}, which the caller makes current).
   */
  List<String> taggedArguments() {
    return Macros.arguments(tagged.toString(), 0).arguments();
  }

  /** The 0-based column, on the last line appended, just after the call's {@code )}. */
  int endColumn(Macros.Call call) {
    return call.end() - lastLineStart;
  }
}
