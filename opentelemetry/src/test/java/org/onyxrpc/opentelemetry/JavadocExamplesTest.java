package org.onyxrpc.opentelemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.onyxrpc.testing.JavadocExamples;

/** Every code example of this module's Javadoc is in {@link JavadocSnippets}, which compiles. */
class JavadocExamplesTest {
  @Test
  void everyJavadocExampleCompiles() throws IOException {
    assertEquals(List.of(), JavadocExamples.missing(Path.of("src/main/java"),
        Path.of("src/test/java/org/onyxrpc/opentelemetry/JavadocSnippets.java")));
  }
}
