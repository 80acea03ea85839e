package org.onyxrpc.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.client.RpcClient;

/**
 * An Onyx client with 64 calls outstanding on one connection to a C server that answers them
 * last first (interop_reordering_server.c): the server holds the calls until all 64 have come,
 * then writes every reply at once, each in record fragments of 1 to 7 bytes after an empty one,
 * and the first reply twice. Each call must get the reply of its own xid, the copy must be
 * dropped as a reply no call awaits, and the connection must serve the next 64 the same way.
 */
class ReorderingCServerTest {
  private static final int OUTSTANDING = 64;

  @TempDir static Path work;
  private static NativeInterop c;
  private static int port;

  @BeforeAll
  static void start() throws Exception {
    c = NativeInterop.buildReorderingServer(work);
    port = c.startReorderingServer(OUTSTANDING);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    c.stopProcesses();
  }

  @Test
  void repliesInReverseOrderAndSplitIntoTinyFragmentsReachTheirOwnCalls() throws Exception {
    // The server answers nothing until the 64th call; a minute is a bound, not a wait. The
    // attempt timeout is as long, so that a loaded machine's slow first reply (the NULL ping's)
    // sends no second ping, whose reply would count as late too.
    try (RpcClient client = RpcClient.builder().address("127.0.0.1", port)
        .timeout(Duration.ofMinutes(1)).attemptTimeout(Duration.ofMinutes(1)).build()) {
      for (int round = 1; round <= 2; round++) {
        List<CompletableFuture<String>> calls = new ArrayList<>();
        for (int i = 0; i < OUTSTANDING; i++) {
          calls.add(client.callAsync(InteropProgram.GREET, "r" + round + "-" + i));
        }
        for (int i = 0; i < OUTSTANDING; i++) {
          assertEquals("hello, r" + round + "-" + i, calls.get(i).get(1, TimeUnit.MINUTES),
              "round " + round + ", call " + i);
        }
        // The copy came right after the first reply, so before the last one it is read.
        assertEquals(round, client.stats().lateReplies(), client.stats()::toString);
      }
      assertEquals(1, client.stats().connects(), client.stats()::toString);
      assertEquals(0, client.stats().retransmissions(), client.stats()::toString);
    }
  }
}
