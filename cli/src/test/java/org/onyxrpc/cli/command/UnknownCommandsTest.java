package org.onyxrpc.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onyxrpc.cli.command.CommandRun.onyx;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A word that is no command of onyx, or no subcommand of one: said to be none, with the nearest
 * and the list, on stderr with the status of a bad command line; and onyx alone, and help.
 */
class UnknownCommandsTest {
  private static final String COMMANDS = "onyx: the commands are call, list, watch, ping, describe, directory, mq, compile, generate-completion, help\n";

  @Test
  void noCommandShowsTheUsageOnStderrAndFails() {
    CommandRun r = onyx();
    assertEquals(2, r.exit());
    assertEquals("", r.out());
    assertTrue(r.err().startsWith("Usage: onyx [-hV] [COMMAND]\n"), r.err());
    assertTrue(r.err().contains("\n  call "), r.err());
  }

  @Test
  void helpIsACommandToo() {
    CommandRun r = onyx("help", "call");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().startsWith("Usage: onyx call "), r.out());
    CommandRun all = onyx("help");
    assertEquals(0, all.exit(), all.err());
    assertTrue(all.out().startsWith("Usage: onyx [-hV] [COMMAND]"), all.out());
  }

  /**
   * {@code onyx help mq list} is {@code onyx mq list --help}. Fails before: picocli's help command
   * read only "mq" and printed mq's usage ('Usage: onyx mq [-hV] [--bind=ADDRESS]…').
   */
  @Test
  void helpNamesASubcommandToo() {
    CommandRun r = onyx("help", "mq", "list");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().startsWith("Usage: onyx mq list "), r.out());
    assertEquals(onyx("mq", "list", "--help").out(), r.out());
    CommandRun unknown = onyx("help", "nope");
    assertEquals(2, unknown.exit());
    assertTrue(unknown.err().startsWith("onyx: 'nope' is not an onyx command"), unknown.err());
    CommandRun deeper = onyx("help", "mq", "nope");
    assertEquals(2, deeper.exit());
    assertEquals("onyx help: onyx mq has no command 'nope': onyx mq --help lists its own\n", deeper.err());
  }

  @Test
  void aMistypedCommandGetsASuggestion() {
    CommandRun r = onyx("cal");
    assertEquals(2, r.exit());
    assertEquals("onyx: 'cal' is not an onyx command\n"
        + "Did you mean: onyx call?\n"
        + COMMANDS
        + "Try 'onyx --help' for more information.\n", r.err());
  }

  /**
   * Before: "onyx: Unmatched argument at index 0: 'bogus'", which said nothing of commands, and
   * "onyx bogus list" told of list's missing HOST, past the word that was wrong.
   */
  @Test
  void aWordThatIsNoCommandIsSaidToBeNoneAndTheCommandsListed() {
    for (String[] args : List.of(new String[] {"bogus"}, new String[] {"bogus", "list"},
        new String[] {"bogus", "localhost", "--json"})) {
      CommandRun r = onyx(args);
      assertEquals(2, r.exit(), r.toString());
      assertEquals("onyx: 'bogus' is not an onyx command\n" + COMMANDS
          + "Try 'onyx --help' for more information.\n", r.err(), String.join(" ", args));
      assertEquals("", r.out());
    }
  }

  /**
   * "onyx mq lsit" (mq42's walk): before, picocli's "Unmatched argument at index 1: 'lsit'", with
   * no suggestion (its similarity finds none for two letters swapped) and no word of list.
   */
  @Test
  void aWordThatIsNoSubcommandIsSaidToBeNoneAndTheSubcommandsListed() {
    CommandRun r = onyx("mq", "lsit", "localhost:4711");
    assertEquals(2, r.exit(), r.toString());
    assertEquals("onyx mq: 'lsit' is not a subcommand of onyx mq\nDid you mean: onyx mq list?\n"
        + "onyx mq: its subcommands are list\nTry 'onyx mq --help' for more information.\n", r.err());
    r = onyx("mq", "bogus");
    assertEquals(2, r.exit(), r.toString());
    assertEquals("onyx mq: 'bogus' is not a subcommand of onyx mq\n"
        + "onyx mq: its subcommands are list\nTry 'onyx mq --help' for more information.\n", r.err());
    assertEquals("", r.out());
  }

  /**
   * "onyx health", as the README's health section suggests to someone who read its title: before,
   * picocli's "Did you mean: onyx help?", which sends them to the usage, where health is not a
   * command either. Now the command that asks it.
   */
  @Test
  void healthIsNotACommandAndSaysWhichOneAsksIt() {
    CommandRun r = onyx("health", "localhost:4711");
    assertEquals(2, r.exit());
    assertEquals("onyx: 'health' is not an onyx command\n"
        + "onyx: a server's health service is asked with: onyx ping HOST[:PORT] PROGRAM|NAME --health\n"
        + COMMANDS
        + "Try 'onyx --help' for more information.\n", r.err());
  }

  /**
   * "onyx check-compat", as a newcomer types the check idl-compiler/README.md names (idlc
   * check-compat): before, "Did you mean: onyx compile?", whose help does not show that compile
   * runs idlc's check-compat and from-java.
   */
  @Test
  void idlcsSubcommandsAreNamedUnderCompile() {
    CommandRun r = onyx("check-compat", "old", "new");
    assertEquals(2, r.exit());
    assertEquals("onyx: 'check-compat' is not an onyx command\n"
        + "onyx: idlc's check-compat is run as: onyx compile check-compat [--strict] [--verbose] [-I DIR]... OLD NEW"
        + " (onyx compile check-compat --help)\n"
        + COMMANDS
        + "Try 'onyx --help' for more information.\n", r.err());
    CommandRun fromJava = onyx("from-java", "src");
    assertEquals(2, fromJava.exit());
    assertTrue(fromJava.err().contains("onyx: idlc's from-java is run as: onyx compile from-java ..."
        + " (onyx compile from-java --help)\n"), fromJava.err());
  }
}
