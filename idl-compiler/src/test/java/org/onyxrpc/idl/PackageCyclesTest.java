package org.onyxrpc.idl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.onyxrpc.testing.PackageGraph;

/**
 * The compiler's stages depend one way: source (positions, diagnostics, options) → preprocess →
 * parser → link → schema → javagen, with the tools (compat, fromjava, cli) and the library entry
 * point on top; no package may reach back, however indirectly.
 */
class PackageCyclesTest {
  @Test
  void packagesFormNoCycle() throws IOException {
    Map<String, Set<String>> graph = PackageGraph.of(Path.of("src/main/java"));
    assertEquals(List.of(), PackageGraph.cycles(graph), "package dependencies: " + graph);
  }

  @Test
  void positionsAndDiagnosticsDependOnNothingOfOnyx() throws IOException {
    Map<String, Set<String>> graph = PackageGraph.of(Path.of("src/main/java"));
    assertEquals(Set.of(), graph.get("org.onyxrpc.idl.source"));
  }
}
