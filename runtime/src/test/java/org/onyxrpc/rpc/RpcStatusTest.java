package org.onyxrpc.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 5531 §9 accept_stat and reject_stat values, and the local outcomes beside them. */
class RpcStatusTest {
  @ParameterizedTest
  @CsvSource({
    "SUCCESS, ACCEPTED, 0", "PROG_UNAVAIL, ACCEPTED, 1", "PROG_MISMATCH, ACCEPTED, 2",
    "PROC_UNAVAIL, ACCEPTED, 3", "GARBAGE_ARGS, ACCEPTED, 4", "SYSTEM_ERR, ACCEPTED, 5",
    "RPC_MISMATCH, DENIED, 0", "AUTH_ERROR, DENIED, 1",
    "TIMEOUT, LOCAL, -1", "UNAVAILABLE, LOCAL, -1", "CANCELLED, LOCAL, -1",
    "RESOURCE_EXHAUSTED, LOCAL, -1", "INTERNAL, LOCAL, -1", "OUTCOME_UNKNOWN, LOCAL, -1",
  })
  void kindAndWireValue(RpcStatus status, RpcStatus.Kind kind, int wireValue) {
    assertEquals(kind, status.kind());
    assertEquals(wireValue, status.wireValue());
  }

  @Test
  void everyStatusIsListedAbove() {
    assertEquals(14, RpcStatus.values().length);
  }

  @Test
  void acceptedLooksUpByWireValue() {
    for (RpcStatus status : RpcStatus.values()) {
      if (status.kind() == RpcStatus.Kind.ACCEPTED) {
        assertSame(status, RpcStatus.accepted(status.wireValue()));
      }
    }
    assertNull(RpcStatus.accepted(6));
    assertNull(RpcStatus.accepted(-1));
    assertNull(RpcStatus.accepted(Integer.MIN_VALUE));
  }
}
