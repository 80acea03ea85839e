package org.onyxrpc.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServerInterceptor;
import org.onyxrpc.server.ServiceDefinition;

/**
 * Several clients and servers measured into one registry, as an application with a pool of
 * clients (each built as the README shows) does: every one is counted, and each gives back what it
 * bound when it is done.
 */
class MetricsOwnershipTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final CountDownLatch gate = new CountDownLatch(1);
  private final CountDownLatch holding = new CountDownLatch(2);
  private RpcServer server;

  @BeforeEach
  void start() throws Exception {
    ServiceDefinition service = ServiceDefinition.builder(MetricsTest.PROGRAM, 1)
        .procedure(MetricsTest.ECHO, (s, ctx) -> s)
        .procedure(MetricsTest.HOLD, (v, ctx) -> {
          gate.await();
          return null;
        })
        .build();
    ServerInterceptor seesHold = call -> holding.countDown();
    server = RpcServer.builder().port(0).addService(service).intercept(seesHold).build().start();
  }

  @AfterEach
  void stop() {
    gate.countDown();
    server.close();
  }

  private RpcClient newClient() {
    // Each client with its own ClientMetrics, the way the README builds one.
    return RpcClient.builder().address("127.0.0.1", server.port())
        .intercept(new ClientMetrics(registry)).build();
  }

  /** Before: the gauge read only the first ClientMetrics' count; the second's calls were lost. */
  @Test
  void callsInFlightCountEveryInterceptorOfTheRegistry() throws Exception {
    try (RpcClient first = newClient(); RpcClient second = newClient()) {
      CompletableFuture<Void> a = first.callAsync(MetricsTest.HOLD, null);
      CompletableFuture<Void> b = second.callAsync(MetricsTest.HOLD, null);
      holding.await();
      assertEquals(2, registry.get("onyx.client.calls.active").gauge().value());
      gate.countDown();
      a.get();
      b.get();
      assertEquals(0, registry.get("onyx.client.calls.active").gauge().value());
    }
  }

  /**
   * Before: each client's interceptor registered the shared gauge again on its first call, and
   * Micrometer logged a WARN ("already registered ... will be ignored"). A filter added after the
   * first registration sees every registration Micrometer goes through again.
   */
  @Test
  void theSharedGaugeIsRegisteredOnce() {
    try (RpcClient first = newClient(); RpcClient second = newClient()) {
      first.call(MetricsTest.ECHO, "a");
      AtomicInteger registrations = registrationsFromNowOn("onyx.client.calls.active");
      second.call(MetricsTest.ECHO, "b");
      assertEquals(0, registrations.get());
      assertEquals(0, registry.get("onyx.client.calls.active").gauge().value());
    }
  }

  private AtomicInteger registrationsFromNowOn(String name) {
    AtomicInteger registrations = new AtomicInteger();
    registry.config().meterFilter(new MeterFilter() {
      @Override
      public Meter.Id map(Meter.Id id) {
        if (id.getName().equals(name)) {
          registrations.incrementAndGet();
        }
        return id;
      }
    });
    return registrations;
  }

  /**
   * Before: the second client's binding silently returned the first's meters, so its counts were
   * never read; now it is refused, naming the remedy, and a distinguishing tag binds it.
   */
  @Test
  void aSecondClientOfOnePeerNeedsATagOfItsOwn() {
    try (RpcClient first = newClient(); RpcClient second = newClient()) {
      new ClientStatsMetrics(first).bindTo(registry);
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> new ClientStatsMetrics(second).bindTo(registry));
      assertTrue(e.getMessage().contains("onyx.client.started")
          && e.getMessage().contains("distinguishing tag"), e.getMessage());
      new ClientStatsMetrics(second, Tags.of("client", "second")).bindTo(registry);
      second.call(MetricsTest.ECHO, "hi");
      assertEquals(second.stats().calls(), registry.get("onyx.client.started")
          .tag("client", "second").functionCounter().count());
    }
  }

  /** Before: a closed client's meters stayed, and its successor to the same peer was never read. */
  @Test
  void closingGivesBackTheMetersSoASuccessorIsCounted() {
    String peer = "127.0.0.1:" + server.port();
    RpcClient first = newClient();
    ClientStatsMetrics firstMetrics = new ClientStatsMetrics(first);
    firstMetrics.bindTo(registry);
    first.call(MetricsTest.ECHO, "a");
    first.close();
    firstMetrics.close();
    assertTrue(registry.find("onyx.client.started").meters().isEmpty());
    try (RpcClient next = newClient(); ClientStatsMetrics nextMetrics = new ClientStatsMetrics(next)) {
      nextMetrics.bindTo(registry);
      assertEquals(next.stats().connects(),
          registry.get("onyx.client.connects").tag("peer", peer).functionCounter().count());
      assertEquals(next.stats().calls(),
          registry.get("onyx.client.started").tag("peer", peer).functionCounter().count());
    }
    assertTrue(registry.find("onyx.client.started").meters().isEmpty());
  }

  /**
   * Before: the refused binding first registered its meter, so Micrometer logged a WARN of its own
   * ("already registered ... will be ignored") ahead of Onyx's error. A filter added after the
   * first binding sees every registration Micrometer goes through again (it no longer answers
   * them from its cache).
   */
  @Test
  void aRefusedBindingRegistersNothing() {
    try (ServerStatsMetrics metrics = new ServerStatsMetrics(server)) {
      metrics.bindTo(registry);
      AtomicInteger registrations = registrationsFromNowOn("onyx.server.handled");
      assertThrows(IllegalStateException.class, () -> new ServerStatsMetrics(server).bindTo(registry));
      assertEquals(0, registrations.get());
    }
  }

  @Test
  void aServersCountersAreGivenBackToo() {
    try (ServerStatsMetrics metrics = new ServerStatsMetrics(server)) {
      metrics.bindTo(registry);
      assertThrows(IllegalStateException.class, () -> new ServerStatsMetrics(server).bindTo(registry));
      assertEquals(server.stats().calls(), registry.get("onyx.server.handled").functionCounter().count());
    }
    assertTrue(registry.getMeters().isEmpty(), registry.getMeters().toString());
  }
}
