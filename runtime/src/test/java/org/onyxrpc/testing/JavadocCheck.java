package org.onyxrpc.testing;

import java.io.File;
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

/**
 * Builds a module's Javadoc as {@code mvn -P release} does (doclint on everything) and lists what
 * it objects to: a reference it cannot resolve anywhere, and in the public API (every package but
 * {@code internal} ones) a missing comment or {@code @param}, {@code @return} or {@code @throws};
 * on JDK 17 also what newer JDKs' javadoc reports ({@link NewerJavadocWarnings}), so that the
 * build on 17 keeps the Javadoc clean on 21 and 25.
 * Each module's {@code JavadocTest} asserts the list is empty.
 */
public final class JavadocCheck {
  private JavadocCheck() {}

  /**
   * The problems of the sources under {@code sources}, compiled against the test's class path;
   * the pages go to {@code out}. A failed build with no diagnostic is reported with javadoc's output.
   */
  public static List<String> problems(Path sources, Path out) throws IOException {
    DocumentationTool javadoc = ToolProvider.getSystemDocumentationTool();
    List<File> files;
    try (Stream<Path> walk = Files.walk(sources)) {
      files = walk.filter(p -> p.toString().endsWith(".java")).map(Path::toFile).toList();
    }
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    StringWriter printed = new StringWriter();
    try (StandardJavaFileManager manager = javadoc.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
      boolean built = javadoc.getTask(printed, manager, diagnostics, null,
          List.of("-quiet", "-Xdoclint:all", "-Xmaxwarns", "100000", "-d", out.toString(), "-cp", System.getProperty("java.class.path")),
          manager.getJavaFileObjectsFromFiles(files)).call();
      List<String> problems = new ArrayList<>(diagnostics.getDiagnostics().stream()
          .filter(d -> d.getKind() != Diagnostic.Kind.NOTE)
          .filter(d -> !(missing(d) && d.getSource().getName().contains("/internal/")))
          .map(d -> d.getKind() + " " + d.getSource().getName() + ":" + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT))
          .toList());
      if (Runtime.version().feature() < 18) {
        problems.addAll(NewerJavadocWarnings.of(files)); // what javadoc 18 and later adds
      }
      if (!built && problems.isEmpty()) {
        problems.add("javadoc failed: " + printed);
      }
      return problems;
    }
  }

  /** What {@code -Xdoclint:-missing} would hide: a missing comment or tag. */
  private static boolean missing(Diagnostic<? extends JavaFileObject> d) {
    String message = d.getMessage(Locale.ROOT);
    return message.startsWith("no comment") || message.startsWith("no @");
  }
}
