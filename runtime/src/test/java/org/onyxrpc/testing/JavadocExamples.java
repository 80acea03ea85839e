package org.onyxrpc.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The code examples of a module's Javadoc, checked against a class that compiles them: every
 * {@code <pre>{@code ...}</pre>} in the public packages (all but {@code internal} ones) must have
 * its lines, in that order, in the snippets file (a test source, one method per example, its free
 * names as parameters). An example naming a method that was renamed then fails its module's test
 * rather than a user's first paste. Lines that are only an ellipsis, or hold a {@code …}, stand
 * for code the reader supplies and are skipped. Used by the examples module (runtime and mq) and
 * by onyx-micrometer's and onyx-opentelemetry's {@code JavadocExamplesTest}.
 */
public final class JavadocExamples {
  private static final Pattern EXAMPLE = Pattern.compile("<pre>\\{@code\\n(.*?)\\}</pre>", Pattern.DOTALL);
  private static final Pattern COMMENT_MARGIN = Pattern.compile("^\\s*\\* ?");

  private JavadocExamples() {}

  /**
   * Each example under {@code sources} whose lines {@code snippets} lacks: its file, and the
   * first line not found. Empty when all are there; an error when there are no examples at all.
   */
  public static List<String> missing(Path sources, Path snippets) throws IOException {
    List<String> lines = Files.readString(snippets).lines().map(String::strip).toList();
    List<String> missing = new ArrayList<>();
    int examples = 0;
    for (Path source : publicSources(sources)) {
      Matcher example = EXAMPLE.matcher(Files.readString(source));
      while (example.find()) {
        examples++;
        String absent = firstAbsent(code(example.group(1)), lines);
        if (absent != null) {
          missing.add(sources.relativize(source) + ": not in " + snippets.getFileName() + " in order: " + absent);
        }
      }
    }
    if (examples == 0) {
      missing.add("no <pre>{@code ...}</pre> example under " + sources);
    }
    return missing;
  }

  private static List<Path> publicSources(Path sources) throws IOException {
    try (Stream<Path> walk = Files.walk(sources)) {
      return walk.filter(p -> p.toString().endsWith(".java"))
          .filter(p -> !p.toString().contains("/internal/"))
          .sorted().toList();
    }
  }

  /** The example's code lines, stripped: the comment's margin off, the reader's parts left out. */
  private static List<String> code(String commented) {
    return commented.lines()
        .map(line -> COMMENT_MARGIN.matcher(line).replaceFirst("").strip())
        .filter(line -> !line.isEmpty() && !line.equals("...") && !line.contains("…"))
        .collect(Collectors.toList());
  }

  /** The first of {@code wanted} not found in {@code lines} after the one before it; null if none. */
  private static String firstAbsent(List<String> wanted, List<String> lines) {
    int next = 0;
    for (String want : wanted) {
      int at = lines.subList(next, lines.size()).indexOf(want);
      if (at < 0) {
        return want;
      }
      next += at + 1;
    }
    return null;
  }
}
