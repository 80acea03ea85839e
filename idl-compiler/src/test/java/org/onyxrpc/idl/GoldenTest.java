package org.onyxrpc.idl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.ast.body.RecordDeclaration;
import com.github.javaparser.javadoc.JavadocBlockTag;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.DocumentationTool;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.onyxrpc.idl.source.SourceFiles;

/**
 * Each folder under {@code golden/} holds {@code .idl} (or {@code .x}) inputs and, under {@code
 * expected/}, the exact Java the compiler must generate. The expected sources are compiled with
 * {@code -Xlint:all -Werror} against the runtime, so a golden file can never lock in broken code.
 * {@code -Dgolden.update=true} rewrites them.
 */
class GoldenTest {
  @TempDir Path temp;

  static Stream<String> cases() throws IOException {
    try (Stream<Path> dirs = Files.list(Golden.resources().resolve("golden"))) {
      return dirs.map(d -> d.getFileName().toString()).sorted().toList().stream();
    }
  }

  static List<Path> inputs(Path dir) throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(SourceFiles::isSource)
          .sorted().toList();
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void generatesExpectedJava(String name) throws IOException {
    Path dir = Golden.resources().resolve("golden").resolve(name);
    IdlCompiler.Result result = IdlCompiler.compile(dir, List.of(), inputs(dir));
    assertTrue(result.succeeded(), result.diagnostics().format());
    Map<String, String> actual = new TreeMap<>();
    result.sources().forEach(s -> actual.put(s.path(), s.content()));
    Path expectedDir = dir.resolve("expected");
    if (Golden.update()) {
      if (Files.exists(expectedDir)) {
        try (Stream<Path> old = Files.walk(expectedDir)) {
          for (Path p : old.sorted((a, b) -> b.compareTo(a)).toList()) {
            Files.delete(p);
          }
        }
      }
      for (Map.Entry<String, String> source : actual.entrySet()) {
        Path file = expectedDir.resolve(source.getKey());
        Files.createDirectories(file.getParent());
        Files.writeString(file, source.getValue(), StandardCharsets.UTF_8);
      }
    }
    Map<String, String> expected = new TreeMap<>();
    try (Stream<Path> files = Files.walk(expectedDir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String path = expectedDir.relativize(file).toString().replace('\\', '/');
        expected.put(path, Files.readString(file, StandardCharsets.UTF_8));
      }
    }
    assertEquals(expected.keySet(), actual.keySet(), "generated files");
    for (String path : expected.keySet()) {
      assertEquals(expected.get(path), actual.get(path), path);
    }
    JavaSources.compile(expected, temp);
  }

  /** The javadoc tool, with every doclint check, finds nothing to say about generated code. */
  @ParameterizedTest
  @MethodSource("cases")
  void javadocIsClean(String name) throws IOException {
    Path expectedDir = Golden.resources().resolve("golden").resolve(name).resolve("expected");
    List<Path> sources;
    try (Stream<Path> files = Files.walk(expectedDir)) {
      sources = files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
    }
    DocumentationTool javadoc = ToolProvider.getSystemDocumentationTool();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    StringWriter output = new StringWriter();
    try (StandardJavaFileManager files = javadoc.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
      boolean ok = javadoc.getTask(output, files, diagnostics, null,
          List.of("-Xdoclint:all", "-quiet", "-d", temp.resolve("javadoc").toString(),
              "-classpath", System.getProperty("java.class.path")),
          files.getJavaFileObjectsFromPaths(sources)).call();
      List<String> complaints = diagnostics.getDiagnostics().stream()
          .filter(d -> d.getKind() != Diagnostic.Kind.NOTE)
          .map(d -> d.getSource() == null ? d.getMessage(null)
              : Path.of(d.getSource().toUri()).getFileName() + ":" + d.getLineNumber() + ": "
                  + d.getMessage(null))
          .toList();
      assertEquals(List.of(), complaints, output.toString());
      assertTrue(ok, output.toString());
    }
  }

  /**
   * Every record documents each component with {@code @param}: javadoc -Xdoclint:all warns of a
   * missing one since JDK 18, which the JDK 17 run of {@link #javadocIsClean} cannot see.
   */
  @ParameterizedTest
  @MethodSource("cases")
  void everyRecordComponentHasItsParamTag(String name) throws IOException {
    Path expectedDir = Golden.resources().resolve("golden").resolve(name).resolve("expected");
    List<String> missing = new ArrayList<>();
    try (Stream<Path> files = Files.walk(expectedDir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
        for (RecordDeclaration record : new JavaParser(new ParserConfiguration()
            .setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_17)).parse(file).getResult()
            .orElseThrow().findAll(RecordDeclaration.class)) {
          if (record.isLocalRecordDeclaration()) {
            continue; // a decoder's own (LinkedListCodec): javadoc never sees it
          }
          Set<String> tagged = new HashSet<>();
          record.getJavadoc().ifPresent(doc -> doc.getBlockTags().stream()
              .filter(t -> t.getType() == JavadocBlockTag.Type.PARAM)
              .forEach(t -> t.getName().ifPresent(tagged::add)));
          record.getParameters().stream().map(p -> p.getNameAsString())
              .filter(component -> !tagged.contains(component))
              .forEach(component -> missing.add(file.getFileName() + ": "
                  + record.getNameAsString() + "." + component));
        }
      }
    }
    assertEquals(List.of(), missing);
  }

  @ParameterizedTest
  @MethodSource("cases")
  void outputIsDeterministic(String name) throws IOException {
    Path dir = Golden.resources().resolve("golden").resolve(name);
    IdlCompiler.Result first = IdlCompiler.compile(dir, List.of(), inputs(dir));
    IdlCompiler.Result second = IdlCompiler.compile(dir, List.of(), inputs(dir));
    assertEquals(first.sources(), second.sources());
    first.sources().forEach(s -> assertTrue(
        s.content().startsWith("// Generated by Onyx from "), s.path()));
    first.sources().forEach(s -> assertTrue(!s.content().contains(dir.toString()), s.path()));
  }
}
