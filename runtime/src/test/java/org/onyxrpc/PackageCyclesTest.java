package org.onyxrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.onyxrpc.testing.PackageGraph;

/**
 * Data flows one way through the runtime (docs/design.md): no two packages may depend on each
 * other, however indirectly ({@link PackageGraph} reads the main sources).
 */
class PackageCyclesTest {
  private static Map<String, Set<String>> dependencies() throws IOException {
    return PackageGraph.of(Path.of("src/main/java"));
  }

  @Test
  void packagesFormNoCycle() throws IOException {
    Map<String, Set<String>> graph = dependencies();
    assertEquals(List.of(), PackageGraph.cycles(graph), "package dependencies: " + graph);
  }

  @Test
  void theLowerLayersKnowNothingOfTheUpper() throws IOException {
    Map<String, Set<String>> graph = dependencies();
    assertTrue(Set.of().containsAll(onyx(graph.get("org.onyxrpc.xdr"))), "xdr: " + graph.get("org.onyxrpc.xdr"));
    assertEquals(Set.of("org.onyxrpc.xdr"), onyx(graph.get("org.onyxrpc.rpc")));
    for (String upper : List.of("org.onyxrpc.client", "org.onyxrpc.server")) {
      assertTrue(Set.of("org.onyxrpc.xdr", "org.onyxrpc.rpc", "org.onyxrpc.transport",
          "org.onyxrpc.directory", "org.onyxrpc.internal", "org.onyxrpc.internal.rpc",
          "org.onyxrpc.internal.transport", "org.onyxrpc.internal.rpcbind", "org.onyxrpc.internal.directory")
          .containsAll(onyx(graph.get(upper))), upper + ": " + graph.get(upper));
    }
  }

  @Test
  void internalsDependOnNothingOfOnyx() throws IOException {
    assertEquals(Set.of(), onyx(dependencies().get("org.onyxrpc.internal")));
  }

  @Test
  void theWireInternalsSitAboveTheValuesTheyCarry() throws IOException {
    Map<String, Set<String>> graph = dependencies();
    assertTrue(Set.of("org.onyxrpc.xdr", "org.onyxrpc.rpc").containsAll(onyx(graph.get("org.onyxrpc.internal.rpc"))),
        "internal.rpc: " + graph.get("org.onyxrpc.internal.rpc"));
    // The addresses it binds, and the internals' leaf (which depends on nothing): RateLimitedLog,
    // for the record decoder's line about a peer that stopped mid-record.
    assertTrue(Set.of("org.onyxrpc.transport", "org.onyxrpc.internal")
            .containsAll(onyx(graph.get("org.onyxrpc.internal.transport"))),
        "internal.transport: " + graph.get("org.onyxrpc.internal.transport"));
    assertEquals(Set.of(), onyx(graph.get("org.onyxrpc.transport")));
  }

  @Test
  void theRpcbindProtocolKnowsNothingOfTheDirectoryItServes() throws IOException {
    Map<String, Set<String>> graph = dependencies();
    assertTrue(Set.of("org.onyxrpc.xdr", "org.onyxrpc.rpc").containsAll(onyx(graph.get("org.onyxrpc.internal.rpcbind"))),
        "internal.rpcbind: " + graph.get("org.onyxrpc.internal.rpcbind"));
    assertTrue(Set.of("org.onyxrpc.xdr", "org.onyxrpc.rpc", "org.onyxrpc.transport", "org.onyxrpc.internal",
        "org.onyxrpc.internal.rpcbind").containsAll(onyx(graph.get("org.onyxrpc.directory"))),
        "directory: " + graph.get("org.onyxrpc.directory"));
  }

  private static Set<String> onyx(Set<String> uses) {
    return uses == null ? Set.of() : uses;
  }
}
