package org.onyxrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.api.Test;

/**
 * Data flows one way through the runtime (DESIGN.md): no two packages may depend on each other,
 * however indirectly. Reads the main sources and follows every reference to an Onyx class,
 * imported or written out in full.
 */
class PackageCyclesTest {
  private static final Path SOURCES = Path.of("src/main/java");
  private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
  private static final Pattern REFERENCE = Pattern.compile("\\b(org\\.onyxrpc(?:\\.[a-z]\\w*)*)\\.[A-Z]");

  private static Map<String, Set<String>> dependencies() throws IOException {
    Map<String, Set<String>> graph = new TreeMap<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      files.filter(f -> f.toString().endsWith(".java")).forEach(file -> {
        try {
          String text = Files.readString(file);
          Matcher p = PACKAGE.matcher(text);
          assertTrue(p.find(), file + " has no package");
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

  @Test
  void packagesFormNoCycle() throws IOException {
    Map<String, Set<String>> graph = dependencies();
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
    assertEquals(List.of(), cycles, "package dependencies: " + graph);
  }

  @Test
  void theLowerLayersKnowNothingOfTheUpper() throws IOException {
    Map<String, Set<String>> graph = dependencies();
    assertTrue(Set.of().containsAll(onyx(graph.get("org.onyxrpc.xdr"))), "xdr: " + graph.get("org.onyxrpc.xdr"));
    assertEquals(Set.of("org.onyxrpc.xdr"), onyx(graph.get("org.onyxrpc.rpc")));
    for (String upper : List.of("org.onyxrpc.client", "org.onyxrpc.server")) {
      assertTrue(Set.of("org.onyxrpc.xdr", "org.onyxrpc.rpc", "org.onyxrpc.transport",
          "org.onyxrpc.directory", "org.onyxrpc.internal").containsAll(onyx(graph.get(upper))), upper + ": " + graph.get(upper));
    }
  }

  @Test
  void internalsDependOnNothingOfOnyx() throws IOException {
    assertEquals(Set.of(), onyx(dependencies().get("org.onyxrpc.internal")));
  }

  private static Set<String> onyx(Set<String> uses) {
    return uses == null ? Set.of() : uses;
  }
}
