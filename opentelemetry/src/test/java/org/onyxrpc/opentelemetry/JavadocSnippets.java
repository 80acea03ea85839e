package org.onyxrpc.opentelemetry;

import io.opentelemetry.api.OpenTelemetry;
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

  // RpcTracing
  static void rpcTracing(OpenTelemetry openTelemetry, ServiceDefinition service) throws Exception {
    RpcTracing tracing = RpcTracing.create(openTelemetry);
    RpcClient client = RpcClient.builder().address("localhost", 4711)
        .intercept(tracing.clientInterceptor()).build();
    RpcServer server = RpcServer.builder().port(4711).addService(service)
        .intercept(tracing.serverInterceptor()).build().start();
  }
}
