package org.onyxrpc.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.onyxrpc.cli.Onyx;

/**
 * {@code onyx compile} is idlc under the name the user typed: its help is idlc's options, not a
 * wrapper's one line. The command writes to the process's streams, as idlc does, so the test
 * lends it its own for the call.
 */
class CompileCommandTest {
  private record Run(int exit, String out, String err) {}

  private static Run onyx(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int exit = Onyx.run(args);
      return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
  }

  @Test
  void helpIsTheCompilersUsageAndOptions() {
    for (String help : new String[] {"--help", "-h"}) {
      Run r = onyx("compile", help);
      assertEquals(0, r.exit(), r.err());
      assertTrue(r.out().startsWith(
          "Usage: onyx compile [-o OUT] [-I DIR]... [-D NAME[=VALUE]]... [-U NAME]... [--prelude FILE]... FILE...\n"),
          r.out());
      for (String option : new String[] {"-o, --output DIR", "-I, --include DIR", "-D  NAME[=VALUE]", "-U  NAME",
          "--prelude FILE", "Commands (onyx compile COMMAND --help for each):\n  check-compat  ",
          "Exit status: 0 success, 1 errors in the input, 2 usage or I/O error."}) {
        assertTrue(r.out().contains(option), option + " in\n" + r.out());
      }
    }
  }

  /**
   * {@code onyx help compile} is {@code onyx compile --help}, and so for its subcommands. Fails
   * before: picocli's help command printed 'Usage: onyx compile' and a description, and for
   * {@code help compile check-compat} the same, the second word unread.
   */
  @Test
  void theHelpCommandGivesTheCompilersHelp() {
    Run help = onyx("help", "compile");
    assertEquals(0, help.exit(), help.err());
    assertEquals(onyx("compile", "--help").out(), help.out());
    Run compat = onyx("help", "compile", "check-compat");
    assertEquals(0, compat.exit(), compat.err());
    assertEquals(onyx("compile", "check-compat", "--help").out(), compat.out());
  }

  @Test
  void theSubcommandsHelpAndMistakesNameOnyxCompile() {
    Run compat = onyx("compile", "check-compat", "--help");
    assertEquals(0, compat.exit(), compat.err());
    assertTrue(compat.out().startsWith("Usage: onyx compile check-compat [--strict] [--verbose] [-I DIR]... OLD NEW\n"),
        compat.out());
    Run none = onyx("compile");
    assertEquals(2, none.exit());
    assertEquals("onyx compile: no input files\nTry 'onyx compile --help' for more information.\n", none.err());
    Run unknown = onyx("compile", "from-java", "--bogus");
    assertEquals(2, unknown.exit());
    assertEquals("onyx compile from-java: Unknown option: '--bogus'\n"
        + "Try 'onyx compile from-java --help' for more information.\n", unknown.err());
  }

  /** A missing input is told in idlc's words under the name typed, as onyx call tells it. */
  @Test
  void aMissingFileIsToldAsIdlcTellsIt() {
    Run r = onyx("compile", "no-such-input.idl");
    assertEquals(2, r.exit());
    assertEquals("onyx compile: cannot read no-such-input.idl: no such file\n", r.err());
  }
}
