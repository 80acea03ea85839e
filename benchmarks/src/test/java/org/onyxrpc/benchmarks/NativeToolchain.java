package org.onyxrpc.benchmarks;

import java.util.List;
import java.util.Map;
import org.onyxrpc.testing.Unavailable;

/**
 * The C peers for tests: built, or the test skipped on a developer's machine without rpcgen, gcc
 * or libtirpc, but failed under CI (environment variable {@code CI} set and not "false"), so a CI
 * image that lost the toolchain cannot pass silently.
 */
final class NativeToolchain {
  private NativeToolchain() {}

  /** The built C peers, or an aborted (skipped) or failed test; see the class comment. */
  static CPeers peers() throws Exception {
    requireToolchain(System.getenv());
    return CPeers.build();
  }

  /** Returns when the toolchain is there; otherwise skips, or fails when {@code CI} says so. */
  static void requireToolchain(Map<String, String> environment) {
    List<String> missing = CPeers.missingTools(environment);
    if (missing.isEmpty()) {
      return;
    }
    Unavailable.because(CPeers.missingMessage(missing), environment);
  }
}
