package org.onyxrpc.idl;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.onyxrpc.testing.Unavailable;

/**
 * rpcgen, gcc and libtirpc's headers, which the differential tests hold the compiler against.
 * Missing under CI they fail the test ({@link Unavailable}): there they must be installed.
 */
final class NativeToolchain {
  private NativeToolchain() {}

  /** Whether rpcgen, gcc and libtirpc's headers are there. */
  static boolean present() {
    return onPath("rpcgen") && onPath("gcc")
        && Files.isRegularFile(RpcgenCodecs.TIRPC_INCLUDE.resolve("rpc/rpc.h"));
  }

  /** Aborts the test unless rpcgen, gcc and libtirpc's headers are there (fails it under CI). */
  static void require() {
    if (!present()) {
      Unavailable.because("rpcgen, gcc or libtirpc-dev missing");
    }
  }

  /** Aborts the test unless rpcgen is on the PATH (fails it under CI). */
  static void requireRpcgen() {
    if (!onPath("rpcgen")) {
      Unavailable.because("rpcgen is not installed");
    }
  }

  /** Fails the test under CI, where {@code tools} must be installed. */
  static void failUnderCi(String tools) {
    assertFalse(Unavailable.underCi(), tools + " must be installed in CI");
  }

  private static boolean onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }
}
