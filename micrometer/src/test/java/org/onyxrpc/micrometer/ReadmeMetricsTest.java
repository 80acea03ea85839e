package org.onyxrpc.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.testing.ReadmeSnippets;

/** The README's Micrometer snippet is this test's code, and it measures a real call. */
class ReadmeMetricsTest {
  private static final Path SOURCE =
      Path.of("src/test/java/org/onyxrpc/micrometer/ReadmeMetricsTest.java");

  @Test
  void theSnippetIsThisTestsCodeAndWorks() throws Exception {
    int port = 0;
    ServiceDefinition service = ServiceDefinition.builder(MetricsTest.PROGRAM, 1)
        .procedure(MetricsTest.ECHO, (s, ctx) -> s).build();

    // README:begin
    MeterRegistry registry = new SimpleMeterRegistry(); // or Prometheus, OTLP, Datadog…
    RpcServer server = RpcServer.builder().port(port).addService(service)
        .intercept(new ServerMetrics(registry))
        .build().start();
    RpcClient client = RpcClient.builder().address("localhost", server.port())
        .intercept(new ClientMetrics(registry))
        .build();
    new ServerStatsMetrics(server).bindTo(registry); // the server's own counters
    new ClientStatsMetrics(client).bindTo(registry); // and the client's
    // README:end

    try (server; client) {
      client.call(MetricsTest.ECHO, "hi");
      assertEquals(1, registry.get("onyx.client.calls").tag("status", "SUCCESS").timer().count());
      assertEquals(1, registry.get("onyx.server.calls").tag("status", "SUCCESS").timer().count());
      assertEquals(1, registry.get("onyx.client.connects").functionCounter().count());
    }
    assertEquals(ReadmeSnippets.block("Observability", SOURCE, "MeterRegistry registry"),
        ReadmeSnippets.region(SOURCE), "README.md's Micrometer snippet differs from " + SOURCE);
  }
}
