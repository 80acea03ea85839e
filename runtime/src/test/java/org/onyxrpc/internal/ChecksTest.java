package org.onyxrpc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The builders' checks of an int setting keep it an int, with the message of the long one. */
class ChecksTest {
  @Test
  void aPositiveIntIsKeptAsAnInt() {
    int kept = Checks.positive(7, "maxQueues");
    assertEquals(7, kept);
  }

  @Test
  void zeroAndBelowAreRefusedWithTheSettingsName() {
    assertEquals("maxQueues must be positive: 0",
        assertThrows(IllegalArgumentException.class, () -> Checks.positive(0, "maxQueues")).getMessage());
    assertEquals("maxMessages must be positive: -1",
        assertThrows(IllegalArgumentException.class, () -> Checks.positive(-1L, "maxMessages")).getMessage());
  }
}
