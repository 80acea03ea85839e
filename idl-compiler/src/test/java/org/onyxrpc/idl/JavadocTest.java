package org.onyxrpc.idl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.testing.JavadocCheck;

/** This module's Javadoc builds without a warning, and its public API misses no comment or tag. */
class JavadocTest {
  @TempDir Path out;

  @Test
  void theJavadocHasNoErrorOrWarning() throws IOException {
    assertEquals(List.of(), JavadocCheck.problems(Path.of("src/main/java"), out));
  }
}
