package org.onyxrpc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.onyxrpc.testing.JavadocExamples;

/**
 * Keeps the Javadoc's code examples honest, as {@code ReadmeSnippetsTest} keeps the READMEs': every
 * {@code <pre>{@code ...}</pre>} in the public packages of the runtime and mq (where a user starts:
 * {@code RpcClient}, {@code RpcServerBuilder}, {@code MessageQueues}, …) must have its lines, in
 * order, in {@code readme/JavadocSnippets.java}, which compiles. Nothing checked them before.
 */
class JavadocSnippetsTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path SNIPPETS =
      ROOT.resolve("examples/src/test/java/org/onyxrpc/examples/readme/JavadocSnippets.java");

  @ParameterizedTest
  @ValueSource(strings = {"runtime", "mq"})
  void everyJavadocExampleCompiles(String module) throws IOException {
    assertEquals(List.of(), JavadocExamples.missing(ROOT.resolve(module).resolve("src/main/java"), SNIPPETS));
  }
}
