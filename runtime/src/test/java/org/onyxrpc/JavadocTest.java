package org.onyxrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.testing.JavadocCheck;

/**
 * The runtime's Javadoc builds as {@code mvn -P release} builds it (doclint, missing tags aside):
 * a reference javadoc cannot resolve (a class of another package, not imported) failed both that
 * and a user's {@code mvn javadoc:javadoc}. The public API (every package but {@code internal}
 * ones) must miss nothing either: every public method's {@code @param}, {@code @return} and
 * {@code @throws}, every public type's comment.
 */
class JavadocTest {
  @TempDir Path out;

  @Test
  void theJavadocHasNoErrorOrWarning() throws IOException {
    assertEquals(List.of(), JavadocCheck.problems(Path.of("src/main/java"), out));
  }
}
