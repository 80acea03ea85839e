package org.onyxrpc.benchmarks.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/** A Markdown table built row by row, and the number formats of the report. */
final class Markdown {
  /** What a figure that the run did not measure shows. */
  static final String MISSING = "—";

  private final List<String> lines = new ArrayList<>();

  /** A table whose first column is left-aligned and the others right-aligned. */
  Markdown(String... header) {
    lines.add(row(header));
    StringBuilder rule = new StringBuilder("|---|");
    for (int i = 1; i < header.length; i++) {
      rule.append("---:|");
    }
    lines.add(rule.toString());
  }

  Markdown add(String... cells) {
    lines.add(row(cells));
    return this;
  }

  @Override
  public String toString() {
    return String.join("\n", lines) + "\n";
  }

  private static String row(String... cells) {
    return "| " + String.join(" | ", cells) + " |";
  }

  /** A figure with {@code decimals} decimals and thousands separators, or {@link #MISSING}. */
  static String number(OptionalDouble value, int decimals) {
    return value.isPresent()
        ? String.format(Locale.ROOT, "%,." + decimals + "f", value.getAsDouble()) : MISSING;
  }

  /** A ratio such as {@code 1.07×}, or {@link #MISSING}. */
  static String ratio(OptionalDouble ratio) {
    return ratio.isPresent() ? String.format(Locale.ROOT, "%.2f×", ratio.getAsDouble()) : MISSING;
  }

  /**
   * A ratio judged against {@code limit}: as {@link #ratio(OptionalDouble)}, with a third decimal
   * when two would read as the limit itself, so that a ratio just past it (1.105 against 1.10)
   * does not show as the limit beside "missed".
   */
  static String ratio(OptionalDouble ratio, double limit) {
    if (ratio.isEmpty()) {
      return MISSING;
    }
    double value = ratio.getAsDouble();
    String two = String.format(Locale.ROOT, "%.2f", value);
    return two.equals(String.format(Locale.ROOT, "%.2f", limit)) && value != limit
        ? String.format(Locale.ROOT, "%.3f×", value) : two + "×";
  }

  /** {@code a / b} when both were measured. */
  static OptionalDouble divide(OptionalDouble a, OptionalDouble b) {
    return a.isPresent() && b.isPresent() && b.getAsDouble() != 0
        ? OptionalDouble.of(a.getAsDouble() / b.getAsDouble()) : OptionalDouble.empty();
  }

  /** "met" or "**missed**" for a ratio that must stay at or below {@code limit}. */
  static String atMost(OptionalDouble value, double limit) {
    return value.isEmpty() ? MISSING : value.getAsDouble() <= limit ? "met" : "**missed**";
  }

  /** "met" or "**missed**" for a ratio that must reach at least {@code floor}. */
  static String atLeast(OptionalDouble value, double floor) {
    return value.isEmpty() ? MISSING : value.getAsDouble() >= floor ? "met" : "**missed**";
  }
}
