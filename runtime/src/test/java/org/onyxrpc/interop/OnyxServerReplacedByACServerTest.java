package org.onyxrpc.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.client.CallOptions;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.testing.FaultProxy;
import org.onyxrpc.transport.Transport;

/**
 * An Onyx server replaced at its port by the C server of the same program (a service moved back
 * to its rpcgen implementation, or the C and Java implementations of one service taking turns
 * behind a supervisor), under one long-lived Onyx client over UDP. The client learnt from the
 * Onyx server that its server filters duplicates (its tagged NULL ping came back tagged); the C
 * server does not (libtirpc's UDP server keeps no reply cache), and says so by answering a tagged
 * call untagged. From that answer on, the client's at-most-once calls go once, as to any server
 * that does not filter duplicates: a slow one runs once, not once per retransmission (before,
 * the client kept what the Onyx server had said: 'expected: <2> but was: <4>', three runs).
 */
class OnyxServerReplacedByACServerTest {
  @TempDir Path work;
  private NativeInterop c;

  @AfterEach
  void stopCServer() throws InterruptedException {
    if (c != null) {
      c.stopProcesses();
    }
  }

  /**
   * A UDP client that has heard an Onyx server (tagged, filtering duplicates), whose port the C
   * server then takes, answering untagged and keeping no reply cache; the Onyx server closed.
   */
  private RpcClient udpClientOfAReplacedServer(Duration attemptTimeout) throws Exception {
    c = NativeInterop.buildFaultyServer(work);
    try (RpcServer onyx = RpcServer.builder()
            .bind(InetAddress.getLoopbackAddress(), 0)
            .transports(Transport.TCP, Transport.UDP) // its port's TCP too, which the C server binds
            .addService(InteropService.definition())
            .build()
            .start()) {
      RpcClient client = RpcClient.builder().address("127.0.0.1", onyx.port())
          .transport(Transport.UDP).timeout(Duration.ofSeconds(30))
          .attemptTimeout(attemptTimeout).build();
      try {
        int port = onyx.port();
        assertEquals("hello, onyx", client.call(InteropProgram.GREET, "onyx"));
        onyx.close();
        assertEquals(port, c.startFaultyServerAt("odd-replies", port));
        return client;
      } catch (Exception | Error e) {
        client.close();
        throw e;
      }
    }
  }

  @Test
  void atMostOnceCallsToTheCServerAtTheOnyxServersPortRunOnce() throws Exception {
    try (RpcClient client = udpClientOfAReplacedServer(Duration.ofMillis(200))) {
      assertEquals("hello, c", client.call(InteropProgram.GREET, "c"), "the C server answers");

      CallOptions atMostOnce = CallOptions.DEFAULT.withSemantics(CallSemantics.AT_MOST_ONCE);
      assertEquals(1, client.call(InteropProgram.COUNT_RUNS, 1500, atMostOnce));
      assertEquals(2, client.call(InteropProgram.COUNT_RUNS, 0, atMostOnce),
          "the slow call ran once, not once per transmission: " + client.stats());
    }
  }

  /**
   * The same, with the slow at-most-once call sent tagged right behind the first call to reach the
   * C server, before its untagged answer came: that answer stops the slow call's retransmissions
   * (the C server, one call at a time, reads the slow one after answering the first, within
   * the slow one's first attempt timeout of 1 s, the slow one running 1.5 s).
   */
  @Test
  void anUntaggedAnswerStopsTheAtMostOnceCallsInFlight() throws Exception {
    try (RpcClient client = udpClientOfAReplacedServer(Duration.ofSeconds(1))) {

      CallOptions atMostOnce = CallOptions.DEFAULT.withSemantics(CallSemantics.AT_MOST_ONCE);
      CompletableFuture<String> first = client.callAsync(InteropProgram.GREET, "c");
      CompletableFuture<Integer> slow = client.callAsync(InteropProgram.COUNT_RUNS, 1500, atMostOnce);
      assertEquals("hello, c", first.get(30, TimeUnit.SECONDS));
      assertEquals(1, slow.get(30, TimeUnit.SECONDS));
      assertEquals(2, client.call(InteropProgram.COUNT_RUNS, 0, atMostOnce),
          "the slow call ran once, not once per transmission: " + client.stats());
    }
  }

