package org.onyxrpc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * The examples' generated code is what a newcomer reads first: {@code javadoc -Xdoclint:all} has
 * nothing to say about it (the module publishes no javadoc jar, so no build would notice), and no
 * IDL doc comment tries a Javadoc tag, which the compiler shows as written ({@code {@code x}}
 * in the page) because IDL docs are plain text.
 */
class GeneratedJavadocTest {
  @TempDir Path out;

  private static List<Path> generatedSources() throws IOException {
    List<Path> sources = new ArrayList<>();
    for (String dir : List.of("target/generated-sources/onyx", "target/generated-sources/onyx-java-first")) {
      try (Stream<Path> walk = Files.walk(Path.of(dir))) {
        walk.filter(p -> p.toString().endsWith(".java")).sorted().forEach(sources::add);
      }
    }
    assertFalse(sources.isEmpty(), "no generated sources: run the build's generate-sources first");
    return sources;
  }

  @Test
  void doclintFindsNothing() throws IOException {
    DocumentationTool javadoc = ToolProvider.getSystemDocumentationTool();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    StringWriter printed = new StringWriter();
    try (StandardJavaFileManager files = javadoc.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
      boolean built = javadoc.getTask(printed, files, diagnostics, null,
          List.of("-quiet", "-Xdoclint:all", "-d", out.toString(), "-cp", System.getProperty("java.class.path")),
          files.getJavaFileObjectsFromPaths(generatedSources())).call();
      List<String> problems = diagnostics.getDiagnostics().stream()
          .filter(d -> d.getKind() != Diagnostic.Kind.NOTE)
          .map(d -> d.getKind() + " " + d.getSource().getName() + ":" + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT))
          .toList();
      assertEquals(List.of(), problems, printed::toString);
      assertTrue(built, printed::toString);
    }
  }

  @Test
  void noIdlDocCommentTriesAJavadocTag() throws IOException {
    List<String> literal = new ArrayList<>();
    for (Path source : generatedSources()) {
      List<String> lines = Files.readAllLines(source, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).contains("{&#64;")) {
          literal.add(source.getFileName() + ":" + (i + 1) + ": " + lines.get(i).strip());
        }
      }
    }
    assertEquals(List.of(), literal);
  }
}
