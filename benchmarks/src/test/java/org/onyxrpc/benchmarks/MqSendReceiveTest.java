package org.onyxrpc.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.onyxrpc.client.IoStrategy;

/** The queue benchmark's setup, one operation and teardown work (JMH itself is never run here). */
@Timeout(30)
class MqSendReceiveTest {
  @Test
  void oneOperationAtEachSize() throws Exception {
    for (int size : new int[] {64, 8192}) {
      MqSendReceive bench = new MqSendReceive();
      bench.size = size;
      bench.io = IoStrategy.CALLER_RUNS;
      bench.start();
      try {
        assertEquals(size, bench.sendReceive().message().length);
      } finally {
        bench.stop();
      }
    }
  }
}
