package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.testing.TestService;

/**
 * How often an event-loop client reads its clock for an async call that may be retransmitted,
 * the call of 64 outstanding on a connection: twice, its deadline (RpcClient.start) and, on the
 * loop, the time its first attempt times out, which its timer is armed for. Before, the loop read
 * it three times: for the attempt's timeout, again to arm the timer, and again as it was sent.
 */
class RetransmittedCallClockReadsTest {
  private static final CallOptions AT_LEAST_ONCE =
      CallOptions.DEFAULT.withSemantics(CallSemantics.AT_LEAST_ONCE);

  @Test
  void anAsyncRetransmittedCallReadsTheClockTwice() throws Exception {
    CountingTimer clock = new CountingTimer();
    TestService service = new TestService();
    try (RpcServer server = RpcServer.builder().addService(service.definition()).build().start();
        RpcClient client = RpcClient.builder().address("127.0.0.1", server.port())
            .timeout(Duration.ofMinutes(1)).ioStrategy(IoStrategy.EVENT_LOOP).timer(clock)
            .build()) {
      for (int i = 0; i < 20; i++) { // connected, and the server known to filter duplicates
        assertEquals("warm " + i, client.callAsync(TestService.ECHO, "warm " + i, AT_LEAST_ONCE)
            .get(1, TimeUnit.MINUTES));
      }
      int calls = 100;
      long before = clock.reads.get();
      for (int i = 0; i < calls; i++) {
        assertEquals("call " + i, client.callAsync(TestService.ECHO, "call " + i, AT_LEAST_ONCE)
            .get(1, TimeUnit.MINUTES));
      }
      assertEquals(2 * calls, clock.reads.get() - before);
    }
  }
}
