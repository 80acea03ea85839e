package org.onyxrpc.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.CallHeader;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServerInterceptor;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.xdr.XdrCodecs;

/** Real calls, then the values the registry holds. */
class MetricsTest {
  static final int PROGRAM = 0x20000A01;
  static final Procedure<String, String> ECHO =
      new Procedure<>(PROGRAM, 1, 1, "Metered.echo", XdrCodecs.STRING, XdrCodecs.STRING);
  static final Procedure<Void, Void> FAIL =
      new Procedure<>(PROGRAM, 1, 2, "Metered.fail", XdrCodecs.VOID, XdrCodecs.VOID);
  static final Procedure<Void, Void> HOLD =
      new Procedure<>(PROGRAM, 1, 3, "Metered.hold", XdrCodecs.VOID, XdrCodecs.VOID);
  static final Procedure<String, Void> NOTE =
      new Procedure<>(PROGRAM, 1, 4, "Metered.note", XdrCodecs.STRING, XdrCodecs.VOID);

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final CountDownLatch gate = new CountDownLatch(1);
  private final CountDownLatch holding = new CountDownLatch(1);
  private RpcServer server;
  private RpcClient client;

  @BeforeEach
  void start() throws Exception {
    ServiceDefinition service = ServiceDefinition.builder(PROGRAM, 1)
        .procedure(ECHO, (s, ctx) -> s)
        .procedure(FAIL, (v, ctx) -> {
          throw new IllegalStateException("boom");
        })
        .procedure(HOLD, (v, ctx) -> {
          gate.await();
          return null;
        })
        .oneway(NOTE, (s, ctx) -> null)
        .build();
    // Runs after ServerMetrics.onStart: once it has seen HOLD, the gauge counts it.
    ServerInterceptor seesHold = call -> {
      if (call.procedure().number() == HOLD.number()) {
        holding.countDown();
      }
    };
    server = RpcServer.builder().port(0).addService(service)
        .intercept(new ServerMetrics(registry), seesHold).build().start();
    new ServerStatsMetrics(server).bindTo(registry);
    client = RpcClient.builder().address("127.0.0.1", server.port())
        .intercept(new ClientMetrics(registry)).build();
    new ClientStatsMetrics(client).bindTo(registry);
  }

  @AfterEach
  void stop() {
    gate.countDown();
    client.close();
    server.close();
  }

  private Timer timer(String name, Procedure<?, ?> procedure, RpcStatus status) {
    return registry.get(name).tag("method", procedure.name())
        .tag("procedure", Integer.toString(procedure.number()))
        .tag("program", Integer.toString(PROGRAM)).tag("version", "1")
        .tag("status", status.name()).timer();
  }

  private double active(String side, Procedure<?, ?> procedure) {
    return registry.get("onyx." + side + ".calls.active").tag("method", procedure.name()).gauge().value();
  }

  /**
   * A caller that sends calls for programs, versions and procedures the server does not serve,
   * arguments that do not decode, and credentials that do not parse makes no meter: each is
   * answered before a procedure is found or run, where no interceptor sees it, so the meters
   * stay those of the served procedures (keyed by the wire numbers, they would otherwise be the
   * caller's to multiply). Passes as it is: it pins that ServerMetrics sees only served calls.
   */
  @Test
  void aCallerOfNumbersNotServedMakesNoMeters() throws Exception {
    assertEquals("hi", client.call(ECHO, "hi"));
    int before = registry.getMeters().size();
    try (RawTcpPeer peer = new RawTcpPeer(server.port())) {
      int xid = 1;
      for (int i = 0; i < 40; i++) {
        for (int[] numbers : new int[][] {{PROGRAM + 1 + i, 1, 1}, {PROGRAM, 2 + i, 1},
            {PROGRAM, 1, 5 + i}}) {
          peer.sendRecord(RawTcpPeer.call(xid, CallHeader.RPC_VERSION, numbers[0], numbers[1],
              numbers[2], OpaqueAuth.NONE, new byte[0]));
          assertEquals(xid++, peer.readReply().xid());
        }
        // ECHO's string says 2^31 - 1 bytes: GARBAGE_ARGS
        peer.sendRecord(RawTcpPeer.call(xid, CallHeader.RPC_VERSION, PROGRAM, 1, 1,
            OpaqueAuth.NONE, new byte[] {0x7f, -1, -1, -1}));
        assertEquals(RpcStatus.GARBAGE_ARGS, peer.readReply().status());
        xid++;
        // an AUTH_SYS body cut short: AUTH_ERROR
        peer.sendRecord(RawTcpPeer.call(xid, CallHeader.RPC_VERSION, PROGRAM, 1, 1,
            new OpaqueAuth(OpaqueAuth.AUTH_SYS, new byte[4]), new byte[4]));
        assertEquals(RpcStatus.AUTH_ERROR, peer.readReply().status());
        xid++;
      }
    }
    assertEquals(before, registry.getMeters().size(), () -> registry.getMeters().stream()
        .map(m -> m.getId().toString()).toList().toString());
  }

