package org.onyxrpc.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onyxrpc.cli.command.CommandRun.onyx;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.UniversalAddress;
import org.onyxrpc.directory.rpcbind.DirectoryServer;

/**
 * What a directory lists was chosen by whoever registered it: any local process may SET a
 * {@code local} entry whose address (a socket path) holds a newline and a line of its own, or
 * name a service with a terminal's escape sequences. {@code onyx list}, {@code watch} and
 * {@code ping}'s suggestion print one line per entry, its control characters escaped. Before, a
 * registrant wrote rows of its own into the listing (seen by hand: an rpcbind SET over TCP from
 * loopback, then {@code onyx list}), and coloured or moved the terminal.
 */
class RegistrantsTextTest {
  private static final String FORGED = "536871169  1  tcp  127.0.0.1:4711  superuser  -  org.example.Trusted";
  private static final ServiceInstance PATH = new ServiceInstance("", 0x20001234, 1, "local",
      "/tmp/a\n" + FORGED, "unknown");
  private static final ServiceInstance NAMED = new ServiceInstance("\u001b[2J\u001b[31mred\n" + FORGED
      + ".Notes", 0x20001235, 1, "tcp", UniversalAddress.format(new InetSocketAddress("127.0.0.1", 4712)),
      "unknown");

  /** A directory of its own, not the process's embedded one that other tests list. */
  private static DirectoryServer directory() throws Exception {
    return DirectoryServer.builder().port(0).directory(new LocalDirectory(new InMemoryDirectoryStore()))
        .build().start();
  }

  private static void oneLineEach(CommandRun run) {
    assertTrue(run.out().lines().noneMatch(line -> line.startsWith(FORGED) || line.contains("\u001b")),
        run.out());
  }

  @Test
  void listPrintsEachEntryOnOneLineEscaped() throws Exception {
    try (DirectoryServer directory = directory()) {
      directory.directory().register(PATH, Duration.ofMinutes(1));
      directory.directory().register(NAMED, Duration.ofMinutes(1));
      String at = "127.0.0.1:" + directory.port();
      CommandRun full = onyx("list", at);
      assertEquals(0, full.exit(), full.out());
      oneLineEach(full);
      assertTrue(full.out().contains("/tmp/a\\x0a" + FORGED), full.out());
      assertTrue(full.out().contains("\\x1b[2J\\x1b[31mred\\x0a" + FORGED + ".Notes"), full.out());
      CommandRun brief = onyx("list", at, "-s");
      assertEquals(0, brief.exit(), brief.out());
      oneLineEach(brief);
      assertTrue(brief.out().contains("\\x1b[2J\\x1b[31mred\\x0a"), brief.out());
    }
  }

  @Test
  void watchPrintsEachChangeOnOneLineEscaped() throws Exception {
    try (DirectoryServer directory = directory()) {
      directory.directory().register(PATH, Duration.ofMinutes(1));
      directory.directory().register(NAMED, Duration.ofMinutes(1));
      CommandRun run = onyx("watch", "127.0.0.1:" + directory.port(), "--count", "1");
      assertEquals(0, run.exit(), run.out());
      oneLineEach(run);
      assertTrue(run.out().contains(" local /tmp/a\\x0a" + FORGED + " superuser -"), run.out());
    }
  }

  @Test
  void pingsSuggestionIsEscaped() throws Exception {
    try (DirectoryServer directory = directory()) {
      directory.directory().register(NAMED, Duration.ofMinutes(1));
      // "notes": another case than the name's last part, which is suggested, not taken
      CommandRun run = onyx("ping", "127.0.0.1:" + directory.port(), "notes");
      assertFalse(run.exit() == 0, run.out());
      oneLineEach(run);
      // In the message of a JSON error: the escape's backslash is JSON's to escape too.
      assertTrue(run.out().contains("did you mean \\\\x1b[2J"), run.out());
    }
  }
}
