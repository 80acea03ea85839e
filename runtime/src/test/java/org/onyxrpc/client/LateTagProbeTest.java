package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * A retransmitting call waits for the NULL ping that asks whether its server filters duplicates
 * (the tag probe). When the call's first attempt timeout passes before the ping is answered but
 * within the ping's own deadline, the call must still go out once when the answer comes: to a
 * server that knows nothing of tags, as a C server, a second transmission of an at-most-once call
 * runs it again. Before: each attempt timeout spent waiting added another wait on the same ping,
 * and each sent the call (uncounted as a retransmission).
 */
class LateTagProbeTest {
  private static final int PROGRAM = 0x20000600;
  private static final Procedure<Long, Long> RECORD =
      new Procedure<>(PROGRAM, 1, 1, "Late.record", XdrCodecs.HYPER, XdrCodecs.HYPER);
  /** Sent after the call, on the same connection: once the server has it, it has every copy. */
  private static final Procedure<Long, Long> MARKER =
      new Procedure<>(PROGRAM, 1, 2, "Late.marker", XdrCodecs.HYPER, XdrCodecs.HYPER);

  private final PingHoldingServer server;

  LateTagProbeTest() throws IOException {
    server = new PingHoldingServer(MARKER.number(), 1);
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  @Test
  void anAtMostOnceCallIsSentOnceWhenItsProbeIsAnsweredAfterItsAttemptTimeout() throws Exception {
    // The call's first attempt timeout falls, jittered, anywhere in 0.8 s to 1.2 s; the ping's
    // deadline is 1 s: the clock is moved to just before that, so in about half of the rounds the
    // call's timer has fired while it waited. Twenty rounds make a round without it unlikely.
    for (int round = 0; round < 20; round++) {
      server.reset(1);
      ManualTimer clock = new ManualTimer();
      try (RpcClient client = RpcClient.builder().address("127.0.0.1", server.port())
          .timer(clock).timeout(Duration.ofSeconds(100)).attemptTimeout(Duration.ofSeconds(1)).build()) {
        CompletableFuture<Long> call = client.callAsync(RECORD, 1L,
            CallOptions.DEFAULT.withSemantics(CallSemantics.AT_MOST_ONCE));
        assertTrue(server.pingRead.await(1, TimeUnit.MINUTES));
        clock.advance(Duration.ofMillis(999));
        server.answerPing.countDown();
        assertEquals(1L, call.get(1, TimeUnit.MINUTES));
        assertEquals(2L, client.callAsync(MARKER, 2L, CallOptions.DEFAULT.withSemantics(CallSemantics.MAYBE))
            .get(1, TimeUnit.MINUTES));
        assertTrue(server.markerRead.await(1, TimeUnit.MINUTES));
        assertEquals(List.of(RECORD.number(), MARKER.number()), server.seen, "round " + round);
        assertEquals(0, client.stats().retransmissions());
      }
    }
  }
}
