package org.onyxrpc.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.pause.PauseDetector;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
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

  /**
   * The README says what bounds the meters' series, and how many buckets each timer's histogram
   * publishes, as a registry makes them: before, it said neither, and an operator sizing a
   * Prometheus had to count them (MetricsTest pins that unserved numbers make no meters).
   */
  @Test
  void theReadmeCountsTheSeriesOfATimer() throws Exception {
    ServiceDefinition service = ServiceDefinition.builder(MetricsTest.PROGRAM, 1)
        .procedure(MetricsTest.ECHO, (s, ctx) -> s).build();
    // The buckets a registry of aggregable percentiles (Prometheus, OTLP…) publishes for a timer.
    AtomicInteger buckets = new AtomicInteger();
    MeterRegistry registry = new SimpleMeterRegistry() {
      @Override
      protected Timer newTimer(Meter.Id id, DistributionStatisticConfig config, PauseDetector pauses) {
        buckets.set(config.getHistogramBuckets(true).size());
        return super.newTimer(id, config, pauses);
      }
    };
    try (RpcServer server = RpcServer.builder().port(0).addService(service)
            .intercept(new ServerMetrics(registry)).build().start();
        RpcClient client = RpcClient.builder().address("localhost", server.port()).build()) {
      client.call(MetricsTest.ECHO, "hi");
    }
    String readme = Files.readString(Path.of("..", "README.md"));
    String said = "a latency histogram of " + buckets.get() + " buckets";
    assertTrue(readme.contains(said), "README.md does not say \"" + said + "\"");
    assertTrue(readme.contains("makes no meter"), "README.md does not say what makes no meter");
  }
}
