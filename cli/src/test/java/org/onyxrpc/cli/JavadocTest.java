package org.onyxrpc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.testing.JavadocCheck;

/**
 * This module's Javadoc builds without a warning, and its public classes miss no comment or tag,
 * as the other modules' {@code JavadocTest}s check theirs. The cli had none: {@code javadoc
 * -Xdoclint:all} over its packages gave 73 warnings, every one a missing {@code @param} or
 * {@code @return} (DynamicProcedure, IdlSchemas, Services, JsonToXdr, XdrToJson, ...).
 */
class JavadocTest {
  @TempDir Path out;

  @Test
  void theJavadocHasNoErrorOrWarning() throws IOException {
    assertEquals(List.of(), JavadocCheck.problems(Path.of("src/main/java"), out));
  }
}
