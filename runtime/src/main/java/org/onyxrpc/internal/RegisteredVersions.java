package org.onyxrpc.internal;

import java.util.Collection;
import java.util.List;

/**
 * The versions a directory has of a program, as a person reads them, for the failure of a
 * look-up that found none of the version asked for: a server's PROG_MISMATCH names the versions
 * it has ("server has 1..2"), and a directory that knows them should say as much.
 */
public final class RegisteredVersions {
  /** The most versions named; the entries come from a directory, which a peer may fill. */
  static final int MAX_NAMED = 8;

  private RegisteredVersions() {}

  /**
   * {@code version 1 only}, {@code versions 1..3} (consecutive) or {@code versions 1, 2 and 5},
   * unsigned and in order, at most {@value #MAX_NAMED} named ({@code versions 1, 3, 4, 6, 7, 9,
   * 10, 12 and 40 more}).
   *
   * @param versions the versions registered, in any order, repeats allowed
   * @return the text, or null when there are none
   */
  public static String described(Collection<Integer> versions) {
    List<Long> sorted = versions.stream().map(Integer::toUnsignedLong).distinct().sorted().toList();
    if (sorted.isEmpty()) {
      return null;
    }
    long first = sorted.get(0);
    long last = sorted.get(sorted.size() - 1);
    if (sorted.size() == 1) {
      return "version " + first + " only";
    }
    if (last - first == sorted.size() - 1) {
      return "versions " + first + ".." + last;
    }
    int named = Math.min(sorted.size(), MAX_NAMED);
    String listed = String.join(", ",
        sorted.subList(0, sorted.size() > MAX_NAMED ? named : named - 1).stream().map(String::valueOf).toList());
    return "versions " + listed + " and "
        + (sorted.size() > MAX_NAMED ? (sorted.size() - MAX_NAMED) + " more" : String.valueOf(last));
  }
}
