package org.onyxrpc.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.onyxrpc.client.CallOptions;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.transport.Transport;

/**
 * An Onyx client whose C server (rpcgen's dispatcher in libtirpc's svc_run, interop_server.c) is
 * killed with SIGKILL and started again at the same port, as a supervisor restarts a crashed
 * daemon (SAME_PORT: src/test/c/common/same_port.c). One client lives through it all: while the
 * server is dead its calls fail at once and truthfully (one that left may have run, one that
 * could not leave is UNAVAILABLE), and once the server is back the same client's calls, sync and
 * async, at-most-once and at-least-once, are answered on a new connection or socket. A call the
 * server was running when it was killed is OUTCOME_UNKNOWN, at-least-once too, and never runs on
 * the restarted server.
 */
class RestartedCServerTest {
  private static final CallOptions AT_LEAST_ONCE =
      CallOptions.DEFAULT.withSemantics(CallSemantics.AT_LEAST_ONCE);

  @TempDir static Path work;
  private static NativeInterop c;

  @BeforeAll
  static void build() throws Exception {
    c = NativeInterop.build(work);
  }

  @AfterEach
  void stopServers() throws InterruptedException {
    c.stopProcesses();
  }

  /**
   * Killed between calls. Over TCP, the client's connection is gone: a call now is refused its new
   * connection, UNAVAILABLE, saying so (the first may instead have been written on the old
   * connection before the client read its close, so OUTCOME_UNKNOWN is allowed for that one
   * only). Over UDP a datagram leaves and meets ICMP port unreachable: OUTCOME_UNKNOWN, at once,
   * for every call (DatagramClientTest says why). Restarted at the port, the same client is
   * answered.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Transport.class, names = {"TCP", "UDP"})
  void killedBetweenCallsAndRestartedAtItsPort(Transport transport) throws Exception {
    int port = c.startServer();
    try (RpcClient client = client(port, transport)) {
      assertEquals("hello, before", client.call(InteropProgram.GREET, "before"));
      kill();
      RpcException first = assertThrows(RpcException.class,
          () -> client.call(InteropProgram.GREET, "dead"));
      RpcException second = assertThrows(RpcException.class,
          () -> client.call(InteropProgram.GREET, "still dead", AT_LEAST_ONCE));
      if (transport == Transport.TCP) {
        assertTrue(first.status() == RpcStatus.UNAVAILABLE
            || first.status() == RpcStatus.OUTCOME_UNKNOWN, first::toString);
        assertEquals(RpcStatus.UNAVAILABLE, second.status(), second::toString);
        assertTrue(second.getMessage().contains("Connection refused"), second::getMessage);
      } else {
        for (RpcException e : List.of(first, second)) {
          assertEquals(RpcStatus.OUTCOME_UNKNOWN, e.status(), e::toString);
          assertTrue(e.getMessage().contains("ICMP port unreachable"), e::getMessage);
        }
      }

      assertEquals(port, c.startServerAt(port));
      assertEquals("hello, again", client.call(InteropProgram.GREET, "again"));
      assertEquals("hello, once more", client.call(InteropProgram.GREET, "once more", AT_LEAST_ONCE));
      List<CompletableFuture<String>> together = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        together.add(client.callAsync(InteropProgram.GREET, "n" + i,
            i % 2 == 0 ? CallOptions.DEFAULT : AT_LEAST_ONCE));
      }
      for (int i = 0; i < 20; i++) {
        assertEquals("hello, n" + i, together.get(i).get(30, TimeUnit.SECONDS));
      }
    }
  }

  /**
   * Killed while running a call (the server had written that it runs, so the call was read):
   * OUTCOME_UNKNOWN at once, the at-least-once call as well, since its resend finds no server
   * (not UNAVAILABLE: the call left, and ran as far as anyone can tell). It does not run on the
   * restarted server, whose count of runs starts afresh with the client's next call.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(value = CallSemantics.class, names = {"AT_MOST_ONCE", "AT_LEAST_ONCE"})
  void killedInTheMiddleOfACall(CallSemantics semantics) throws Exception {
    int port = c.startServer();
    try (RpcClient client = client(port, Transport.TCP)) {
      CompletableFuture<Integer> running = client.callAsync(InteropProgram.COUNT_RUNS, 60_000,
          CallOptions.DEFAULT.withSemantics(semantics));
      c.awaitServerSaid("COUNT_RUNS(60000) running");
      kill();
      ExecutionException e = assertThrows(ExecutionException.class, () -> running.get(30, TimeUnit.SECONDS));
      RpcException cause = (RpcException) e.getCause();
      assertEquals(RpcStatus.OUTCOME_UNKNOWN, cause.status(), cause::toString);
      c.startServerAt(port);
      assertEquals(1, client.call(InteropProgram.COUNT_RUNS, 0), "the restarted server's first run");
    }
  }

  /**
   * Over UDP, killed while running a call. An at-least-once call is sent again, meets ICMP port
   * unreachable and ends OUTCOME_UNKNOWN at once; an at-most-once one, which the C server (no
   * reply cache: it answers untagged) is never sent twice, hears nothing more and ends TIMEOUT at
   * its deadline (which, as ever, does not say it did not run). Neither runs on the restarted
   * server.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(value = CallSemantics.class, names = {"AT_MOST_ONCE", "AT_LEAST_ONCE"})
  void killedInTheMiddleOfACallOverUdp(CallSemantics semantics) throws Exception {
    int port = c.startServer();
    try (RpcClient client = RpcClient.builder().address("127.0.0.1", port).transport(Transport.UDP)
        .timeout(Duration.ofSeconds(30)).attemptTimeout(Duration.ofMillis(200)).build()) {
      assertEquals("hello, udp", client.call(InteropProgram.GREET, "udp")); // learns: no tags
      CompletableFuture<Integer> running = client.callAsync(InteropProgram.COUNT_RUNS, 60_000,
          CallOptions.DEFAULT.withSemantics(semantics).withDeadline(Duration.ofSeconds(3)));
      c.awaitServerSaid("COUNT_RUNS(60000) running");
      kill();
      ExecutionException e = assertThrows(ExecutionException.class, () -> running.get(30, TimeUnit.SECONDS));
      RpcException cause = (RpcException) e.getCause();
      if (semantics == CallSemantics.AT_LEAST_ONCE) {
        assertEquals(RpcStatus.OUTCOME_UNKNOWN, cause.status(), cause::toString);
        assertTrue(cause.getMessage().contains("ICMP port unreachable"), cause::getMessage);
      } else {
        assertEquals(RpcStatus.TIMEOUT, cause.status(), cause::toString);
      }
      c.startServerAt(port);
      assertEquals(1, client.call(InteropProgram.COUNT_RUNS, 0), "the restarted server's first run");
    }
  }

  /** Client deadlines of 30 s: a call that waited for one would end TIMEOUT, not at once. */
  private static RpcClient client(int port, Transport transport) {
    return RpcClient.builder().address("127.0.0.1", port).transport(transport)
        .timeout(Duration.ofSeconds(30)).build();
  }

  /** SIGKILL to the C server: nothing of it closes gracefully, the kernel closes its sockets. */
  private static void kill() throws InterruptedException {
    assertTrue(c.lastServer().destroyForcibly().waitFor(30, TimeUnit.SECONDS));
  }
}
