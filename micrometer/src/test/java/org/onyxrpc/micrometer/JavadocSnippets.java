package org.onyxrpc.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;

/**
 * The code examples of this module's Javadoc, one method each, as a user pastes them:
 * {@code JavadocExamplesTest} finds each example's lines here, and this class compiling is the
 * check that they name only types and methods that exist. Nothing calls these methods.
 */
@SuppressWarnings("unused")
final class JavadocSnippets {
  private JavadocSnippets() {}

  // ServerMetrics
  static void serverMetrics(MeterRegistry registry, ServiceDefinition service) throws Exception {
    RpcServer server = RpcServer.builder().port(4711).addService(service)
        .intercept(new ServerMetrics(registry))
        .build().start();
  }

  // ClientMetrics
  static void clientMetrics(MeterRegistry registry) {
    RpcClient client = RpcClient.builder().address("localhost", 4711)
        .intercept(new ClientMetrics(registry))
        .build();
  }

  // ClientStatsMetrics
  static void clientStatsMetrics(MeterRegistry registry, RpcClient client) {
    ClientStatsMetrics metrics = new ClientStatsMetrics(client);
    metrics.bindTo(registry);
    client.close();
    metrics.close();
  }

  // ServerStatsMetrics
  static void serverStatsMetrics(MeterRegistry registry, RpcServer server) {
    ServerStatsMetrics metrics = new ServerStatsMetrics(server);
    metrics.bindTo(registry);
    server.close();
    metrics.close();
  }
}
