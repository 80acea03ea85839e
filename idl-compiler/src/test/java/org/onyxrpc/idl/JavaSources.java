package org.onyxrpc.idl;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.DocumentationTool;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/** Compiles Java sources in-process with {@code -Xlint:all -Werror} against the test classpath. */
final class JavaSources {
  private JavaSources() {}

  /** Writes {@code sources} (path to text) under {@code dir}/src, compiles them to {@code dir}/classes. */
  static Path compile(Map<String, String> sources, Path dir) throws IOException {
    Path src = dir.resolve("src");
    Path classes = dir.resolve("classes");
    Files.createDirectories(classes);
    List<Path> files = new ArrayList<>();
    for (Map.Entry<String, String> source : sources.entrySet()) {
      Path file = src.resolve(source.getKey());
      Files.createDirectories(file.getParent());
      Files.writeString(file, source.getValue(), StandardCharsets.UTF_8);
      files.add(file);
    }
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    StringWriter output = new StringWriter();
    try (StandardJavaFileManager fileManager =
        compiler.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
      List<String> options = List.of("-Xlint:all", "-Werror", "--release", "17",
          "-classpath", System.getProperty("java.class.path"), "-d", classes.toString());
      boolean ok = compiler.getTask(output, fileManager, diagnostics, options, null,
          fileManager.getJavaFileObjectsFromPaths(files)).call();
      if (!ok || !diagnostics.getDiagnostics().isEmpty()) {
        StringBuilder text = new StringBuilder("javac failed:\n").append(output);
        diagnostics.getDiagnostics().forEach(d -> text.append(d).append('\n'));
        fail(text.toString());
      }
    }
    return classes;
  }

  /**
   * What {@code javadoc -Xdoclint:all} says about {@code sources} (errors and warnings, one a
   * line; empty when clean), writing the pages under {@code out}.
   */
  static List<String> javadocComplaints(List<Path> sources, Path out) throws IOException {
    DocumentationTool javadoc = ToolProvider.getSystemDocumentationTool();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    StringWriter output = new StringWriter();
    try (StandardJavaFileManager files = javadoc.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
      boolean ok = javadoc.getTask(output, files, diagnostics, null,
          List.of("-Xdoclint:all", "-quiet", "-d", out.toString(),
              "-classpath", System.getProperty("java.class.path")),
          files.getJavaFileObjectsFromPaths(sources)).call();
      List<String> complaints = new ArrayList<>();
      diagnostics.getDiagnostics().stream()
          .filter(d -> d.getKind() != Diagnostic.Kind.NOTE)
          .map(d -> d.getSource() == null ? d.getMessage(null)
              : Path.of(d.getSource().toUri()).getFileName() + ":" + d.getLineNumber() + ": "
                  + d.getMessage(null))
          .forEach(complaints::add);
      if (!ok && complaints.isEmpty()) {
        complaints.add(output.toString());
      }
      return complaints;
    }
  }

  /** A class loader over compiled classes, child of the test's loader. */
  static URLClassLoader loader(Path classes) throws IOException {
    return new URLClassLoader(new URL[] {classes.toUri().toURL()}, JavaSources.class.getClassLoader());
  }
}
