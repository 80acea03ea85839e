package org.onyxrpc.idl.compat;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The findings of one comparison, sorted by their position in the new schema.
 *
 * <pre>{@code
 * CompatReport report = CompatibilityChecker.check(oldVersion, newVersion);
 * System.err.print(report.format(false, false));
 * if (report.breaking(false)) { ... }
 * }</pre>
 *
 * @param findings what changed between the versions, breaking or not
 */
public record CompatReport(List<Finding> findings) {
  /**
   * What to do instead of a wire break, for the line that ends a failed check ({@code idlc
   * check-compat}, the Maven plugin's {@code check-compat}): each finding says what an old peer
   * does, and none says how to make the change without breaking it.
   */
  public static final String WAY_OUT = "To make such a change while peers built from the old schema"
      + " run, leave each existing version of the service as it is (its procedures, numbers and"
      + " types) and declare the change in a new version beside it (a version block with a number"
      + " the service does not use yet, with new names for the types it changes), served together"
      + " until no old peer is left; a break is safe only where every peer is updated at once";

  /**
   * Sorts the findings and drops duplicates.
   *
   * @param findings the differences found, in any order
   */
  public CompatReport {
    findings = findings.stream().distinct().sorted().toList();
  }

  /**
   * True when an old peer breaks, or with {@code strict} also when old Java code breaks.
   *
   * @param strict count source breaks too
   * @return whether the change breaks
   */
  public boolean breaking(boolean strict) {
    return findings.stream().anyMatch(f -> f.kind() == Finding.Kind.WIRE
        || strict && f.kind() == Finding.Kind.SOURCE);
  }

  /**
   * The findings of one kind.
   *
   * @param kind wire, source or safe
   * @return those findings, sorted
   */
  public List<Finding> of(Finding.Kind kind) {
    return findings.stream().filter(f -> f.kind() == kind).toList();
  }

  /**
   * One line per finding; safe changes only when {@code verbose}, source-breaking ones as errors
   * when {@code strict}.
   *
   * @param verbose show the safe changes too
   * @param strict show source breaks as errors
   * @return the report's text
   */
  public String format(boolean verbose, boolean strict) {
    return findings.stream()
        .filter(f -> verbose || f.kind() != Finding.Kind.SAFE)
        .map(f -> f.format(strict) + "\n")
        .collect(Collectors.joining());
  }
}
