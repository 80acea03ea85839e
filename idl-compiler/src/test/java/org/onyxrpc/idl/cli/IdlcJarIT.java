package org.onyxrpc.idl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code target/idlc.jar}, run as {@code java -jar} as the README and the
 * {@code idlc} script run it, holds every library idlc needs: its command line, each subcommand
 * and a compilation (surefire execution {@code e2e}, after {@code package}).
 */
class IdlcJarIT {
  private static final Path JAR = Path.of(System.getProperty("idlc.jar", "target/idlc.jar"));

  @TempDir Path dir;

  @Test
  void theJarPrintsItsHelpAndEachSubcommandsHelp() throws Exception {
    assertTrue(idlc(0, "--help").startsWith("Usage: idlc [-o OUT] [-I DIR]..."));
    assertTrue(idlc(0, "check-compat", "--help").startsWith("Usage: idlc check-compat"));
    assertTrue(idlc(0, "from-java", "--help").startsWith("Usage: idlc from-java"));
  }

  @Test
  void theJarCompilesAFileAndWritesIdlFromJava() throws Exception {
    Files.writeString(dir.resolve("calc.idl"), "package p;\n@program(0x20000101)\n"
        + "service Calc { version 1 { hyper add(hyper a, hyper b) = 1; } }\n");
    assertEquals("", idlc(0, "-o", "gen", "calc.idl"));
    assertTrue(Files.isRegularFile(dir.resolve("gen/p/CalcV1.java")));

    Files.writeString(dir.resolve("Point.java"), "package q;\npublic record Point(int x, int y) {}\n");
    idlc(0, "from-java", "-o", "idl", "Point.java");
    assertTrue(Files.readString(dir.resolve("idl/q/q.idl")).contains("struct Point"));
  }

  /** Runs {@code java -jar idlc.jar args} in the test's directory; its output, stdout and stderr. */
  private String idlc(int expectedStatus, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toAbsolutePath().toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish");
    }
    assertEquals(expectedStatus, p.exitValue(), out);
    return out;
  }
}
