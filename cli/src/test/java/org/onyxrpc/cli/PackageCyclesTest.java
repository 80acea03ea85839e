package org.onyxrpc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.onyxrpc.testing.PackageGraph;

/**
 * Data flows one way through the command: {@code org.onyxrpc.cli} (main) → {@code command} →
 * {@code json} → {@code schema}; {@code json} and {@code schema} know nothing of the command line,
 * and no two packages depend on each other ({@link PackageGraph}, from the runtime's test-jar,
 * reads the main sources as every module's {@code PackageCyclesTest} does).
 */
class PackageCyclesTest {
  private static final List<String> ORDER = List.of(
      "org.onyxrpc.cli", "org.onyxrpc.cli.command", "org.onyxrpc.cli.json", "org.onyxrpc.cli.schema");

  @Test
  void packagesFormNoCycle() throws IOException {
    Map<String, Set<String>> graph = PackageGraph.of(Path.of("src/main/java"));
    assertEquals(List.of(), PackageGraph.cycles(graph), "package dependencies: " + graph);
  }

  @Test
  void eachPackageUsesOnlyThoseAfterIt() throws IOException {
    Map<String, Set<String>> against = new TreeMap<>();
    PackageGraph.of(Path.of("src/main/java")).forEach((from, uses) -> uses.stream()
        .filter(used -> ORDER.contains(used) && ORDER.indexOf(used) <= ORDER.indexOf(from))
        .forEach(used -> against.computeIfAbsent(from, k -> new TreeSet<>()).add(used)));
    assertEquals(Map.of(), against, "references against the flow " + ORDER);
  }
}
