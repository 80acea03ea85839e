package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The default budget for buffered bytes leaves half of a small direct memory to the rest. */
class DefaultBufferBudgetTest {
  @Test
  void theDefaultBufferBudgetsLeaveHalfOfASmallDirectMemory() {
    assertEquals(64L << 20, ServerDefaults.defaultMaxBufferedBytes(256L << 20));
    assertEquals(RpcServerBuilder.DEFAULT_MAX_BUFFERED_BYTES,
        ServerDefaults.defaultMaxBufferedBytes(8L << 30));
    assertEquals(RpcServerBuilder.DEFAULT_MAX_BUFFERED_BYTES,
        ServerDefaults.defaultMaxBufferedBytes(-1)); // unknown
  }
}
