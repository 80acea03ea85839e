package org.onyxrpc.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command's own surface: help, version, completion, describe, compile, and the distribution. */
class CommandLineIT {
  @TempDir Path work;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"call", "list", "watch", "ping", "describe", "directory", "mq", "generate-completion"})
  void everySubcommandHasHelp(String subcommand) throws Exception {
    OnyxJar.Result r = OnyxJar.run(work, subcommand, "--help");
    assertEquals(0, r.exit(), r::describe);
    assertTrue(r.out().startsWith("Usage: onyx " + subcommand), r.out());
  }

  @Test
  void compileIsIdlc() throws Exception {
    Files.copy(Path.of("src/test/idl/calculator.idl"), work.resolve("calculator.idl"));
    OnyxJar.Result help = OnyxJar.run(work, "compile", "--help");
    assertEquals(0, help.exit(), help::describe);
    assertTrue(help.out().startsWith("Usage: onyx compile [-o OUT] [-I DIR]... [-D NAME[=VALUE]]..."), help.out());
    OnyxJar.Result r = OnyxJar.run(work, "compile", "-o", "out", "calculator.idl");
    assertEquals(0, r.exit(), r::describe);
    assertTrue(Files.isRegularFile(work.resolve("out/org/onyxrpc/examples/calculator/CalculatorV1.java")));
    Files.writeString(work.resolve("broken.idl"), "struct s { intt x; };\n");
    OnyxJar.Result broken = OnyxJar.run(work, "compile", "broken.idl");
    assertEquals(1, broken.exit(), broken::describe);
    assertTrue(broken.err().startsWith("broken.idl:1:12: error: unknown type 'intt'"), broken.err());
  }

  @Test
  void versionAndUsage() throws Exception {
    OnyxJar.Result v = OnyxJar.run(work, "--version");
    assertEquals(0, v.exit(), v::describe);
    assertTrue(v.out().startsWith("onyx " + System.getProperty("onyx.version", "0.1.0-SNAPSHOT") + "\n"), v.out());
    OnyxJar.Result none = OnyxJar.run(work);
    assertEquals(2, none.exit(), none::describe);
    assertTrue(none.err().contains("Commands:") && none.err().contains("call"), none.describe());
    OnyxJar.Result unknown = OnyxJar.run(work, "cal");
    assertEquals(2, unknown.exit(), unknown::describe);
    OnyxJar.Result missing = OnyxJar.run(work, "call", "localhost", "Calculator.add");
    assertEquals(2, missing.exit(), missing::describe);
    assertEquals("onyx call: Missing required option: '--idl=FILE'\nTry 'onyx call --help' for more information.\n",
        missing.err());
  }

  @Test
  void describeShowsNumbersSemanticsAndTemplates() throws Exception {
    Files.copy(Path.of("src/test/idl/calculator.idl"), work.resolve("calculator.idl"));
    OnyxJar.Result r = OnyxJar.run(work, "describe", "--idl", "calculator.idl");
    assertEquals(0, r.exit(), r::describe);
    assertEquals("""
        service Calculator (org.onyxrpc.examples.calculator.Calculator), program 0x20000101 (536871169)
          version 1
            1 add(hyper a, hyper b) -> hyper  [at_least_once]
              -d '{"a":0,"b":0}'
            2 divide(hyper a, hyper b) -> hyper throws DivideByZero  [at_most_once]
              -d '{"a":0,"b":0}'
            3 parity(hyper value) -> Parity  [at_least_once]
              -d '{"value":0}'
        """, r.out());
    Files.writeString(work.resolve("bad.idl"), "service S { version 1 { Pointt p(int a) = 1; } }\n");
    OnyxJar.Result bad = OnyxJar.run(work, "describe", "--idl", "bad.idl");
    assertEquals(1, bad.exit(), bad::describe);
    assertTrue(bad.err().startsWith("bad.idl:1:"), bad.err());
    assertTrue(bad.err().contains(": error: unknown type 'Pointt'"), bad.err());
    OnyxJar.Result unknown = OnyxJar.run(work, "describe", "--idl", "calculator.idl", "Calc");
    assertEquals(2, unknown.exit(), unknown::describe);
    assertEquals("onyx describe: no service Calc in the IDL; it has [Calculator]\n", unknown.err());
  }

  @Test
  void completionScriptForBash() throws Exception {
    OnyxJar.Result r = OnyxJar.run(work, "generate-completion");
    assertEquals(0, r.exit(), r::describe);
    assertTrue(r.out().contains("complete -F _complete_onyx") && r.out().contains("_picocli_onyx_call"), r.out());
  }

  /**
   * A call loads Netty's native transport, which JDK 24 and later follow with four WARNING lines
   * on stderr unless native access is allowed: the jar's manifest allows it for {@code java -jar},
   * the launcher's option for {@code bin/onyx}. A failed call prints its JSON on stdout and nothing
   * else (the stderr checks bite when the build runs on JDK 24+; the manifest's on any).
   */
  @Test
  void aCallPrintsNoJvmWarnings() throws Exception {
    Files.copy(Path.of("src/test/idl/calculator.idl"), work.resolve("calculator.idl"));
    int port;
    try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = closed.getLocalPort();
    }
    List<String> call = List.of("call", "127.0.0.1:" + port, "Calculator.add", "--idl", "calculator.idl",
        "-d", "{\"a\": 1, \"b\": 2}");
    OnyxJar.Result jar = OnyxJar.run(work, call.toArray(String[]::new));
    assertEquals(4, jar.exit(), jar::describe);
    assertEquals("", jar.err(), jar::describe);
    List<String> launcher = new ArrayList<>(List.of(OnyxJar.unpackDistribution(work).resolve("bin/onyx").toString()));
    launcher.addAll(call);
    OnyxJar.Result launched = OnyxJar.run(work, null, launcher);
    assertEquals(4, launched.exit(), launched::describe);
    assertEquals("", launched.err(), launched::describe);
    try (JarFile onyx = new JarFile(OnyxJar.JAR.toFile())) {
      assertEquals("ALL-UNNAMED", onyx.getManifest().getMainAttributes().getValue("Enable-Native-Access"));
    }
  }

  @Test
  void theTarballHoldsTheLauncherAndTheJar() throws Exception {
    Path home = OnyxJar.unpackDistribution(work);
    assertTrue(Files.isExecutable(home.resolve("bin/onyx")));
    assertTrue(Files.isRegularFile(home.resolve("lib/onyx.jar")));
    // What the commands' help and messages point at comes with them.
    assertTrue(Files.readString(home.resolve("doc/onyx.md")).startsWith("# "), "doc/onyx.md");
    assertTrue(Files.readString(home.resolve("doc/mq.md")).startsWith("# "), "doc/mq.md");
    assertTrue(Files.readString(home.resolve("systemd/onyx-directory.service")).contains("[Service]"),
        "systemd/onyx-directory.service");
    OnyxJar.Result r = OnyxJar.run(work, null, List.of(home.resolve("bin/onyx").toString(), "--version"));
    assertEquals(0, r.exit(), r::describe);
    assertTrue(r.out().startsWith("onyx "), r.out());
    // Linked from a directory on the PATH, by an absolute and by a relative link, through a link.
    Path path = Files.createDirectories(work.resolve("path-bin"));
    Files.createSymbolicLink(path.resolve("onyx"), home.resolve("bin/onyx").toAbsolutePath());
    Files.createSymbolicLink(path.resolve("onyx-relative"), path.relativize(home.resolve("bin/onyx").toAbsolutePath()));
    Files.createSymbolicLink(path.resolve("onyx-again"), Path.of("onyx-relative"));
    for (String link : new String[] {"onyx", "onyx-relative", "onyx-again"}) {
      OnyxJar.Result linked = OnyxJar.run(work, null, List.of(path.resolve(link).toString(), "--version"));
      assertEquals(0, linked.exit(), linked::describe);
      assertTrue(linked.out().startsWith("onyx "), linked.out());
    }
  }
}
