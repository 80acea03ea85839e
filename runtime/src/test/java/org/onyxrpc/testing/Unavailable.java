package org.onyxrpc.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test does when a tool or a right it needs is missing (rpcgen, gcc, libtirpc, openssl,
 * root, port 111): it is skipped on a developer's machine, and fails under CI (environment
 * variable {@code CI} set and not "false"), so that a CI image that lost them cannot pass
 * silently. One meaning of "under CI" for every module's tests.
 */
public final class Unavailable {
  private Unavailable() {}

  /**
   * Whether {@code environment} says this is a CI run.
   *
   * @param environment the process's environment, or a test's stand-in for it
   * @return true if {@code CI} is set, not empty and not "false"
   */
  public static boolean underCi(Map<String, String> environment) {
    String ci = environment.get("CI");
    return ci != null && !ci.isEmpty() && !ci.equalsIgnoreCase("false");
  }

  /**
   * Whether this process runs under CI.
   *
   * @return {@link #underCi(Map)} of this process's environment
   */
  public static boolean underCi() {
    return underCi(System.getenv());
  }

  /**
   * Skips the test for {@code why}, or fails it for that under CI; returns only by throwing.
   *
   * @param why what is missing, and how to get it where that helps
   */
  public static void because(String why) {
    because(why, System.getenv());
  }

  /**
   * As {@link #because(String)}, with {@code environment} telling whether this is CI.
   *
   * @param why what is missing
   * @param environment the process's environment, or a test's stand-in for it
   */
  public static void because(String why, Map<String, String> environment) {
    if (underCi(environment)) {
      fail(why + " [required because CI=" + environment.get("CI") + "]");
    }
    Assumptions.abort(why);
  }
}
