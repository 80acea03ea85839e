package org.onyxrpc.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onyxrpc.cli.command.CommandRun.onyx;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.idl.cli.Idlc;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;

/**
 * A mistake on the command line is told in one line and a pointer to {@code --help}, as idlc
 * tells it, not buried under the whole usage; a failed call's JSON says each thing once.
 */
class CommandLineErrorsTest {
  private static final String TRY_CALL = "Try 'onyx call --help' for more information.\n";
  private static final String TRY_PING = "Try 'onyx ping --help' for more information.\n";
  private static final String TRY_DIRECTORY = "Try 'onyx directory --help' for more information.\n";

  @Test
  void aMissingOptionIsOneLineAndWhereToLook() {
    CommandRun r = onyx("call", "localhost:4711", "Calculator.add");
    assertEquals(2, r.exit());
    assertEquals("onyx call: Missing required option: '--idl=FILE'\n"
        + "Try 'onyx call --help' for more information.\n", r.err());
    assertEquals("", r.out());
  }

  /** Before: "onyx list: Missing required parameter: 'HOST[:PORT]|unix:PATH'", and nothing of --jsn. */
  @Test
  void everyCommandsVersionOptionPrintsTheVersion() {
    // Each command's usage offers -V and --version: picocli prints a subcommand's own version,
    // which was empty, so 'onyx call -V' printed nothing at all and exited 0.
    for (String command : List.of("call", "list", "watch", "ping", "describe", "directory", "mq")) {
      for (String option : List.of("-V", "--version")) {
        CommandRun run = onyx(command, option);
        assertEquals(0, run.exit(), command + " " + option + ": " + run);
        assertTrue(run.out().startsWith("onyx "), command + " " + option + ": " + run);
      }
    }
  }

  /** Before, list, watch, call and mq list told of ping's NAME under --rpcbind-port. */
  @Test
  void theSharedRpcbindPortHelpSpeaksOfNoOtherCommand() {
    for (List<String> command : List.of(List.of("list"), List.of("watch"), List.of("call"),
        List.of("mq", "list"), List.of("ping"))) {
      List<String> args = new java.util.ArrayList<>(command);
      args.add("--help");
      String help = onyx(args.toArray(String[]::new)).out().replaceAll("\\s+", " ");
      assertTrue(help.contains("--rpcbind-port=PORT Port of the directory (or rpcbind) on the host,"
          + " asked when HOST has no port (default: 111)."), command + ": " + help);
      assertFalse(help.contains("ping also asks"), command + ": " + help);
    }
  }

  /**
   * Before, the one --transport text of every client command told list, watch and mq list how call
   * and ping use unix with a HOST, and told call, ping and mq list how list and watch do not.
   */
  @Test
  void theSharedTransportHelpSaysOnlyWhatAppliesToEachCommand() {
    String toServer = "--transport=tcp|udp|unix Transport to call over: tcp, udp or unix (default: tcp, unix for a"
        + " unix:PATH target). With unix, a HOST and no port: the Unix socket the host's directory has for the"
        + " program (netid local).";
    String toDirectory = "--transport=tcp|udp|unix Transport to ask the directory over: tcp or udp (default: tcp)."
        + " Its Unix socket is asked as unix:PATH, not as a HOST.";
    String toQueues = "--transport=tcp|udp|unix Transport to call the queue server over: tcp or unix, it takes"
        + " no UDP calls (default: tcp, unix for a unix:PATH target). With unix, a HOST and no port: the Unix"
        + " socket the host's directory has for the queue service (netid local).";
    Map<List<String>, String> expected = Map.of(List.of("call"), toServer, List.of("ping"), toServer,
        List.of("list"), toDirectory, List.of("watch"), toDirectory, List.of("mq", "list"), toQueues);
    expected.forEach((command, text) -> {
      List<String> args = new java.util.ArrayList<>(command);
      args.add("--help");
      String help = onyx(args.toArray(String[]::new)).out().replaceAll("\\s+", " ")
          .replace("unix: PATH", "unix:PATH"); // picocli may wrap the line after "unix:"
      assertTrue(help.contains(text), command + ": " + help);
      for (String other : List.of("call and ping", "list and watch", "queue server", "directory over")) {
        if (!text.contains(other)) {
          assertFalse(help.contains(other), command + " tells of '" + other + "': " + help);
        }
      }
    });
    // the option still sets the transport: list refuses unix with a HOST, mq list refuses udp
    assertTrue(onyx("list", "--transport", "unix", "localhost").err().contains("--transport unix"));
    assertTrue(onyx("mq", "list", "--transport", "udp", "localhost:1").err()
        .contains("the queue service takes no UDP calls"));
  }

