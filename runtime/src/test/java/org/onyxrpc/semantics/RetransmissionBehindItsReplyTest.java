package org.onyxrpc.semantics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServerCall;
import org.onyxrpc.server.ServerInterceptor;
import org.onyxrpc.server.ServerStats;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.TestService;

/**
 * A retransmission that reaches the server over the connection its first transmission ran on,
 * after the call finished but before its reply went out, is dropped: the reply is on its way over
 * that very connection. Its reply is too large for the duplicate request cache to keep, so the
 * server cannot replay it; answering "outcome unknown" (as it must for a retransmission over
 * another connection) would overtake the reply and fail a call whose result was coming.
 */
class RetransmissionBehindItsReplyTest {

  @Test
  void aRetransmissionOverTheSameConnectionWaitsForTheOriginalsReply() throws Exception {
    byte[] blob = new byte[8192]; // more than the cache keeps
    new Random(15).nextBytes(blob);
    AtomicReference<RpcServer> started = new AtomicReference<>();
    // The window in question: the call has finished (its cache entry is final, its reply dropped
    // as too large) and its reply is not yet sent. Held open until a retransmission has come and
    // been handled, however slow the machine.
    ServerInterceptor holdTheReply = new ServerInterceptor() {
      @Override
      public void onStart(ServerCall call) {}

      @Override
      public void onClose(ServerCall call) {
        if (call.procedure().equals(TestService.BLOB)) {
          long before = retransmissionsHandled(started.get().stats());
          Await.until(() -> retransmissionsHandled(started.get().stats()) > before);
        }
      }
    };
    try (RpcServer server = RpcServer.builder().addService(new TestService().definition())
            .duplicateRequestCache(16, 1024, Duration.ofMinutes(1)).intercept(holdTheReply)
            .build().start();
        RpcClient client = RpcClient.builder().address("127.0.0.1", server.port())
            .timeout(Duration.ofSeconds(60)).attemptTimeout(Duration.ofMillis(50)).build()) {
      started.set(server);
      assertArrayEquals(blob, client.call(TestService.BLOB, blob));
      assertEquals(0, server.stats().outcomeUnknownReplies(), server.stats().toString());
      assertEquals(0, client.stats().outcomeUnknown());
      assertEquals(1, client.stats().connects(), "one connection: every transmission went over it");
    }
  }

  /** Retransmissions the server dropped or refused: what a duplicate of a finished call meets. */
  private static long retransmissionsHandled(ServerStats stats) {
    return stats.duplicatesInProgressDropped() + stats.outcomeUnknownReplies();
  }
}
