package org.onyxrpc.idl.parser;

import java.util.Collection;

/**
 * Finds the name nearest to a misspelled one, for "did you mean" hints: declared names for the
 * linker, keywords for syntax errors. Internal to the compiler.
 */
public final class Spelling {
  private Spelling() {}

  /**
   * The nearest candidate within a small edit distance, or null; ties go to the smaller name.
   *
   * @param wrong the name that was not found
   * @param candidates the names there are
   * @return the likeliest meant, or null
   */
  public static String nearest(String wrong, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    int limit = wrong.length() / 3;
    for (String candidate : candidates) {
      int distance = distance(wrong.toLowerCase(), candidate.toLowerCase());
      if (distance == 0 && !wrong.equals(candidate)) {
        distance = 0;
      } else if (distance == 0 || distance > limit) {
        continue;
      }
      if ((distance < bestDistance
          || distance == bestDistance && candidate.compareTo(best) < 0)) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return best;
  }

  /**
   * " (did you mean 'X'?)" or "".
   *
   * @param wrong the name that was not found
   * @param candidates the names there are
   * @return the hint to append to a message
   */
  public static String hint(String wrong, Collection<String> candidates) {
    String nearest = nearest(wrong, candidates);
    return nearest == null ? "" : "; did you mean '" + nearest + "'?";
  }

  /**
   * Edits from {@code a} to {@code b}: a letter inserted, deleted or replaced, or two neighbours
   * swapped (optimal string alignment). The swap is one edit because it is the commonest slip of
   * typing ('nmae' for 'name'), which as two replacements was beyond a short name's limit.
   */
  private static int distance(String a, String b) {
    int[] beforePrevious = new int[b.length() + 1];
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          current[j] = Math.min(current[j], beforePrevious[j - 2] + 1);
        }
      }
      int[] oldest = beforePrevious;
      beforePrevious = previous;
      previous = current;
      current = oldest;
    }
    return previous[b.length()];
  }
}