  @Test
  void theHelpGivesAnUnreadableIdlFileTheStatusItGets() {
    // The exit-status list said 1 for an IDL file that cannot be read, while the command exits 2.
    CommandRun missing = onyx("call", "--idl", "no-such-input.idl", "localhost:4711", "Calc.add");
    String help = onyx("call", "--help").out().replaceAll("\\s+", " ");
    assertTrue(help.contains(" " + missing.exit() + " bad command line, an --idl, --prelude or -d @file that"
        + " cannot be read"), help);
    assertFalse(help.contains("IDL file cannot be read"), help);
  }

  /**
   * An unknown procedure exits 2 from call, an unreadable file 2 from describe; their --help
   * lists left those cases out (call's said "bad JSON, or a value that does not fit its type",
   * describe's "bad command line or unknown service"), while the README's table names them.
   */
  @Test
  void theHelpNamesAnUnknownProcedureAndAnUnreadableFileUnderTheirStatus(@TempDir Path dir) throws Exception {
    Path idl = dir.resolve("calc.idl");
    Files.writeString(idl, "package p; @program(0x20000101) service Calc { version 1 { hyper add(hyper a) = 1; } }\n");
    CommandRun unknown = onyx("call", "--idl", idl.toString(), "localhost:4711", "Calc.nope");
    assertEquals(2, unknown.exit(), unknown.err());
    String callHelp = onyx("call", "--help").out().replaceAll("\\s+", " ");
    assertTrue(callHelp.contains(" 2 bad command line, an --idl, --prelude or -d @file that cannot be read,"
        + " bad JSON, a value that does not fit its type, or an unknown service or procedure"), callHelp);

    CommandRun unreadable = onyx("describe", "--idl", dir.resolve("none.idl").toString());
    assertEquals(2, unreadable.exit(), unreadable.err());
    String describeHelp = onyx("describe", "--help").out().replaceAll("\\s+", " ");
    assertTrue(describeHelp.contains(" 2 bad command line, an --idl or --prelude file that cannot be read,"
        + " or an unknown service"), describeHelp);
  }

  @Test
  void aMistypedOptionIsNamedEvenWhenAParameterIsMissingToo() {
    CommandRun r = onyx("list", "--jsn");
    assertEquals(2, r.exit());
    assertEquals("onyx list: Unknown option: '--jsn'\nPossible solutions: --json\n"
        + "Try 'onyx list --help' for more information.\n", r.err());
    assertEquals("", r.out());
  }

  @Test
  void aBadValueIsOneLineAndWhereToLook() {
    CommandRun r = onyx("ping", "localhost:4711", "0x20000101", "--timeout", "abc");
    assertEquals(2, r.exit());
    assertEquals("onyx ping: Invalid value for option '--timeout': expected a duration such as 500ms, 10s or 2m,"
        + " got abc\nTry 'onyx ping --help' for more information.\n", r.err());
  }