  @Test
  void countsLatencyAndStatusPerProcedureOnBothSides() {
    for (int i = 0; i < 3; i++) {
      assertEquals("hi", client.call(ECHO, "hi"));
    }
    assertThrows(RpcException.class, () -> client.call(FAIL, null));
    for (String side : new String[] {"client", "server"}) {
      Timer echoes = timer("onyx." + side + ".calls", ECHO, RpcStatus.SUCCESS);
      assertEquals(3, echoes.count(), side);
      assertTrue(echoes.totalTime(TimeUnit.NANOSECONDS) > 0, side);
      assertTrue(echoes.max(TimeUnit.NANOSECONDS) > 0, side);
      assertEquals(1, timer("onyx." + side + ".calls", FAIL, RpcStatus.SYSTEM_ERR).count(), side);
      assertEquals(0, active(side, ECHO), side);
    }
  }

  /**
   * A generic client makes a new Procedure per call, with codecs of its own: still one entry per
   * procedure (before: one per Procedure object, without bound).
   */
  @Test
  void aOneWayCallIsTimedAsASuccessOnBothSides() {
    // As the root README's Observability section says: sent (client) and run (server) is SUCCESS.
    client.send(NOTE, "noted").join();
    assertEquals(1, timer("onyx.client.calls", NOTE, RpcStatus.SUCCESS).count());
    // The server's side is recorded after the client's send completed: wait for it.
    Await.until(() -> {
      Timer served = registry.find("onyx.server.calls").tag("method", NOTE.name()).timer();
      return served != null && served.count() > 0;
    });
    assertEquals(1, timer("onyx.server.calls", NOTE, RpcStatus.SUCCESS).count());
    assertEquals(0, active("client", NOTE));
  }

  @Test
  void procedureObjectsMadePerCallShareTheirMeters() {
    CallMeters meters = new CallMeters(registry, "test", io.micrometer.core.instrument.Tags.empty());
    for (int i = 0; i < 3; i++) {
      Procedure<String, String> fresh = new Procedure<>(PROGRAM, 1, 1, "Metered.echo",
          XdrCodecs.of((out, v) -> out.writeString(v, 16), in -> in.readString(16)), XdrCodecs.STRING);
      meters.started(fresh);
      meters.ended(fresh, RpcStatus.SUCCESS, 1_000);
    }
    assertEquals(1, meters.procedures());
    assertEquals(3, registry.get("test.calls").timer().count());
  }

  @Test
  void gaugesCallsInFlight() throws Exception {
    CompletableFuture<Void> held = client.callAsync(HOLD, null);
    holding.await();
    assertEquals(1, active("client", HOLD));
    assertEquals(1, active("server", HOLD));
    gate.countDown();
    held.get();
    // The client's interceptors close before the caller sees the result; the server's before
    // the reply is sent.
    assertEquals(0, active("client", HOLD));
    assertEquals(0, active("server", HOLD));
  }

  @Test
  void bindsTheClientsAndServersOwnCounters() {
    client.call(ECHO, "a");
    client.call(ECHO, "b");
    assertThrows(RpcException.class, () -> client.call(FAIL, null));
    String peer = "127.0.0.1:" + server.port();
    assertEquals(client.stats().calls(), counter("onyx.client.started", peer));
    assertTrue(counter("onyx.client.started", peer) >= 3, "3 calls, and the client's NULL ping");
    assertEquals(1, counter("onyx.client.connects", peer));
    assertEquals(0, counter("onyx.client.timeouts", peer));
    assertEquals(server.stats().calls(),
        registry.get("onyx.server.handled").functionCounter().count());
    assertEquals(1, registry.get("onyx.server.error.replies").functionCounter().count());
    assertEquals(server.stats().cachedReplies(),
        registry.get("onyx.server.drc.replies").gauge().value());
    assertTrue(registry.get("onyx.server.drc.replies").gauge().value() >= 2,
        "the at-most-once replies are cached");
  }

  private double counter(String name, String peer) {
    FunctionCounter c = registry.get(name).tag("peer", peer).functionCounter();
    return c.count();
  }
}
