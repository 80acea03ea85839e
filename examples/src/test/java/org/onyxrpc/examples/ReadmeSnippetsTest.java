package org.onyxrpc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Keeps the READMEs honest. A fenced block right after {@code <!-- from PATH -->} must appear in
 * that file (lines in a row, indented alike; {@code ${project.version}} in the file, and the
 * integration tests' {@code @project.version@}, {@code @slf4j.version@}, {@code @junit.version@} and
 * {@code @surefire-plugin.version@}, read as those versions); a block right after {@code <!-- lines of PATH -->} must have its lines in that file
 * in the same order, others between them (declarations and the statements that use them, which
 * Java cannot hold in a row; {@code readme/ApiSnippets.java} compiles the snippets no example
 * runs); a block right after {@code <!-- output of CLASS -->} must be exactly what that class's
 * {@code run(PrintStream)} prints. Every README of the repository's root, its modules and the
 * examples is read, and {@code docs/*.md}.
 */
class ReadmeSnippetsTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern MARKED = Pattern.compile(
      "<!-- (from|lines of|output of) (\\S+) -->\\n```[a-z]*\\n(.*?)```", Pattern.DOTALL);

  @TestFactory
  Stream<DynamicTest> everyMarkedBlockMatches() throws IOException {
    List<Path> readmes = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    // the modules' READMEs (mq, cli, … had snippets that nothing checked) and docs/*.md
    try (Stream<Path> modules = Files.list(ROOT)) {
      modules.map(m -> m.resolve("README.md")).filter(Files::isRegularFile).sorted().forEach(readmes::add);
    }
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().forEach(readmes::add);
    }
    try (Stream<Path> found = Files.walk(ROOT.resolve("examples/src/main/java"))) {
      found.filter(p -> p.getFileName().toString().equals("README.md")).sorted().forEach(readmes::add);
    }
    List<DynamicTest> tests = new ArrayList<>();
    for (Path readme : readmes) {
      Matcher block = MARKED.matcher(Files.readString(readme));
      while (block.find()) {
        String kind = block.group(1);
        String target = block.group(2);
        String text = block.group(3);
        String name = ROOT.relativize(readme) + ": " + kind + " " + target;
        tests.add(DynamicTest.dynamicTest(name, () -> {
          if (kind.equals("from")) {
            assertContains(ROOT.resolve(target), text);
          } else if (kind.equals("lines of")) {
            assertLinesInOrder(ROOT.resolve(target), text);
          } else {
            assertEquals(text, output(target), name);
          }
        }));
      }
    }
    assertFalse(tests.isEmpty(), "no marked blocks found");
    return tests.stream();
  }

  /**
   * Where README.md first shows {@code CallLogging} in code, the paragraph after the block names
   * its package, and the class is there: a reader copying the snippet had no import for it (the
   * README named {@code org.onyxrpc.logging} nowhere).
   */
  @Test
  void theFirstSnippetWithCallLoggingNamesItsPackage() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    Matcher block = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(readme);
    boolean found = false;
    while (!found && block.find()) {
      found = block.group(1).contains("CallLogging.");
    }
    assertTrue(found, "no java block of README.md uses CallLogging");
    int next = readme.indexOf("\n\n", block.end() + 2);
    String after = readme.substring(block.end(), next < 0 ? readme.length() : next);
    assertTrue(after.contains("`org.onyxrpc.logging.CallLogging`"),
        "the paragraph after README.md's first CallLogging snippet names no package: " + after);
    assertTrue(Files.isRegularFile(ROOT.resolve("runtime/src/main/java/org/onyxrpc/logging/CallLogging.java")));
  }

  /**
   * The README's testing section, whose tests are JUnit 5's, names a Surefire that runs them: on
   * Maven 3.8 the default Surefire (2.12.4) finds none and the build passes with no test run.
   */
  @Test
  void theTestingSectionNamesASurefireThatRunsJUnit5() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    int start = readme.indexOf("\n### Testing your service\n");
    String section = readme.substring(start, readme.indexOf("\n### ", start + 1));
    assertTrue(section.contains("<artifactId>maven-surefire-plugin</artifactId>"), "README.md's Testing your service"
        + " shows JUnit 5 tests and no Surefire to run them on Maven 3.8");
  }

  /**
   * Coming from gRPC says what a gRPC service's streaming, call credentials, status descriptions,
   * schema evolution, metrics and in-process tests become, and every file and test it names
   * exists. Before, it had no row for a watch (server streaming), a bearer token, a field added
   * to a message (which XDR cannot take), metrics or in-process tests, and said a {@code
   * Status}'s description came back as the {@code RpcException}'s message, which is the client's
   * own; and examples/README.md did not list the tests it points at.
   */
  @Test
  void comingFromGrpcPortsStreamingCredentialsAndDescriptions() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    int start = readme.indexOf("\n## Coming from gRPC\n");
    String section = readme.substring(start, readme.indexOf("\n## ", start + 1));
    assertTrue(section.contains("\n| server streaming"), "no row for server streaming");
    assertTrue(section.contains("\n| client and bidirectional streaming"), "no row for client streaming");
    assertTrue(section.contains("\n| `CallCredentials`"), "no row for call credentials");
    assertTrue(section.contains("\n| `.proto` evolution"), "no row for a schema's evolution");
    assertTrue(section.contains("\n| `grpc-opentelemetry`"), "no row for metrics and tracing");
    assertTrue(section.contains("\n| `InProcessServerBuilder`"), "no row for in-process tests");
    assertFalse(section.contains("`RpcException.status()` (`RpcStatus`) and its message"),
        "says a Status's description reaches the caller");
    assertTrue(section.contains("The description does not travel"), "no word on a Status's description");
    List<String> missing = new ArrayList<>();
    Matcher path = Pattern.compile("`([\\w.-]+(?:/[\\w.-]+)+\\.(?:md|idl|java))`").matcher(section);
    while (path.find()) {
      if (!Files.isRegularFile(ROOT.resolve(path.group(1)))) {
        missing.add(path.group(1));
      }
    }
    Matcher test = Pattern.compile("`(\\w+Test)`").matcher(section);
    List<String> sources;
    try (Stream<Path> files = Files.walk(ROOT)) {
      sources = files.filter(f -> !f.toString().contains("/target/"))
          .map(f -> f.getFileName().toString()).filter(n -> n.endsWith("Test.java")).toList();
    }
    while (test.find()) {
      if (!sources.contains(test.group(1) + ".java")) {
        missing.add(test.group(1));
      }
    }
    assertEquals(List.of(), missing, "Coming from gRPC names files that do not exist");
    // and the examples' table points at those tests too
    String examples = Files.readString(ROOT.resolve("examples/README.md"));
    assertTrue(examples.contains("| `src/test/java/org/onyxrpc/examples/grpc` |"),
        "examples/README.md's table does not list the gRPC tests");
  }

  /**
   * cli/README.md's health probe says what a server that requires TLS wants of it: before, a
   * probe copied from it against such a server exited 4 (AUTH_TOOWEAK) on every run.
   */
  @Test
  void theHealthProbeSaysWhatATlsServerWants() throws IOException {
    String cli = Files.readString(ROOT.resolve("cli/README.md"));
    int start = cli.indexOf("\n## Health\n");
    String section = cli.substring(start, cli.indexOf("\n## ", start + 1));
    assertTrue(section.contains("`TlsMode.REQUIRE`") && section.contains("--tls-ca")
        && section.contains("--tls-cert"), "cli/README.md's Health has no probe for a TLS server");
  }

  /** {@code file} holds the snippet's lines in a row, each with the same extra indentation. */
  private static void assertContains(Path file, String snippet) throws IOException {
    String version = System.getProperty("onyx.version", "0.1.0-SNAPSHOT");
    List<String> lines = Files.readString(file)
        .replace("${project.version}", version)
        .replace("@project.version@", version)
        .replace("@slf4j.version@", System.getProperty("slf4j.version", "@slf4j.version@"))
        .replace("@junit.version@", System.getProperty("junit.version", "@junit.version@"))
        .replace("@surefire-plugin.version@", System.getProperty("surefire-plugin.version", "@surefire-plugin.version@"))
        .lines().toList();
    List<String> wanted = snippet.lines().toList();
    for (int start = 0; start + wanted.size() <= lines.size(); start++) {
      String first = lines.get(start);
      if (!first.endsWith(wanted.get(0)) || !first.substring(0, first.length() - wanted.get(0).length()).isBlank()) {
        continue;
      }
      String indent = first.substring(0, first.length() - wanted.get(0).length());
      boolean all = true;
      for (int i = 0; i < wanted.size() && all; i++) {
        String want = wanted.get(i);
        all = want.isEmpty() ? lines.get(start + i).isBlank() : lines.get(start + i).equals(indent + want);
      }
      if (all) {
        return;
      }
    }
    fail("not found in " + ROOT.relativize(file) + ":\n" + snippet);
  }

  /** {@code file} holds the snippet's lines, indented as may be, in its order; blank lines aside. */
  private static void assertLinesInOrder(Path file, String snippet) throws IOException {
    List<String> lines = Files.readString(file).lines().map(String::strip).toList();
    int next = 0;
    for (String want : snippet.lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
      int at = next;
      while (at < lines.size() && !lines.get(at).equals(want)) {
        at++;
      }
      if (at == lines.size()) {
        fail("not found in " + ROOT.relativize(file) + " after line " + next + ": " + want);
      }
      next = at + 1;
    }
  }

  private static String output(String className) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Class.forName(className).getMethod("run", PrintStream.class)
        .invoke(null, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(text.endsWith("\n"));
    return text;
  }
}