  /**
   * A value the command checks itself after parsing ends as one picocli refuses does: the
   * README's exit-status table promises the pointer to --help for every bad command line.
   * Before, these stopped at their one line.
   */
  @Test
  void aValueTheCommandChecksEndsWithWhereToLookToo() {
    String[][] cases = {
        {"list", "localhost:99999"},
        {"list", "localhost:"},
        {"watch", "localhost:4111", "--count", "-1"},
        {"ping", "localhost:0", "0x20000101"},
        {"call", "localhost:4711", "Calculator.add", "--idl", "calculator.idl", "--repeat", "0"},
        {"mq", "--port", "70000"},
        {"directory", "--port", "-1"},
        {"ping", "localhost:4711", "0x20000101", "--transport", "unix"},
        {"ping", "localhost:4711", "0x20000101", "--tls", "--transport", "udp"},
    };
    for (String[] args : cases) {
      CommandRun r = onyx(args);
      assertEquals(2, r.exit(), r.err());
      List<String> lines = r.err().lines().toList();
      assertEquals(2, lines.size(), r.err());
      assertTrue(lines.get(0).startsWith("onyx " + args[0] + ": "), r.err());
      assertEquals("Try 'onyx " + args[0] + " --help' for more information.", lines.get(1));
      assertEquals("", r.out());
    }
  }

  /**
   * A URL is not a target: {@code udp://HOST:PORT} has two colons, and was taken for an IPv6
   * host that no lookup found. Say what to type instead.
   */
  @Test
  void aUrlIsRefusedWithTheTargetAndTransportToGive() {
    CommandRun r = onyx("ping", "udp://127.0.0.1:9", "0x20000101", "1");
    assertEquals(2, r.exit(), r.err());
    assertTrue(r.err().startsWith("onyx ping: ") && r.err().contains(
        "expected HOST[:PORT] or unix:PATH, not a URL: udp://127.0.0.1:9: give 127.0.0.1:9"
            + " --transport udp\n" + TRY_PING), r.err());
    assertEquals("", r.out());
  }

  /** What other machines are told to reach is an address, never a name looked up at start-up. */
  @Test
  void anAdvertisedAddressIsAnIpLiteral() {
    CommandRun r = onyx("directory", "--zookeeper", "zk:2181", "--advertise", "localhost");
    assertEquals(2, r.exit());
    assertEquals("onyx directory: Invalid value for option '--advertise' (ADDRESS): an IP address is needed, not a name:"
        + " localhost\nTry 'onyx directory --help' for more information.\n", r.err());
  }

  @Test
  void aPaceUnderOneIsOneLineBeforeAnythingStarts() {
    CommandRun r = onyx("directory", "--port", "0", "--changes-per-second", "0");
    assertEquals(2, r.exit(), r.err());
    assertEquals("onyx directory: --change-burst and --changes-per-second must be 1 or more, got the default and 0\n"
        + TRY_DIRECTORY, r.err());
  }

  @Test
  void aCallersShareUnderOneIsOneLineBeforeAnythingStarts() {
    CommandRun r = onyx("directory", "--port", "0", "--max-entries-per-caller", "0");
    assertEquals(2, r.exit(), r.err());
    assertEquals("onyx directory: --max-entries-per-caller must be 1 or more, got 0\n" + TRY_DIRECTORY, r.err());
  }

  @Test
  void aZooKeeperSessionOutOfBoundsIsOneLineBeforeAnythingStarts() {
    CommandRun r = onyx("directory", "--port", "0", "--zookeeper", "127.0.0.1:1", "--session-timeout", "500ms");
    assertEquals(2, r.exit(), r.err());
    assertEquals("onyx directory: --session-timeout must be 1s to 1h, got 500ms\n" + TRY_DIRECTORY, r.err());
    CommandRun stale = onyx("directory", "--port", "0", "--zookeeper", "127.0.0.1:1", "--max-staleness", "2h");
    assertEquals(2, stale.exit(), stale.err());
    assertEquals("onyx directory: --max-staleness must be 1s to 1h, got 7200000ms\n" + TRY_DIRECTORY, stale.err());
    CommandRun bad = onyx("directory", "--zookeeper", "127.0.0.1:1", "--session-timeout", "soon");
    assertEquals(2, bad.exit(), bad.err());
    assertTrue(bad.err().startsWith("onyx directory: Invalid value for option '--session-timeout': expected a duration"),
        bad.err());
  }

