package org.onyxrpc.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * "Under CI" means {@code CI} set, not empty and not "false", for every module's native tests:
 * the idl-compiler's and the two-hosts test's took only {@code CI=true}, and skipped where the
 * others failed.
 */
class UnavailableTest {
  @Test
  void anyCiValueButFalseMakesAMissingToolAFailure() {
    for (String ci : new String[] {"true", "1", "yes", "TRUE"}) {
      assertTrue(Unavailable.underCi(Map.of("CI", ci)), ci);
      AssertionFailedError failed = assertThrows(AssertionFailedError.class,
          () -> Unavailable.because("gcc missing", Map.of("CI", ci)));
      assertTrue(failed.getMessage().contains("gcc missing [required because CI=" + ci + "]"));
    }
  }

  @Test
  void withoutCiAMissingToolSkipsTheTest() {
    for (Map<String, String> environment : List.of(Map.<String, String>of(), Map.of("CI", ""),
        Map.of("CI", "false"), Map.of("CI", "False"))) {
      assertFalse(Unavailable.underCi(environment), environment.toString());
      assertThrows(TestAbortedException.class, () -> Unavailable.because("gcc missing", environment));
    }
  }
}
