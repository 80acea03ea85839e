package org.onyxrpc.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.CallOptions;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.AuthStatus;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * A mix of outcomes, then every meter: successes, a failing procedure, a refusal by a server
 * interceptor, a procedure the server lacks, and a timeout with retransmissions over UDP.
 */
class MetricsMixTest {
  static final Procedure<Void, Void> MISSING =
      new Procedure<>(MetricsTest.PROGRAM, 1, 9, "Metered.missing", XdrCodecs.VOID, XdrCodecs.VOID);
  static final Procedure<Void, Void> GUARDED =
      new Procedure<>(MetricsTest.PROGRAM, 1, 4, "Metered.guarded", XdrCodecs.VOID, XdrCodecs.VOID);

  @Test
  void everyOutcomeIsCountedOnceWhereItHappened() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    CountDownLatch gate = new CountDownLatch(1);
    ServiceDefinition service = ServiceDefinition.builder(MetricsTest.PROGRAM, 1)
        .procedure(MetricsTest.ECHO, (s, ctx) -> s)
        .procedure(MetricsTest.FAIL, (v, ctx) -> {
          throw new IllegalStateException("boom");
        })
        .procedure(MetricsTest.HOLD, (v, ctx) -> {
          gate.await();
          return null;
        })
        .procedure(GUARDED, (v, ctx) -> null)
        .build();
    try (RpcServer server = RpcServer.builder().port(0).transports(Transport.TCP, Transport.UDP)
            .addService(service)
            .intercept(new ServerMetrics(registry), call -> {
              if (call.procedure().number() == GUARDED.number()) {
                throw RpcException.authError(AuthStatus.AUTH_TOOWEAK, "guarded");
              }
            }).build().start();
        RpcClient tcp = RpcClient.builder().address("127.0.0.1", server.port())
            .intercept(new ClientMetrics(registry)).build();
        RpcClient udp = RpcClient.builder().address("127.0.0.1", server.port())
            .transport(Transport.UDP).intercept(new ClientMetrics(registry)).build();
        ServerStatsMetrics serverStats = new ServerStatsMetrics(server);
        ClientStatsMetrics udpStats = new ClientStatsMetrics(udp, io.micrometer.core.instrument.Tags.of("t", "udp"))) {
      serverStats.bindTo(registry);
      udpStats.bindTo(registry);
      tcp.call(MetricsTest.ECHO, "a");
      tcp.call(MetricsTest.ECHO, "b");
      assertEquals(RpcStatus.SYSTEM_ERR, assertThrows(RpcException.class, () -> tcp.call(MetricsTest.FAIL, null)).status());
      assertEquals(RpcStatus.AUTH_ERROR, assertThrows(RpcException.class, () -> tcp.call(GUARDED, null)).status());
      assertEquals(RpcStatus.PROC_UNAVAIL, assertThrows(RpcException.class, () -> tcp.call(MISSING, null)).status());
      RpcException timeout = assertThrows(RpcException.class, () -> udp.call(MetricsTest.HOLD, null,
          CallOptions.DEFAULT.withDeadline(Duration.ofMillis(400)).withAttemptTimeout(Duration.ofMillis(50))));
      gate.countDown();
      assertEquals(2, client(registry, "Metered.echo", "SUCCESS"));
      assertEquals(1, client(registry, "Metered.fail", "SYSTEM_ERR"));
      assertEquals(1, client(registry, "Metered.guarded", "AUTH_ERROR"));
      assertEquals(1, client(registry, "Metered.missing", "PROC_UNAVAIL"));
      assertEquals(RpcStatus.TIMEOUT, timeout.status());
      assertEquals(1, client(registry, "Metered.hold", "TIMEOUT"));
      assertEquals(1, registry.get("onyx.client.timeouts").functionCounter().count());
      assertEquals(1, server(registry, "Metered.guarded", "AUTH_ERROR"));
      assertEquals(1, server(registry, "Metered.fail", "SYSTEM_ERR"));
      assertTrue(registry.find("onyx.server.calls").tag("method", "Metered.missing").meters().isEmpty());
      assertEquals(udp.stats().retransmissions(), registry.get("onyx.client.retransmissions").functionCounter().count());
      assertTrue(udp.stats().retransmissions() >= 1);
      assertEquals(3, registry.get("onyx.server.error.replies").functionCounter().count(), "fail, guarded, missing");
    }
  }

  private static long client(SimpleMeterRegistry registry, String method, String status) {
    return registry.get("onyx.client.calls").tag("method", method).tag("status", status).timer().count();
  }

  private static long server(SimpleMeterRegistry registry, String method, String status) {
    return registry.get("onyx.server.calls").tag("method", method).tag("status", status).timer().count();
  }
}
