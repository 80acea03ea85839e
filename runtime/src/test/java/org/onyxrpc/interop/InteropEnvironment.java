package org.onyxrpc.interop;

import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.onyxrpc.testing.Unavailable;

/**
 * What the machine must have for an interop test (rpcgen, gcc and libtirpc's headers; IPv6 on
 * loopback; root), or the test is skipped on a developer's machine and failed under CI
 * (environment variable {@code CI} set), so that a CI image that lost one cannot pass silently.
 */
final class InteropEnvironment {
  /** libtirpc's headers, which the C peers are compiled against. */
  static final Path TIRPC_INCLUDE = Path.of("/usr/include/tirpc");

  private InteropEnvironment() {}

  /** rpcgen, gcc and libtirpc's headers, or skips/fails naming the missing ones. */
  static void requireToolchain() {
    List<String> missing = new ArrayList<>();
    for (String tool : List.of("rpcgen", "gcc")) {
      if (!onPath(tool)) {
        missing.add(tool);
      }
    }
    if (!Files.isRegularFile(TIRPC_INCLUDE.resolve("rpc/rpc.h"))) {
      missing.add(TIRPC_INCLUDE.resolve("rpc/rpc.h") + " (libtirpc-dev)");
    }
    if (missing.isEmpty()) {
      return;
    }
    Unavailable.because("interop tests need rpcgen, gcc and libtirpc; missing " + missing
        + ". On Debian: apt-get install rpcsvc-proto gcc libtirpc-dev (as .ci/run does)");
  }

  /**
   * {@code ::1}, once a UDP socket could be bound there: a machine without IPv6 on loopback skips
   * the IPv6 tests, and fails them under CI like a missing tool.
   */
  static InetAddress ipv6Loopback() throws IOException {
    InetAddress loopback = InetAddress.getByName("::1");
    try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
      return loopback;
    } catch (SocketException e) {
      Unavailable.because("IPv6 interop tests need ::1; binding it failed: " + e.getMessage());
      return loopback; // not reached: Unavailable.because throws
    }
  }

  /**
   * The C client's "credentials" mode gives itself 20 supplementary groups (setgroups), which
   * needs root: skipped elsewhere, failed under CI like a missing tool.
   */
  static void requireRoot() throws IOException {
    Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    if (!Integer.valueOf(0).equals(uid)) {
      Unavailable.because("the C client's credentials mode calls setgroups, which needs root; uid " + uid);
    }
  }

  private static boolean onPath(String tool) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }
}
