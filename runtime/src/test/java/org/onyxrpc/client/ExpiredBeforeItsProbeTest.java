package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * A call whose deadline passes while it waits for the NULL ping that goes first (the tag probe:
 * a server slow to answer, as a single-threaded C server busy with another client's call, or a
 * connection still being set up) fails TIMEOUT, "not sent". It must then never be sent: before,
 * it went out when the ping's answer came, after its caller had been told it was not sent, and
 * the server ran it (a caller that tried again ran it twice). So for a call cancelled meanwhile.
 */
class ExpiredBeforeItsProbeTest {
  private static final int PROGRAM = 0x20000601;
  private static final Procedure<Long, Long> RECORD =
      new Procedure<>(PROGRAM, 1, 1, "Expired.record", XdrCodecs.HYPER, XdrCodecs.HYPER);
  /** Sent after the call, on the same connection: once the server has it, it has every copy. */
  private static final Procedure<Long, Long> MARKER =
      new Procedure<>(PROGRAM, 1, 2, "Expired.marker", XdrCodecs.HYPER, XdrCodecs.HYPER);

  private final PingHoldingServer server;

  ExpiredBeforeItsProbeTest() throws IOException {
    server = new PingHoldingServer(MARKER.number(), 2);
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = CallSemantics.class, names = {"AT_MOST_ONCE", "AT_LEAST_ONCE"})
  void aCallThatExpiredWaitingForItsProbeIsNeverSent(CallSemantics semantics) throws Exception {
    ManualTimer clock = new ManualTimer();
    try (RpcClient client = client(clock)) {
      CompletableFuture<Long> call = client.callAsync(RECORD, 1L,
          CallOptions.DEFAULT.withSemantics(semantics).withDeadline(Duration.ofMillis(300)));
      assertTrue(server.pingRead.await(1, TimeUnit.MINUTES));
      clock.advance(Duration.ofMillis(301)); // past the call's deadline, within the ping's
      ExecutionException failed = assertThrows(ExecutionException.class,
          () -> call.get(1, TimeUnit.MINUTES));
      RpcException e = assertInstanceOf(RpcException.class, failed.getCause());
      assertEquals(RpcStatus.TIMEOUT, e.status(), e::toString);
      assertTrue(e.getMessage().contains("not sent"), e::getMessage);
      assertOnlyMarkersRunOnceThePingIsAnswered(client, semantics);
    }
  }

  /** The same for a call its caller cancelled while it waited. */
  @ParameterizedTest(name = "{0}")
  @EnumSource(value = CallSemantics.class, names = {"AT_MOST_ONCE", "AT_LEAST_ONCE"})
  void aCallCancelledWhileItWaitsForItsProbeIsNeverSent(CallSemantics semantics) throws Exception {
    try (RpcClient client = client(new ManualTimer())) {
      CompletableFuture<Long> call = client.callAsync(RECORD, 1L,
          CallOptions.DEFAULT.withSemantics(semantics));
      assertTrue(server.pingRead.await(1, TimeUnit.MINUTES));
      assertTrue(call.cancel(true));
      assertOnlyMarkersRunOnceThePingIsAnswered(client, semantics);
    }
  }

  private RpcClient client(ManualTimer clock) {
    return RpcClient.builder().address("127.0.0.1", server.port())
        .timer(clock).timeout(Duration.ofSeconds(100)).attemptTimeout(Duration.ofSeconds(10)).build();
  }

  private void assertOnlyMarkersRunOnceThePingIsAnswered(RpcClient client, CallSemantics semantics)
      throws Exception {
    server.answerPing.countDown();
    for (int i = 0; i < 2; i++) {
      assertEquals(2L, client.callAsync(MARKER, 2L, CallOptions.DEFAULT.withSemantics(semantics))
          .get(1, TimeUnit.MINUTES));
    }
    assertTrue(server.markerRead.await(1, TimeUnit.MINUTES));
    assertEquals(List.of(MARKER.number(), MARKER.number()), server.seen, "the calls the server ran");
  }
}
