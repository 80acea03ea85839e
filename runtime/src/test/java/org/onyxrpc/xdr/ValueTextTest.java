package org.onyxrpc.xdr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A generated exception's message: a server chose how long its fields are, and the message,
 * printed by logs and stack traces, stays short. Before, a 1 MiB opaque in an exception reply
 * made a message of about 4 MiB, built as the exception was decoded.
 */
class ValueTextTest {
  @Test
  void fieldsAreNamedWithTheirValues() {
    assertEquals("title=Dune, code=4, cells=[1, 2, 3], tags=[a, b], none=null",
        ValueText.describe("title", "Dune", "code", 4, "cells", new int[] {1, 2, 3}, "tags", List.of("a", "b"),
            "none", null));
  }

  @Test
  void longValuesAreCut() {
    String text = ValueText.describe("bytes", new byte[1 << 20], "list", Collections.nCopies(1 << 20, "x"),
        "text", "y".repeat(1 << 20), "nested", new Object[] {new long[1 << 20]});
    assertTrue(text.length() < 4 * (ValueText.MAX_CHARS + 40), text.length() + " characters: " + text);
    assertTrue(text.startsWith("bytes=[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, … (1048576 in all)], list=[x, x, "),
        text);
    assertTrue(text.contains(", text=" + "y".repeat(ValueText.MAX_CHARS) + "…, nested=[[0, 0, "), text);
  }

  @Test
  void aValueAtTheLimitIsWhole() {
    String exact = "z".repeat(ValueText.MAX_CHARS);
    assertEquals(exact, ValueText.of(exact));
    assertEquals(exact + "…", ValueText.of(exact + "z"));
  }
}
