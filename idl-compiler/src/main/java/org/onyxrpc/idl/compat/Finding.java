package org.onyxrpc.idl.compat;

import org.onyxrpc.idl.source.Location;

/**
 * One difference between two versions of a schema, printed as
 * {@code new.idl:12:3: error: message (old: old.idl:11:3)}.
 *
 * @param kind what the difference breaks
 * @param location where it is in the new schema (for a removal, the enclosing definition)
 * @param old where it was in the old schema, or null for an addition
 * @param message one sentence that says what changed and what it does to old peers
 */
public record Finding(Kind kind, Location location, Location old, String message)
    implements Comparable<Finding> {

  /** What a change breaks, from worst to harmless. */
  public enum Kind {
    /** Old and new peers no longer understand each other: an error. */
    WIRE("error"),
    /** The wire is unchanged, Java code written against the old generated classes no longer compiles: a warning. */
    SOURCE("warning"),
    /** Compatible: shown with {@code --verbose}. */
    SAFE("info");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    /**
     * The word printed after the location.
     *
     * @return {@code error}, {@code warning} or {@code info}
     */
    public String label() {
      return label;
    }
  }

  /**
   * The finding as one line; {@code strict} prints source-breaking changes as errors.
   *
   * @param strict print source breaks as errors
   * @return {@code file:line:col: label: message}
   */
  public String format(boolean strict) {
    String label = strict && kind == Kind.SOURCE ? "error" : kind.label();
    return location + ": " + label + ": " + message + (old == null ? "" : " (old: " + old + ")");
  }

  @Override
  public int compareTo(Finding other) {
    int byLocation = location.compareTo(other.location);
    if (byLocation != 0) {
      return byLocation;
    }
    int byKind = kind.compareTo(other.kind);
    return byKind != 0 ? byKind : message.compareTo(other.message);
  }
}
