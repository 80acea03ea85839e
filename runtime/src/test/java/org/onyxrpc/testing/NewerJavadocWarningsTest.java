package org.onyxrpc.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cli's and the compiler's JavadocTest passed on JDK 17 and failed on 25 (records without
 * {@code @param}, picocli commands with default constructors): this finds both, the same on any JDK.
 */
class NewerJavadocWarningsTest {
  @TempDir Path dir;

  private File source(String path, String text) throws IOException {
    Path file = dir.resolve(path);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text).toFile();
  }

  private static List<String> names(List<String> problems) {
    return problems.stream().map(p -> p.replaceFirst("WARNING .*/", "")).sorted().toList();
  }

  @Test
  void findsWhatNewerJavadocReportsInTheDocumentedApiOnly() throws IOException {
    List<File> files = List.of(
        source("p/Shown.java", """
            package p;
            /** Shown. */
            public final class Shown {
              /**
               * R.
               *
               * @param a documented
               */
              public record R(int a, int b) {
                /** Not a component. */
                public static final int C = 1;
              }

              /** Package-private: not documented. */
              record Hidden(int h) {}

              /** Has one. */
              public static final class Written {
                /** Its comment. */
                public Written() {}
              }
            }
            """),
        source("p/Api.java", """
            package p;
            /** An interface's types are public. */
            public interface Api {
              /** S. */
              record S(int y) {}
            }
            """),
        source("p/Quiet.java", """
            package p;
            /** Package-private class: nothing in it is documented. */
            final class Quiet {
              /** Q. */
              public record Q(int x) {}
            }
            """),
        source("p/internal/Inner.java", """
            package p.internal;
            /** Internal. */
            public final class Inner {
              /** I. */
              public record I(int i) {}
            }
            """));
    assertEquals(List.of(
            "Api.java:5: no @param for y",
            "Shown.java:3: use of default constructor, which does not provide a comment",
            "Shown.java:9: no @param for b"),
        names(NewerJavadocWarnings.of(files)));
  }
}
