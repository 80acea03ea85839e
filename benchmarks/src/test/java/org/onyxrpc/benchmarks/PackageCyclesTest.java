package org.onyxrpc.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.onyxrpc.testing.PackageGraph;

/** No two of the benchmarks' packages depend on each other, as every module's {@code PackageCyclesTest} checks. */
class PackageCyclesTest {
  @Test
  void packagesFormNoCycle() throws IOException {
    Map<String, Set<String>> graph = PackageGraph.of(Path.of("src/main/java"));
    assertEquals(List.of(), PackageGraph.cycles(graph), "package dependencies: " + graph);
  }
}
