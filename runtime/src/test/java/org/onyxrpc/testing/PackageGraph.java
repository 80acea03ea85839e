package org.onyxrpc.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which Onyx package uses which, read from a module's main sources (every reference to an Onyx
 * class, imported or written out in full), and the cycles among them. Each module's
 * {@code PackageCyclesTest} asserts there are none: data flows one way.
 */
public final class PackageGraph {
  private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
  private static final Pattern REFERENCE = Pattern.compile("\\b(org\\.onyxrpc(?:\\.[a-z]\\w*)*)\\.[A-Z]");

  private PackageGraph() {}

  /** Package → the other Onyx packages its sources refer to. */
  public static Map<String, Set<String>> of(Path sources) throws IOException {
    Map<String, Set<String>> graph = new TreeMap<>();
    try (Stream<Path> files = Files.walk(sources)) {
      files.filter(f -> f.toString().endsWith(".java")).forEach(file -> {
        try {
          String text = Files.readString(file);
          Matcher p = PACKAGE.matcher(text);
          if (!p.find()) {
            throw new AssertionError(file + " has no package");
          }
          Set<String> uses = graph.computeIfAbsent(p.group(1), k -> new TreeSet<>());
          Matcher r = REFERENCE.matcher(text);
          while (r.find()) {
            if (!r.group(1).equals(p.group(1))) {
              uses.add(r.group(1));
            }
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
    return graph;
  }

  /** Every path from a package back to itself, as "a -> b -> a". */
  public static List<String> cycles(Map<String, Set<String>> graph) {
    List<String> cycles = new ArrayList<>();
    for (String start : graph.keySet()) {
      // Depth-first search for a path from start back to start.
      Deque<List<String>> paths = new ArrayDeque<>();
      paths.push(List.of(start));
      Set<String> seen = new TreeSet<>();
      while (!paths.isEmpty()) {
        List<String> path = paths.pop();
        for (String next : graph.getOrDefault(path.get(path.size() - 1), Set.of())) {
          if (next.equals(start)) {
            List<String> cycle = new ArrayList<>(path);
            cycle.add(start);
            cycles.add(String.join(" -> ", cycle));
          } else if (seen.add(next)) {
            List<String> longer = new ArrayList<>(path);
            longer.add(next);
            paths.push(longer);
          }
        }
      }
    }
    return cycles;
  }
}
