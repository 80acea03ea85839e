package org.onyxrpc.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.onyxrpc.server.RpcServer;

/**
 * Many C clients, each its own process (as many programs on one machine would be), call one Onyx
 * server at once: every one of them prints expected-calls.txt, so no reply was lost, sent to
 * another client, or mixed with another's.
 */
class ManyCClientsInteropTest {
  private static final int CLIENTS = 16;

  @TempDir static Path work;
  private static NativeInterop c;
  private static RpcServer server;

  @BeforeAll
  static void startOnyxServer() throws Exception {
    c = NativeInterop.build(work);
    server = OnyxServers.onLoopback(InteropService.definition());
  }

  @AfterAll
  static void stopOnyxServer() throws InterruptedException {
    OnyxServers.stop(server, c);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tcp", "udp"})
  void everyClientGetsItsOwnReplies(String netid) throws Exception {
    List<String> transcripts = c.runClientsAtOnce(netid, server.port(), "calls", CLIENTS);
    String expected = NativeInterop.expected("expected-calls.txt");
    for (int i = 0; i < CLIENTS; i++) {
      assertEquals(expected, transcripts.get(i), "C client " + i);
    }
  }
}
