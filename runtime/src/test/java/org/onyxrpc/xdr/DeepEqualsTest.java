package org.onyxrpc.xdr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The test helper the conformance checks lean on must see differences inside arrays. */
class DeepEqualsTest {
  record Inner(byte[] bytes, float f) {}

  record Outer(List<Inner> inners, int[] ints) {}

  @Test
  void equalContentPasses() {
    DeepEquals.assertDeepEquals(
        new Outer(List.of(new Inner(new byte[] {1}, Float.NaN)), new int[] {1, 2}),
        new Outer(List.of(new Inner(new byte[] {1}, Float.NaN)), new int[] {1, 2}));
  }

  @Test
  void differenceDeepInsideFailsWithItsPath() {
    AssertionFailedError e = assertThrows(AssertionFailedError.class, () ->
        DeepEquals.assertDeepEquals(
            new Outer(List.of(new Inner(new byte[] {1, 2}, 0f)), new int[] {1}),
            new Outer(List.of(new Inner(new byte[] {1, 3}, 0f)), new int[] {1})));
    assertEquals("value.inners[0].bytes[1] ==> expected: <2> but was: <3>", e.getMessage());
  }

  @Test
  void signedZerosDiffer() {
    assertThrows(AssertionFailedError.class,
        () -> DeepEquals.assertDeepEquals(new Inner(new byte[0], 0.0f), new Inner(new byte[0], -0.0f)));
  }
}