  /**
   * An option of the shared store without {@code --zookeeper} is refused before anything listens
   * (the port is taken, so a directory that tried to listen would say so instead).
   */
  @Test
  void aZooKeeperOptionWithoutZooKeeperIsOneLineBeforeAnythingStarts() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      String port = String.valueOf(taken.getLocalPort());
      for (String[] option : new String[][] {{"--base", "/x"}, {"--advertise", "192.0.2.1"}, {"--host-id", "a"},
          {"--session-timeout", "10s"}, {"--max-staleness", "10s"}}) {
        CommandRun r = onyx("directory", "--port", port, option[0], option[1]);
        assertEquals(2, r.exit(), r.err());
        assertEquals("onyx directory: " + option[0] + " needs --zookeeper (without it the entries are kept in memory)\n"
            + TRY_DIRECTORY,
            r.err());
      }
    }
  }

  /**
   * A newcomer's v1 JSON for a procedure whose newest version takes another type: the message
   * says which version onyx chose and how to call another. Before, only "$.note (DatedNote):
   * unknown member "id"; expected [note, created]", with no word of versions.
   */
  @Test
  void argumentsThatDoNotFitTheChosenVersionNameItAndTheOthers(@TempDir Path dir) throws Exception {
    Path idl = dir.resolve("notes.idl");
    Files.writeString(idl, """
        package com.example.notes;
        struct Note { hyper id; string text<>; };
        struct DatedNote { Note note; hyper created; };
        @program(0x20004101)
        service Notes {
          version 1 { hyper add(Note note) = 1; hyper size() = 2; }
          version 2 { hyper add(Note note) = 1; }
          version 3 { hyper add(DatedNote note) = 1; }
        }
        """);
    CommandRun r = onyx("call", "127.0.0.1:1", "Notes.add", "--idl", idl.toString(),
        "-d", "{\"note\": {\"id\": 0, \"text\": \"hi\"}}");
    assertEquals(2, r.exit(), r.toString());
    assertEquals("onyx call: $.note (DatedNote): unknown member \"id\"; expected [note, created]"
        + " (Notes.add of version 3, the highest that has it; 1, 2 have it too: --program-version N calls one)\n",
        r.err());
    CommandRun chosen = onyx("call", "127.0.0.1:1", "Notes.add", "--program-version", "3", "--idl", idl.toString(),
        "-d", "{\"note\": {\"id\": 0, \"text\": \"hi\"}}");
    assertEquals("onyx call: $.note (DatedNote): unknown member \"id\"; expected [note, created]\n", chosen.err());
    CommandRun one = onyx("call", "127.0.0.1:1", "Notes.size", "--idl", idl.toString(), "-d", "{\"x\": 1}");
    assertFalse(one.err().contains("version"), one.err());
  }

  @Test
  void aMistypedProgramNumberIsNotLookedUpAsAName() {
    // Names are looked up in the host's directory: "0xZZ" would have failed there, at port 111.
    for (String program : new String[] {"0xZZ", "12ab"}) {
      CommandRun r = onyx("ping", "localhost:1", program);
      assertEquals(2, r.exit(), r.err());
      assertEquals("onyx ping: PROGRAM " + program + " is not a number (decimal, or hex as 0x20000101)\n" + TRY_PING, r.err());
    }
    CommandRun tooBig = onyx("ping", "localhost:1", "0x1FFFFFFFF");
    assertEquals(2, tooBig.exit(), tooBig.err());
    assertEquals("onyx ping: program numbers are 0..4294967295, got 0x1FFFFFFFF\n" + TRY_PING, tooBig.err());
    // Long.parseLong reads other scripts' digits: this was program 3, pinged.
    CommandRun arabic = onyx("ping", "localhost:1", "\u0663");
    assertEquals(2, arabic.exit(), arabic.err());
    assertEquals("onyx ping: PROGRAM \u0663 is not a number (decimal, or hex as 0x20000101)\n" + TRY_PING, arabic.err());
  }

  @Test
  void aVersionOutOfRangeIsRefusedNotWrapped() {
    // Cast to int, 4294967297 pinged version 1 and -1 version 4294967295.
    for (String version : new String[] {"4294967297", "-1"}) {
      CommandRun r = onyx("ping", "localhost:1", "100003", version);
      assertEquals(2, r.exit(), r.err());
      assertEquals("onyx ping: versions are 0..4294967295, got " + version + "\n" + TRY_PING, r.err());
    }
  }

  /**
   * Versions are unsigned 32-bit numbers, as rpcinfo prints them: --program-version refused
   * 2147483649 ("is not an int") and took -2147483647 for it, and a version missing from the IDL
   * was answered "it has [-2147483647, 2]".
   */
  @Test
  void aVersionAbove2To31IsTypedAndShownUnsigned(@TempDir Path dir) throws Exception {
    Path idl = Files.writeString(dir.resolve("big.idl"), """
        package big;
        @program(0x20000401)
        service Big {
          version 0x80000001 { int echo(int x) = 1; }
          version 2 { int echo(int x) = 1; }
        }
        """);
    CommandRun missing = onyx("call", "--idl", idl.toString(), "localhost:1", "Big.echo",
        "--program-version", "3", "-d", "{\"x\": 1}");
    assertEquals(2, missing.exit(), missing.err());
    assertEquals("onyx call: Big has no version 3; it has [2147483649, 2]\n", missing.err());

    CommandRun noProcedure = onyx("call", "--idl", idl.toString(), "localhost:1", "Big.nope",
        "--program-version", "2147483649");
    assertEquals("onyx call: Big version 2147483649 has no procedure nope; it has [echo]\n", noProcedure.err());

    // Taken, and sent: nothing listens on port 1, and the failure names the version as typed.
    CommandRun high = onyx("call", "--idl", idl.toString(), "localhost:1", "Big.echo",
        "--program-version", "2147483649", "-d", "{\"x\": 1}");
    assertEquals(ExitCodes.RPC_ERROR, high.exit(), high.err());
    assertTrue(high.out().contains("(program 0x20000401 version 2147483649 procedure 1)"), high.out());

    for (String version : new String[] {"-2147483647", "4294967297"}) {
      CommandRun r = onyx("call", "--idl", idl.toString(), "localhost:1", "Big.echo",
          "--program-version", version, "-d", "{\"x\": 1}");
      assertEquals(2, r.exit(), r.err());
      assertEquals("onyx call: versions are 0..4294967295, got " + version + "\n" + TRY_CALL, r.err());
    }
  }

  /**
   * Programs are printed and taken in hex (0x20000401), and an IDL may write its versions so:
   * --program-version and ping's VERSION take 0x too. Before, "'0x80000001' is not a long".
   */
  @Test
  void aVersionIsTakenInHexAsAProgramIs(@TempDir Path dir) throws Exception {
    Path idl = Files.writeString(dir.resolve("big.idl"), """
        package big;
        @program(0x20000401)
        service Big {
          version 0x80000001 { int echo(int x) = 1; }
          version 2 { int echo(int x) = 1; }
        }
        """);
    for (String version : new String[] {"0x80000001", "0X80000001"}) {
      // Sent: nothing listens on port 1, and the failure names the version called.
      CommandRun call = onyx("call", "--idl", idl.toString(), "localhost:1", "Big.echo",
          "--program-version", version, "-d", "{\"x\": 1}");
      assertEquals(ExitCodes.RPC_ERROR, call.exit(), call.err());
      assertTrue(call.out().contains("(program 0x20000401 version 2147483649 procedure 1)"), call.out());
    }
    CommandRun ping = onyx("ping", "localhost:1", "0x20000401", "0x2");
    assertEquals(ExitCodes.RPC_ERROR, ping.exit(), ping.err());
    assertTrue(ping.out().contains("program 0x20000401 version 2"), ping.out());

    // Out of range in hex, as in decimal; not a number at all, in either.
    CommandRun tooBig = onyx("ping", "localhost:1", "0x20000401", "0x100000001");
    assertEquals(2, tooBig.exit(), tooBig.err());
    assertEquals("onyx ping: versions are 0..4294967295, got 4294967297\n" + TRY_PING, tooBig.err());
    for (String bad : new String[] {"0x", "0xg", "2x", "\u0663"}) {
      CommandRun r = onyx("call", "--idl", idl.toString(), "localhost:1", "Big.echo",
          "--program-version", bad, "-d", "{\"x\": 1}");
      assertEquals(2, r.exit(), r.err());
      assertTrue(r.err().startsWith("onyx call: Invalid value for option '--program-version': expected a"
          + " version number (decimal, or hex as 0x2), got " + bad + "\n"), r.err());
    }
  }

  @Test
  void aCauseThatSaysWhatTheMessageSaysIsNotPrintedTwice() {
    String words = "nothing listens at tcp localhost:4801 to call Calculator.add: Connection refused";
    RpcException rethrown = new RpcException(RpcStatus.UNAVAILABLE, words,
        new RpcException(RpcStatus.UNAVAILABLE, words));
    ObjectNode same = Json.error(rethrown);
    assertEquals(words, same.path("message").asText());
    assertFalse(same.has("cause"), same::toString);

    ObjectNode other = Json.error(new RpcException(RpcStatus.SYSTEM_ERR, "Calculator.add failed",
        new IllegalStateException("disk full")));
    assertEquals("disk full", other.path("cause").asText());
  }

  /**
   * A file that is not there is told as idlc tells it, whichever option of onyx call names it:
   * one line, "cannot read FILE: no such file" ("cannot read prelude FILE" for a --prelude), FILE
   * as typed (not "@FILE"), exit status 2.
   */
  @Test
  void aMissingFileIsToldAsIdlcTellsIt(@TempDir Path dir) throws Exception {
    Path cwd = Path.of("").toAbsolutePath();
    String missing = "no-such-input.idl";
    ByteArrayOutputStream idlcErr = new ByteArrayOutputStream();
    assertEquals(2, Idlc.run(new String[] {missing}, cwd, new PrintStream(new ByteArrayOutputStream(), true),
        new PrintStream(idlcErr, true, StandardCharsets.UTF_8)));
    String said = "cannot read " + missing + ": no such file\n";
    assertEquals("idlc: " + said, idlcErr.toString(StandardCharsets.UTF_8));

    CommandRun idl = onyx("call", "--idl", missing, "localhost:4711", "Calc.add");
    assertEquals(2, idl.exit());
    assertEquals("onyx call: " + said, idl.err());
    Path calc = Files.writeString(dir.resolve("calc.idl"),
        "@program(0x20000101)\nservice Calc { version 1 { int add(int a, int b) = 1; } }\n");
    CommandRun prelude = onyx("call", "--idl", calc.toString(), "--prelude", missing, "localhost:4711", "Calc.add");
    assertEquals(2, prelude.exit());
    // named as the prelude, as idlc --prelude names it (PreludeTest.aMissingPreludeIsNamedAsThePrelude)
    assertEquals("onyx call: cannot read prelude " + missing + ": no such file\n", prelude.err());
    CommandRun data = onyx("call", "--idl", calc.toString(), "localhost:4711", "Calc.add", "-d", "@no-such-input.json");
    assertEquals(2, data.exit());
    assertEquals("onyx call: cannot read no-such-input.json: no such file\n", data.err());
  }
}