  /**
   * The slow at-most-once call is the first to reach the C server, with no other call ahead of it
   * to be answered untagged: its retransmissions wait for a tagged reply heard since its last
   * transmission (the server at the address still filters duplicates), asking with a tagged NULL
   * ping, which the C server answers untagged after the slow call. So it goes once. Before, what
   * the Onyx server had said was enough, and each retransmission queued behind the slow call on
   * the C server and ran after it: 'expected: <2> but was: <5>'.
   */
  @Test
  void aLoneAtMostOnceCallIsNotSentAgainUntilTheServerThereIsHeardTagged() throws Exception {
    try (RpcClient client = udpClientOfAReplacedServer(Duration.ofMillis(200))) {

      CallOptions atMostOnce = CallOptions.DEFAULT.withSemantics(CallSemantics.AT_MOST_ONCE);
      assertEquals(1, client.call(InteropProgram.COUNT_RUNS, 1500, atMostOnce));
      assertEquals(2, client.call(InteropProgram.COUNT_RUNS, 0, atMostOnce),
          "the slow call ran once, not once per transmission: " + client.stats());
    }
  }

  /**
   * Over TCP, an at-most-once call that the Onyx server was running when its connection was lost
   * is sent again on a new one only once the server there has answered a tagged NULL ping tagged.
   * Here the new connection reaches the C server (a proxy in front, sending new connections there
   * from the loss on), which answers untagged: the call ends OUTCOME_UNKNOWN, it may have run, and
   * it does not run again there. Before, it was sent again tagged and ran on the C server too,
   * answered as a success after running twice.
   */
  @Test
  void anAtMostOnceCallLostWithItsConnectionIsNotSentToTheCServerThatTookTheAddress()
      throws Exception {
    c = NativeInterop.buildFaultyServer(work);
    int cPort = c.startFaultyServer("odd-replies");
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ServiceDefinition blocking = ServiceDefinition.builder(InteropProgram.PROGRAM, InteropProgram.VERSION)
        .procedure(InteropProgram.COUNT_RUNS, (delayMs, ctx) -> {
          running.countDown();
          release.await(); // until the test ends: its connection is lost meanwhile
          return 0;
        })
        .procedure(InteropProgram.GREET, (who, ctx) -> "hello, " + who)
        .build();
    try (RpcServer onyx = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
            .addService(blocking).build().start();
        FaultProxy proxy = new FaultProxy(onyx.port(), FaultProxy.Faults.NONE, 1);
        RpcClient client = RpcClient.builder().address("127.0.0.1", proxy.port())
            .timeout(Duration.ofSeconds(30)).build()) {
      try {
        assertEquals("hello, onyx", client.call(InteropProgram.GREET, "onyx"));
        CompletableFuture<Integer> lost = client.callAsync(InteropProgram.COUNT_RUNS, 0,
            CallOptions.DEFAULT.withSemantics(CallSemantics.AT_MOST_ONCE));
        assertTrue(running.await(30, TimeUnit.SECONDS), "the Onyx server runs the call");
        proxy.target(cPort);
        proxy.resetAll();
        ExecutionException e = assertThrows(ExecutionException.class,
            () -> lost.get(30, TimeUnit.SECONDS));
        RpcException failure = (RpcException) e.getCause();
        assertEquals(RpcStatus.OUTCOME_UNKNOWN, failure.status(), failure::toString);
        assertTrue(failure.getMessage().contains("does not filter duplicates"), failure::getMessage);
        assertEquals(1, client.call(InteropProgram.COUNT_RUNS, 0,
            CallOptions.DEFAULT.withSemantics(CallSemantics.AT_LEAST_ONCE)),
            "the C server's first run: the lost call did not run there");
      } finally {
        release.countDown();
      }
    }
  }
}
