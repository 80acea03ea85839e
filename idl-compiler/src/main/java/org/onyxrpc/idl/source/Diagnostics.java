package org.onyxrpc.idl.source;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Collects every diagnostic of one compiler run; syntax and semantic errors go through the same
 * instance, are sorted once and formatted once.
 */
public final class Diagnostics {
  private final List<Diagnostic> all;
  /** What each location becomes before it is recorded. */
  private final UnaryOperator<Location> columns;

  /** An empty collection, for one run. */
  public Diagnostics() {
    this(new ArrayList<>(), UnaryOperator.identity());
  }

  private Diagnostics(List<Diagnostic> all, UnaryOperator<Location> columns) {
    this.all = all;
    this.columns = columns;
  }

  /**
   * A view that records into this collection, each location given to {@code columns} first:
   * the preprocessor's, whose columns are characters of a line, become gcc's display columns.
   *
   * @param columns what a location becomes
   * @return the view
   */
  public Diagnostics withColumns(UnaryOperator<Location> columns) {
    return new Diagnostics(all, columns);
  }

  /**
   * Records an error at {@code location}, with optional context lines.
   *
   * @param location where the problem is
   * @param message what is wrong
   * @param context lines shown indented under the message
   */
  public void error(Location location, String message, String... context) {
    all.add(new Diagnostic(Diagnostic.Severity.ERROR, columns.apply(location), message,
        List.of(context)));
  }

  /**
   * Records a warning at {@code location}, with optional context lines.
   *
   * @param location where the problem is
   * @param message what is wrong
   * @param context lines shown indented under the message
   */
  public void warning(Location location, String message, String... context) {
    all.add(new Diagnostic(Diagnostic.Severity.WARNING, columns.apply(location), message,
        List.of(context)));
  }

  /**
   * True once any error was recorded.
   *
   * @return whether there is an error
   */
  public boolean hasErrors() {
    return all.stream().anyMatch(d -> d.severity() == Diagnostic.Severity.ERROR);
  }

  /**
   * Every diagnostic, sorted by file, line, column and text, without duplicates.
   *
   * @return the diagnostics in report order
   */
  public List<Diagnostic> sorted() {
    return all.stream().distinct().sorted().collect(Collectors.toList());
  }

  /**
   * The sorted diagnostics as the user sees them, one per line (plus context lines).
   *
   * @return the report's text
   */
  public String format() {
    return sorted().stream().map(d -> d.format() + "\n").collect(Collectors.joining());
  }
}
