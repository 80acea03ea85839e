package org.onyxrpc.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CpuPlacementTest {
  private static final String PROPERTY = "onyx.bench.cpus.test-role";

  @AfterEach
  void clear() {
    System.clearProperty(PROPERTY);
  }

  @Test
  void unsetRunsWhereverTheSchedulerPutsIt() {
    assertEquals(List.of(), CpuPlacement.prefix("test-role"));
  }

  @Test
  void aCpuListPinsThroughTaskset() {
    System.setProperty(PROPERTY, " 0-1 ");
    assertEquals(List.of("taskset", "-c", "0-1"), CpuPlacement.prefix("test-role"));
    System.setProperty(PROPERTY, "1,3");
    assertEquals(List.of("taskset", "-c", "1,3"), CpuPlacement.prefix("test-role"));
  }

  @Test
  void anythingElseIsRefusedByName() {
    System.setProperty(PROPERTY, "0; rm -rf /");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CpuPlacement.prefix("test-role"));
    assertTrue(e.getMessage().contains(PROPERTY), e.getMessage());
  }
}
