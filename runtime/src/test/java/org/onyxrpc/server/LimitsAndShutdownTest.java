package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.testing.TestTransport;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;
import org.junit.jupiter.api.extension.ExtendWith;
import org.onyxrpc.testing.LeakDetection;

@ExtendWith(LeakDetection.class)
class LimitsAndShutdownTest {
  private static RpcClient client(RpcServer server) {
    return TestTransport.client(server).timeout(Duration.ofSeconds(10)).build();
  }

  @Test
  void gracefulShutdownLetsCallsInFlightFinishAndRefusesNewConnections() throws Exception {
    RpcServer server = TestTransport.server().addService(new TestService().definition()).build().start();
    try (RpcClient client = client(server)) {
      List<CompletableFuture<Integer>> calls = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        calls.add(client.callAsync(TestService.SLEEP, 400));
      }
      awaitCalls(server, 6); // the NULL ping, then the five: all in flight
      CompletableFuture<Boolean> shutdown =
          CompletableFuture.supplyAsync(() -> server.shutdown(Duration.ofSeconds(5)));
      Await.until(() -> refusesConnections(server.port()));
      try (RpcClient late = client(server)) {
        assertEquals(RpcStatus.UNAVAILABLE, assertThrows(RpcException.class, () -> late.ping(TestService.PROGRAM, 1)).status());
      }
      for (CompletableFuture<Integer> call : calls) {
        assertEquals(400, call.get(5, TimeUnit.SECONDS));
      }
      assertTrue(shutdown.get(10, TimeUnit.SECONDS));
    }
  }

  /**
   * A client that goes on sending on its connection while a call of its own holds the drain: the
   * calls it sends then are refused PROG_UNAVAIL (they did not run; before, they were dropped
   * unread and ended OUTCOME_UNKNOWN), and the call in flight is still answered. Its reply must not be lost to the
   * close: closed with those calls unread in its socket, the kernel would answer with a reset,
   * which throws away what the client has not yet taken of the reply.
   */
  @Test
  void callsSentDuringTheDrainDoNotCostTheReplyOfTheCallInFlight() throws Exception {
    RpcServer server = TestTransport.server().addService(new TestService().definition()).build().start();
    try (RpcClient client = client(server)) {
      CompletableFuture<Integer> held = client.callAsync(TestService.SLEEP, 1000);
      awaitCalls(server, 2); // the NULL ping, then the held call
      CompletableFuture<Boolean> shutdown =
          CompletableFuture.supplyAsync(() -> server.shutdown(Duration.ofSeconds(5)));
      Await.until(server::draining);
      String text = "x".repeat(10_000);
      List<CompletableFuture<String>> late = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        late.add(client.callAsync(TestService.ECHO, text));
      }
      assertEquals(1000, held.get(10, TimeUnit.SECONDS), "the call in flight is answered");
      for (CompletableFuture<String> call : late) {
        RpcException e = (RpcException) assertThrows(java.util.concurrent.ExecutionException.class,
            () -> call.get(10, TimeUnit.SECONDS)).getCause();
        assertEquals(RpcStatus.PROG_UNAVAIL, e.status(), e::toString);
      }
      assertTrue(shutdown.get(10, TimeUnit.SECONDS));
    }
  }

  /**
   * While a call of one client holds the drain, another client's connection has nothing in
   * flight: it stays open, and the call its client sends next is refused PROG_UNAVAIL at once
   * (it did not run, and can go elsewhere), not held until the drain's end. Closed when the drain
   * began, as it was before, the connection lost a call its client sent as the close came
   * (OUTCOME_UNKNOWN: whether the server read it, nothing told it).
   */
  @Test
  void anIdleConnectionRefusesCallsDuringTheDrain() throws Exception {
    TestService service = new TestService();
    RpcServer server = TestTransport.server().addService(service.definition()).build().start();
    try (RpcClient busy = client(server); RpcClient idle = client(server)) {
      assertEquals(3, idle.call(TestService.ADD, new TestService.Pair(1, 2)));
      CompletableFuture<Integer> held = busy.callAsync(TestService.HOLD, 7);
      Await.until(() -> service.holding.get() == 1);
      CompletableFuture<Boolean> shutdown =
          CompletableFuture.supplyAsync(() -> server.shutdown(Duration.ofMinutes(1)));
      Await.until(server::draining);
      CompletableFuture<Integer> late = idle.callAsync(TestService.ADD, new TestService.Pair(2, 2));
      // Not after the drain: the held call is released only once the late one has its answer.
      Await.until(late::isDone);
      assertFalse(shutdown.isDone());
      RpcException e = (RpcException) assertThrows(java.util.concurrent.ExecutionException.class,
          () -> late.get()).getCause();
      assertEquals(RpcStatus.PROG_UNAVAIL, e.status(), e::toString);
      service.gate.countDown();
      assertEquals(7, held.get(1, TimeUnit.MINUTES));
      assertTrue(shutdown.get(1, TimeUnit.MINUTES));
    } finally {
      service.gate.countDown();
      server.close();
    }
  }

  /**
   * The call in flight is a HOLD whose reply the test holds back until the end, rather than a
   * SLEEP that had to outlast the shutdown's timeout by a margin a loaded machine may eat: a
   * shutdown that returns at all (false) while the call cannot finish gave up at its timeout
   * instead of waiting for the call, so its bound can be generous.
   */
  @Test
  void shutdownGivesUpAfterItsTimeout() throws Exception {
    TestService service = new TestService();
    RpcServer server = TestTransport.server().addService(service.definition()).build().start();
    try (RpcClient client = client(server)) {
      CompletableFuture<Integer> call = client.callAsync(TestService.HOLD, 1,
          org.onyxrpc.client.CallOptions.DEFAULT.withSemantics(org.onyxrpc.rpc.CallSemantics.MAYBE));
      Await.until(() -> service.holding.get() == 1); // running, and cannot finish
      long start = System.nanoTime();
      assertFalse(server.shutdown(Duration.ofMillis(200)));
      assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30), "gave up, not waited for the call");
      assertEquals(1, service.gate.getCount(), "the call could not have finished");
      assertThrows(java.util.concurrent.ExecutionException.class, () -> call.get(30, TimeUnit.SECONDS));
    } finally {
      service.gate.countDown();
    }
  }

  @Test
  void closingAgainDoesNothing() throws Exception {
    // A shutdown hook and try-with-resources may both close it (it threw, its loops gone).
    RpcServer server = TestTransport.server().addService(new TestService().definition()).build().start();
    assertTrue(server.shutdown(Duration.ofSeconds(1)));
    server.close();
    assertTrue(server.shutdown(Duration.ofSeconds(1)));
    org.onyxrpc.directory.rpcbind.DirectoryServer directory =
        org.onyxrpc.directory.rpcbind.DirectoryServer.builder().port(0).build().start();
    directory.close();
    directory.close();
  }

  @Test
  void atTheMaximumANewcomerTakesThePlaceOfTheIdlestConnection() throws Exception {
    try (RpcServer server = TestTransport.server().maxConnections(2)
        .addService(new TestService().definition()).build().start();
        RawTcpPeer one = TestTransport.raw(server);
        RawTcpPeer two = TestTransport.raw(server)) {
      // Both speak, one first, so that each connection is set up and the order of their last
      // reads is known whatever the order in which their event loops got to them.
      one.sendRecord(RawTcpPeer.call(3, 2, TestService.PROGRAM, 1, 0, OpaqueAuth.NONE, new byte[0]));
      one.readReply();
      two.sendRecord(RawTcpPeer.call(1, 2, TestService.PROGRAM, 1, 0, OpaqueAuth.NONE, new byte[0]));
      two.readReply(); // two has spoken since one did
      // A reply's bytes can reach its peer before its connection's loop has counted them written,
      // and a call is done there after its reply has gone: under load one's loop still counted
      // a call or an untaken reply when three came, and two went in its place (CI at 5418800a).
      Await.until(() -> server.openConnections().evictable() == 2);
      try (RawTcpPeer three = TestTransport.raw(server)) {
        assertTrue(one.closedByPeer(), "the idlest connection makes room");
        three.sendRecord(RawTcpPeer.call(2, 2, TestService.PROGRAM, 1, 0, OpaqueAuth.NONE, new byte[0]));
        assertEquals(2, three.readReply().xid());
        assertEquals(1, server.stats().rejectedConnections());
      }
    }
  }

  @Test
  void connectionsWithCallsInFlightAreNotEvicted() throws Exception {
    TestService service = new TestService();
    try (RpcServer server = TestTransport.server().maxConnections(1)
        .addService(service.definition()).build().start();
        RawTcpPeer busy = TestTransport.raw(server)) {
      busy.sendRecord(RawTcpPeer.call(1, 2, TestService.PROGRAM, 1, 3, OpaqueAuth.NONE,
          new byte[] {0, 0, 1, (byte) 0xF4})); // Test.sleep(500): in flight while the newcomer knocks
      awaitCalls(server, 1);
      try (RawTcpPeer newcomer = TestTransport.raw(server)) {
        assertTrue(newcomer.closedByPeer());
      }
      assertEquals(ReplyHeader.accepted(1, RpcStatus.SUCCESS), busy.readReply());
      assertEquals(1, server.stats().rejectedConnections());
    }
  }

  static void awaitCalls(RpcServer server, long calls) {
    Await.until(() -> server.stats().calls() >= calls);
  }

  /** Whether a plain connect to {@code port} is refused: the server stopped listening. */
  private static boolean refusesConnections(int port) {
    try (java.net.Socket s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
      return false;
    } catch (java.io.IOException e) {
      return true;
    }
  }

  @Test
  void aBuiltServerDoesNotSeeItsBuilderChange() throws Exception {
    RpcServerBuilder builder = TestTransport.server().maxRecordBytes(4096)
        .addService(new TestService().definition());
    try (RpcServer server = builder.build().start()) {
      builder.maxRecordBytes(64).transports(Transport.UDP).addService(TestService.version2());
      assertEquals(java.util.EnumSet.of(Transport.TCP, Transport.UDP, TestTransport.CURRENT), server.transports());
      assertEquals(1, server.programVersions().size());
      try (RpcClient client = client(server)) {
        assertEquals("x".repeat(1000), client.call(TestService.ECHO, "x".repeat(1000)));
      }
    }
  }

  @Test
  void callsPerConnectionBeyondTheMaximumWaitTheirTurn() throws Exception {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    Procedure<Integer, Integer> work =
        new Procedure<>(0x20000200, 1, 1, "Busy.work", XdrCodecs.INT, XdrCodecs.INT);
    ServiceDefinition busy = ServiceDefinition.builder(0x20000200, 1)
        .procedure(work, (n, ctx) -> {
          peak.accumulateAndGet(running.incrementAndGet(), Math::max);
          // Held until three run at once (or, with a broken limit, more); never longer than 10 s.
          Await.within(() -> peak.get() >= 3, Duration.ofSeconds(10));
          running.decrementAndGet();
          return n;
        })
        .build();
    try (RpcServer server = TestTransport.server().maxConcurrentCallsPerConnection(3)
        .addService(busy).build().start();
        RpcClient client = client(server)) {
      List<CompletableFuture<Integer>> calls = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        calls.add(client.callAsync(work, i));
      }
      for (int i = 0; i < 20; i++) {
        assertEquals(i, calls.get(i).get(10, TimeUnit.SECONDS));
      }
      assertEquals(3, peak.get());
    }
  }

  @Test
  void procedureRunsOnTheChosenExecutor() throws Exception {
    Procedure<Void, String> thread =
        new Procedure<>(0x20000300, 1, 1, "Where.thread", XdrCodecs.VOID, XdrCodecs.STRING);
    ServiceDefinition where = ServiceDefinition.builder(0x20000300, 1)
        .procedure(thread, (v, ctx) -> Thread.currentThread().getName())
        .build();
    try (RpcServer inline = TestTransport.server().directExecutor().addService(where).build().start();
        RpcClient client = client(inline)) {
      String name = client.call(thread, null);
      // The I/O thread of the transport: a TCP connection's own under TcpIo.DEDICATED_THREAD.
      boolean dedicated = TestTransport.CURRENT == Transport.TCP
          && TcpIo.DEDICATED_THREAD.name().equals(System.getProperty(ServerDefaults.TCP_IO_PROPERTY));
      assertTrue(name.matches(dedicated ? "onyx-server-tcp-.*" : "onyx-server-(io|inproc)-.*"), name);
    }
    ExecutorService mine = Executors.newSingleThreadExecutor(r -> new Thread(r, "my-executor"));
    try (RpcServer given = TestTransport.server().executor(mine).addService(where).build().start();
        RpcClient client = client(given)) {
      assertEquals("my-executor", client.call(thread, null));
    } finally {
      mine.shutdown();
    }
  }

  @Test
  void udpOnlyServer() throws Exception {
    try (RpcServer server = RpcServer.builder().transports(Transport.UDP)
        .addService(new TestService().definition()).build().start();
        RpcClient client = RpcClient.builder().address("127.0.0.1", server.port())
            .transport(Transport.UDP).build()) {
      assertEquals(7, client.call(TestService.ADD, new TestService.Pair(3, 4)));
      assertEquals(java.util.Set.of(Transport.UDP), server.transports());
    }
  }

  /**
   * Before: 5 minutes, after which a libtirpc client's connection was closed, and libtirpc's TCP
   * client does not reconnect (CPeersInteropTest shows it with a timeout set).
   */
  @Test
  void idleConnectionsAreKeptUnlessATimeoutIsSet() {
    assertEquals(Duration.ZERO, RpcServer.builder().idleTimeout);
    assertEquals(Duration.ZERO, RpcServer.builder().idleTimeout(Duration.ofSeconds(5))
        .idleTimeout(Duration.ZERO).idleTimeout);
  }

  @Test
  void builderRejectsNonsense() {
    assertThrows(IllegalArgumentException.class, () -> RpcServer.builder().maxRecordBytes(0));
    assertThrows(IllegalArgumentException.class, () -> RpcServer.builder().maxDatagramBytes(70_000));
    assertThrows(IllegalArgumentException.class, () -> RpcServer.builder().maxFragmentsPerRecord(0));
    assertThrows(IllegalArgumentException.class, () -> RpcServer.builder().maxDecodeDepth(0));
    assertThrows(IllegalArgumentException.class, () -> RpcServer.builder().maxDecodedBytes(0));
    assertThrows(IllegalArgumentException.class, () -> RpcServer.builder().maxBufferedBytes(0));
    assertThrows(IllegalArgumentException.class, () -> RpcServer.builder().minRecordBytesPerSecond(0));
    assertThrows(IllegalArgumentException.class, () -> RpcServer.builder().idleTimeout(Duration.ofNanos(-1)));
    assertThrows(IllegalStateException.class, () -> RpcServer.builder().build());
    assertThrows(IllegalArgumentException.class, () -> ServiceDefinition.builder(1, 1)
        .procedure(TestService.ADD, (p, c) -> 0));
    assertThrows(IllegalStateException.class, () -> RpcClient.builder().build());
  }
}
