package org.onyxrpc.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.testing.Await;

/**
 * libtirpc's message passing against an Onyx server (interop_oneway.c): over TCP a clnt_call with
 * a zero timeout sends the call and returns RPC_TIMEDOUT at once; over UDP, where libtirpc sends
 * nothing with a zero timeout, a 1 ms timeout does the same. The server runs every such call once,
 * and the client, reading for its next ordinary call, skips their replies and takes its own (then,
 * over TCP, half-closes: that reply may come before a one-way call has started, as a connection's
 * calls run side by side, and a close would drop the call, as README's "closed connections" says). A
 * client that lets go at once after its one-way calls still has them all run: over UDP its socket
 * is closed before the replies come; over TCP it shuts down its sending side and reads until the
 * server, having answered all five (48 bytes each with the record mark), closes the connection.
 */
class OneWayCClientTest {
  private static final List<String> ONE_WAY = List.of(
      "oneway-1", "oneway-2", "oneway-3", "oneway-4", "oneway-5");
  private static final String SENT = """
      GREET("oneway-1") one-way -> sent
      GREET("oneway-2") one-way -> sent
      GREET("oneway-3") one-way -> sent
      GREET("oneway-4") one-way -> sent
      GREET("oneway-5") one-way -> sent
      """;

  @TempDir static Path work;
  private static NativeInterop c;
  private static RpcServer server;
  /** Every name GREET was called with, as the server ran it. */
  private static final Queue<String> greeted = new ConcurrentLinkedQueue<>();

  @BeforeAll
  static void startOnyxServer() throws Exception {
    c = NativeInterop.build(work);
    server = OnyxServers.onLoopback(InteropService.definition((who, context) -> {
      greeted.add(who);
      return InteropService.greet(who);
    }));
  }

  @AfterEach
  void stopClients() throws InterruptedException {
    c.stopProcesses();
    greeted.clear();
  }

  @AfterAll
  static void stopOnyxServer() throws InterruptedException {
    OnyxServers.stop(server, c);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tcp", "udp"})
  void oneWayCallsRunAndTheNextCallGetsItsOwnReply(String netid) throws Exception {
    // Over TCP the client then half-closes: "after" may be answered before a one-way call before
    // it has started (calls of a connection run side by side), and a close would drop that call.
    String letGo = netid.equals("tcp")
        ? "shutdown(SHUT_WR), then read to the end -> closed by the server\n" : "";
    assertEquals(SENT + "GREET(\"after\") -> \"hello, after\"\n" + letGo,
        c.runClient(netid, "127.0.0.1", server.port(), "oneway"));
    assertTrue(Await.within(() -> greeted.containsAll(ONE_WAY), Duration.ofSeconds(20)),
        "ran: " + greeted);
    assertEquals(ONE_WAY.size() + 1, greeted.size(), "each ran once: " + greeted);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tcp", "udp"})
  void oneWayCallsRunWhenTheClientClosesAtOnce(String netid) throws Exception {
    String letGo = netid.equals("tcp")
        ? "shutdown(SHUT_WR), then read to the end -> closed by the server, 240 bytes\n" : "";
    assertEquals(SENT + letGo, c.runClient(netid, "127.0.0.1", server.port(), "oneway-close"));
    assertTrue(Await.within(() -> greeted.containsAll(ONE_WAY), Duration.ofSeconds(20)),
        "ran: " + greeted);
    assertEquals(ONE_WAY.size(), greeted.size(), "each ran once: " + greeted);
  }
}
