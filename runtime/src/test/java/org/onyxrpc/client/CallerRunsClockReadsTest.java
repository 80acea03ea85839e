package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.testing.TestService;

/**
 * How often a caller-runs sync call reads the client's clock, once its connection is busy: each
 * read is a clock_gettime on the call's path, which the selector-waiting socket client it is
 * measured against (issue 11) does not pay.
 */
class CallerRunsClockReadsTest {
  private static final CallOptions MAYBE = CallOptions.DEFAULT.withSemantics(CallSemantics.MAYBE);

  /**
   * Three reads a call: its deadline (RpcClient.start), its timer (a clock of its own is not the
   * caller's timed wait, so the call is armed; with the real clock it is not) and the caller's
   * first wait, which must see what connecting and writing took of the budget. The look for a
   * server's close before the call is written takes the start's reading, microseconds old;
   * before, it read the clock again (four a call). Before that, the reader read it once more at
   * every read that brought bytes.
   */
  @Test
  void aSyncCallOnABusyConnectionReadsTheClockThreeTimes() throws Exception {
    CountingTimer clock = new CountingTimer();
    TestService service = new TestService();
    try (RpcServer server = RpcServer.builder().addService(service.definition()).build().start();
        RpcClient client = RpcClient.builder().address("127.0.0.1", server.port())
            .timeout(Duration.ofMinutes(1)).ioStrategy(IoStrategy.CALLER_RUNS).timer(clock)
            .build()) {
      for (int i = 0; i < 20; i++) { // connected, and busy: read from within the quiet time
        assertEquals("warm " + i, client.call(TestService.ECHO, "warm " + i, MAYBE));
      }
      int calls = 100;
      long before = clock.reads.get();
      for (int i = 0; i < calls; i++) {
        assertEquals("call " + i, client.call(TestService.ECHO, "call " + i, MAYBE));
      }
      assertEquals(3 * calls, clock.reads.get() - before);
    }
  }
}
