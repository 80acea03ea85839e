package org.onyxrpc.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 5531 §9 auth_stat values (with RFC 2203's RPCSEC_GSS additions). */
class AuthStatusTest {
  @ParameterizedTest
  @CsvSource({
    "AUTH_OK, 0", "AUTH_BADCRED, 1", "AUTH_REJECTEDCRED, 2", "AUTH_BADVERF, 3",
    "AUTH_REJECTEDVERF, 4", "AUTH_TOOWEAK, 5", "AUTH_INVALIDRESP, 6", "AUTH_FAILED, 7",
    "AUTH_KERB_GENERIC, 8", "AUTH_TIMEEXPIRE, 9", "AUTH_TKT_FILE, 10", "AUTH_DECODE, 11",
    "AUTH_NET_ADDR, 12", "RPCSEC_GSS_CREDPROBLEM, 13", "RPCSEC_GSS_CTXPROBLEM, 14",
  })
  void wireValueBothWays(AuthStatus status, int value) {
    assertEquals(value, status.value());
    assertSame(status, AuthStatus.of(value));
  }

  @Test
  void everyStatusIsListedAbove() {
    assertEquals(15, AuthStatus.values().length);
  }

  @Test
  void undefinedValuesReadAsAuthFailed() {
    assertSame(AuthStatus.AUTH_FAILED, AuthStatus.of(15));
    assertSame(AuthStatus.AUTH_FAILED, AuthStatus.of(-1));
    assertSame(AuthStatus.AUTH_FAILED, AuthStatus.of(Integer.MAX_VALUE));
  }
}
