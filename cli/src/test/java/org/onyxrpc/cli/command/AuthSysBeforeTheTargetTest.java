package org.onyxrpc.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onyxrpc.cli.command.CommandRun.onyx;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --auth-sys} takes an optional UID:GID, and the usage lines put options before the target
 * ({@code onyx mq list [--stats] [--json] [--auth-sys [UID:GID]] HOST[:PORT]}). Before, written so,
 * it took the target as its ids: {@code onyx mq list --auth-sys localhost:4714} said "Missing
 * required parameter: 'HOST[:PORT]|unix:PATH'", exit 2, and call, ping and list the same.
 */
class AuthSysBeforeTheTargetTest {
  @TempDir
  Path dir;

  /** A loopback port where nothing listens: the command gets as far as calling, and is refused. */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Test
  void aTargetAfterAValuelessAuthSysIsTheTarget() throws IOException {
    String at = "127.0.0.1:" + closedPort();
    Path idl = Files.writeString(dir.resolve("calc.idl"),
        "package a.b;\n@program(0x20000101)\nservice Calc { version 1 { int add(int a, int b) = 1; } }\n");
    for (String[] args : new String[][] {
        {"call", "--auth-sys", at, "Calc.add", "--idl", idl.toString(), "-d", "{\"a\":1,\"b\":2}"},
        {"ping", "--auth-sys", at, "0x20000101", "1"},
        {"list", "--auth-sys", at},
        {"mq", "list", "--stats", "--auth-sys", at}}) {
      CommandRun run = onyx(args);
      assertEquals(4, run.exit(), String.join(" ", args) + ": " + run);
      assertTrue(run.out().contains("UNAVAILABLE") && run.out().contains(at),
          String.join(" ", args) + ": " + run);
    }
  }

  @Test
  void idsAfterAuthSysAreStillItsValue() throws IOException {
    String at = "127.0.0.1:" + closedPort();
    for (String[] args : new String[][] {
        {"list", "--auth-sys", "1001:100", at},
        {"list", "--auth-sys", "1001:100:7,8", at},
        {"list", "--auth-sys", "1001", at},
        {"list", "--auth-sys=1001:100", at},
        {"list", at, "--auth-sys"}}) {
      CommandRun run = onyx(args);
      assertEquals(4, run.exit(), String.join(" ", args) + ": " + run);
    }
    CommandRun bad = onyx("list", "--auth-sys=1001:x:", at);
    assertEquals(2, bad.exit(), bad.toString());
    assertEquals("onyx list: --auth-sys expects UID:GID[:GID,…] in decimal, got 1001:x:\n"
        + "Try 'onyx list --help' for more information.\n", bad.err());
  }
}
