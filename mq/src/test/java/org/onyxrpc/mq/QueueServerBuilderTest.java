package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The builder refuses a limit under 1 as it is set, naming the setting. */
class QueueServerBuilderTest {
  @Test
  void anIntLimitUnderOneIsRefused() {
    assertEquals("maxQueues must be positive: 0", assertThrows(IllegalArgumentException.class,
        () -> QueueServer.builder().maxQueues(0)).getMessage());
    assertEquals("maxHandlesPerClient must be positive: -3", assertThrows(IllegalArgumentException.class,
        () -> QueueServer.builder().maxHandlesPerClient(-3)).getMessage());
  }

  @Test
  void aLongLimitUnderOneIsRefused() {
    assertEquals("maxTotalBytes must be positive: 0", assertThrows(IllegalArgumentException.class,
        () -> QueueServer.builder().maxTotalBytes(0)).getMessage());
  }
}
