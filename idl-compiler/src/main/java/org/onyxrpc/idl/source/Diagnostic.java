package org.onyxrpc.idl.source;

import java.util.List;

/**
 * One error or warning, formatted as {@code file:line:col: error: message}, followed by indented
 * context lines such as {@code   in struct Point (calc.idl:10:1)}.
 *
 * @param severity error or warning
 * @param location where it is, or null for none
 * @param message what is wrong
 * @param context the indented context lines that follow it
 */
public record Diagnostic(Severity severity, Location location, String message, List<String> context)
    implements Comparable<Diagnostic> {

  /** How bad a diagnostic is; any error stops code generation. */
  public enum Severity {
    /** The input is wrong: no code is generated. */
    ERROR("error"),
    /** Worth telling, but code is generated. */
    WARNING("warning");

    private final String label;

    Severity(String label) {
      this.label = label;
    }

    /**
     * The word printed after the location.
     *
     * @return {@code error} or {@code warning}
     */
    public String label() {
      return label;
    }
  }

  /**
   * Copies {@code context}.
   *
   * @param severity how bad it is
   * @param location where it is
   * @param message what is wrong
   * @param context lines shown indented under the message
   */
  public Diagnostic {
    context = List.copyOf(context);
  }

  /**
   * The full text, one line per element, without a trailing newline.
   *
   * @return {@code file:line:col: severity: message} and the context lines
   */
  public String format() {
    StringBuilder text = new StringBuilder()
        .append(location).append(": ").append(severity.label()).append(": ").append(message);
    for (String line : context) {
      text.append('\n').append("  ").append(line);
    }
    return text.toString();
  }

  @Override
  public int compareTo(Diagnostic other) {
    int byLocation = location.compareTo(other.location);
    if (byLocation != 0) {
      return byLocation;
    }
    int bySeverity = severity.compareTo(other.severity);
    return bySeverity != 0 ? bySeverity : message.compareTo(other.message);
  }
}
