package org.onyxrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.DocumentationTool;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    DocumentationTool javadoc = ToolProvider.getSystemDocumentationTool();
    List<File> sources;
    try (Stream<Path> walk = Files.walk(Path.of("src/main/java"))) {
      sources = walk.filter(p -> p.toString().endsWith(".java")).map(Path::toFile).toList();
    }
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    StringWriter printed = new StringWriter();
    try (StandardJavaFileManager files = javadoc.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
      boolean built = javadoc.getTask(printed, files, diagnostics, null,
          List.of("-quiet", "-Xdoclint:all", "-Xmaxwarns", "100000", "-d", out.toString(), "-cp", System.getProperty("java.class.path")),
          files.getJavaFileObjectsFromFiles(sources)).call();
      List<String> problems = diagnostics.getDiagnostics().stream()
          .filter(d -> d.getKind() != Diagnostic.Kind.NOTE)
          .filter(d -> !(missing(d) && d.getSource().getName().contains("/internal/")))
          .map(d -> d.getKind() + " " + d.getSource().getName() + ":" + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT))
          .toList();
      assertEquals(List.of(), problems, printed::toString);
      assertTrue(built, printed::toString);
    }
  }

  /** What {@code -Xdoclint:-missing} would hide: a missing comment or tag. */
  private static boolean missing(Diagnostic<? extends JavaFileObject> d) {
    String message = d.getMessage(Locale.ROOT);
    return message.startsWith("no comment") || message.startsWith("no @");
  }
}
