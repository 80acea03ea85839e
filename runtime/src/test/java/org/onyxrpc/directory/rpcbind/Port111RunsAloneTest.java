package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every test that takes port 111 ({@link Port111}) runs in the runtime module's own run alone:
 * {@code runtime-variants}, which the build runs beside other modules, must leave each one out,
 * or it could meet another module's use of the port; and runtime's own tests, in two JVMs, run
 * them after, in one.
 */
class Port111RunsAloneTest {
  private static final Path TESTS = Path.of("src/test/java");

  @Test
  void everyTestOnPort111IsLeftOutOfTheVariantRuns() throws IOException {
    String variants = Files.readString(Path.of("../runtime-variants/pom.xml"));
    List<String> onPort111;
    try (Stream<Path> files = Files.walk(TESTS)) {
      onPort111 = files.filter(f -> f.toString().endsWith("Test.java") && uses(f)
              && !f.endsWith("Port111RunsAloneTest.java")) // which names it, not uses it
          .map(f -> TESTS.relativize(f).toString().replace('\\', '/')).sorted().toList();
    }
    assertFalse(onPort111.isEmpty(), "no test found on port 111: is the working directory runtime?");
    List<String> runBeside = onPort111.stream()
        .filter(test -> !variants.contains("<exclude>" + test + "</exclude>")).toList();
    assertEquals(List.of(), runBeside, "tests on port 111 that runtime-variants/pom.xml runs");
  }

  /**
   * runtime's own tests run in two JVMs at once: the tests on port 111, all in this package (its
   * fixtures are package-private), must be left out of that run and run in one JVM after it.
   */
  @Test
  void theTestsOnPort111RunInOneJvmAfterTheForkedRun() throws IOException {
    String runtime = Files.readString(Path.of("pom.xml"));
    String forked = execution(runtime, "default-test");
    String alone = execution(runtime, "port-111");
    assertTrue(forked.contains("<exclude>org/onyxrpc/directory/rpcbind/**</exclude>"), forked);
    assertTrue(alone.contains("<include>org/onyxrpc/directory/rpcbind/**/*Test.java</include>"), alone);
    assertFalse(alone.contains("forkCount"), alone);
  }

  /** The text of the surefire execution {@code id} in {@code pom}. */
  private static String execution(String pom, String id) {
    int start = pom.indexOf("<id>" + id + "</id>");
    assertTrue(start >= 0, "no execution " + id + " in runtime/pom.xml");
    return pom.substring(start, pom.indexOf("</execution>", start));
  }

  private static boolean uses(Path file) {
    try {
      return Files.readString(file).contains("Port111.in(");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
