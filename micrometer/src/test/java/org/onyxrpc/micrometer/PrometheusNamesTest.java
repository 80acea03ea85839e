package org.onyxrpc.micrometer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;

/**
 * The meters' names as Prometheus shows them, which README's Observability gives: an operator
 * writes them in queries and alerts, and Micrometer's dotted names are not those (a timer gains
 * {@code _seconds} and its series' suffixes, a counter {@code _total}). Scraped from a real
 * PrometheusMeterRegistry after a call, not guessed.
 */
class PrometheusNamesTest {
  /** Each name the README gives, as a series of the scrape. */
  private static final List<String> NAMES = List.of(
      "onyx_server_calls_seconds_count", "onyx_server_calls_seconds_sum", "onyx_server_calls_seconds_bucket",
      "onyx_server_calls_seconds_max", "onyx_server_calls_active",
      "onyx_client_calls_seconds_count", "onyx_client_calls_active",
      "onyx_client_retransmissions_total", "onyx_server_drc_bytes");

  @Test
  void theReadmesPrometheusNamesAreThoseAScrapeShows() throws Exception {
    ServiceDefinition service = ServiceDefinition.builder(MetricsTest.PROGRAM, 1)
        .procedure(MetricsTest.ECHO, (s, ctx) -> s).build();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    String scrape;
    int port;
    try (RpcServer server = RpcServer.builder().port(0).addService(service)
            .intercept(new ServerMetrics(registry)).build().start();
        RpcClient client = RpcClient.builder().address("localhost", server.port())
            .intercept(new ClientMetrics(registry)).build();
        ServerStatsMetrics serverStats = new ServerStatsMetrics(server);
        ClientStatsMetrics clientStats = new ClientStatsMetrics(client)) {
      serverStats.bindTo(registry);
      clientStats.bindTo(registry);
      client.call(MetricsTest.ECHO, "hi");
      scrape = registry.scrape();
      port = server.port();
    }
    String readme = Files.readString(Path.of("..", "README.md"));
    for (String name : NAMES) {
      assertTrue(Pattern.compile("(?m)^" + name + "[{ ]").matcher(scrape).find(),
          name + " is not a series of the scrape:\n" + scrape);
      assertTrue(readme.contains(name), "README.md does not name " + name);
    }
    // A procedure's series, as a query selects it: its tags are labels.
    assertTrue(scrape.contains("onyx_server_calls_seconds_count{method=\"Metered.echo\",procedure=\"1\","
        + "program=\"" + MetricsTest.PROGRAM + "\",status=\"SUCCESS\",version=\"1\"} 1"), scrape);
    assertTrue(readme.contains("onyx_server_calls_seconds_count{method=\"Calculator.add\",procedure=\"1\","
        + "program=\"536871169\",status=\"SUCCESS\",version=\"1\"}"), "README.md does not show a series");
    // The client's stats are told apart by their server's address, which the README shows as a label.
    assertTrue(scrape.contains("onyx_client_retransmissions_total{peer=\"localhost:" + port + "\"} 0"), scrape);
    assertTrue(readme.contains("onyx_client_retransmissions_total{peer=\"localhost:4711\"}"),
        "README.md does not show the client's peer label");
  }
}
