package org.onyxrpc.examples;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Keeps the Javadoc's code examples honest, as {@code ReadmeSnippetsTest} keeps the READMEs': the
 * lines of every {@code <pre>{@code ...}</pre>} in the public packages of the runtime and mq
 * (where a user starts: {@code RpcClient}, {@code RpcServerBuilder}, {@code MessageQueues}, …)
 * must appear in that order in {@code readme/JavadocSnippets.java}, which compiles. Nothing
 * checked them before; an example that names a renamed method now fails here. Lines that are
 * only an ellipsis, or hold a {@code …}, stand for code the reader supplies and are skipped.
 */
class JavadocSnippetsTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path SNIPPETS =
      ROOT.resolve("examples/src/test/java/org/onyxrpc/examples/readme/JavadocSnippets.java");
  private static final Pattern EXAMPLE = Pattern.compile("<pre>\\{@code\\n(.*?)\\}</pre>", Pattern.DOTALL);
  private static final Pattern COMMENT_MARGIN = Pattern.compile("^\\s*\\* ?");

  @TestFactory
  Stream<DynamicTest> everyJavadocExampleCompiles() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (String module : List.of("runtime", "mq")) {
      List<Path> sources;
      try (Stream<Path> walk = Files.walk(ROOT.resolve(module).resolve("src/main/java"))) {
        sources = walk.filter(p -> p.toString().endsWith(".java"))
            .filter(p -> !p.toString().contains("/internal/"))
            .sorted().toList();
      }
      for (Path source : sources) {
        Matcher example = EXAMPLE.matcher(Files.readString(source));
        while (example.find()) {
          String code = code(example.group(1));
          tests.add(DynamicTest.dynamicTest(ROOT.relativize(source) + ": " + code.lines().findFirst().orElse(""),
              () -> ReadmeSnippetsTest.assertLinesInOrder(SNIPPETS, code)));
        }
      }
    }
    assertFalse(tests.isEmpty(), "no examples found");
    return tests.stream();
  }

  /** The example's code: the comment's margin taken off, the reader's parts left out. */
  private static String code(String commented) {
    return commented.lines()
        .map(line -> COMMENT_MARGIN.matcher(line).replaceFirst(""))
        .filter(line -> !line.strip().equals("...") && !line.contains("…"))
        .collect(Collectors.joining("\n"));
  }
}
