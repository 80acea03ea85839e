package org.onyxrpc.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;

/**
 * The leak check itself, as the build configures it (every buffer tracked, no access records):
 * a buffer dropped without release fails the test that dropped it, and the report names where
 * the buffer was allocated.
 */
class LeakDetectionTest {
  @Test
  void aBufferDroppedWithoutReleaseIsReportedWithItsAllocation() throws Exception {
    ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    try {
      LeakDetection detection = new LeakDetection();
      detection.afterEach(null); // whatever an earlier test left is not this test's
      allocateAndDrop();
      AssertionError e = assertThrows(AssertionError.class, () -> detection.afterEach(null));
      assertTrue(e.getMessage().contains("never released"), e.getMessage());
      assertTrue(e.getMessage().contains("allocateAndDrop"), e.getMessage());
    } finally {
      ResourceLeakDetector.setLevel(level);
    }
  }

  private static void allocateAndDrop() {
    PooledByteBufAllocator.DEFAULT.directBuffer(64).writeLong(42);
  }
}
