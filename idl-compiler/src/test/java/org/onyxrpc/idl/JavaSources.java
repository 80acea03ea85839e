package org.onyxrpc.idl;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.DocumentationTool;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles Java sources in-process with {@code -Xlint:all -Werror} against the test classpath.
 * Each thread has one file manager for every compilation it runs (a new one per compilation
 * opened and indexed the classpath's jars again: a fifth of javac's time; a file manager is not
 * safe for two threads, and CorpusTest and XdrDifferentialTest compile on two), javac does not
 * look for annotation processors (none is on the test classpath, and the search through it was
 * two fifths of the time of a small compilation), and sources compiled once are not compiled
 * again: the classes of the first compilation, kept in memory (some 60 MB for the whole corpus),
 * are written out again. CorpusTest and XdrDifferentialTest compile the same generated Java of
 * most corpus files, LibvirtRoundTripTest the same scenario in each of its tests.
 */
final class JavaSources {
  private static final JavaCompiler COMPILER = ToolProvider.getSystemJavaCompiler();
  private static final ThreadLocal<StandardJavaFileManager> FILE_MANAGER = ThreadLocal.withInitial(
      () -> COMPILER.getStandardFileManager(null, null, StandardCharsets.UTF_8));
  /**
   * The class files (path to bytes) of each set of sources compiled, by {@link #digest}. Two
   * threads given the same sources at once both compile them, and both write the same bytes.
   */
  private static final Map<String, Map<Path, byte[]>> compiled = new ConcurrentHashMap<>();

  private JavaSources() {}

  /** Writes {@code sources} (path to text) under {@code dir}/src, compiles them to {@code dir}/classes. */
  static Path compile(Map<String, String> sources, Path dir) throws IOException {
    return compile(sources, dir, null, "");
  }

  /**
   * As {@link #compile(Map, Path)}, against {@code base} (classes of an earlier compile, whose
   * sources are those {@code baseDigest} names) as well as the test classpath.
   */
  static Path compile(Map<String, String> sources, Path dir, Path base, String baseDigest)
      throws IOException {
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
    String digest = digest(sources) + baseDigest;
    Map<Path, byte[]> earlier = compiled.get(digest);
    if (earlier != null) {
      for (Map.Entry<Path, byte[]> file : earlier.entrySet()) {
        Path target = classes.resolve(file.getKey());
        Files.createDirectories(target.getParent());
        Files.write(target, file.getValue());
      }
      return classes;
    }
    StandardJavaFileManager fileManager = FILE_MANAGER.get();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    StringWriter output = new StringWriter();
    String classpath = System.getProperty("java.class.path");
    if (base != null) {
      classpath = base + java.io.File.pathSeparator + classpath;
    }
    List<String> options = List.of("-Xlint:all", "-Werror", "--release", "17", "-proc:none",
        "-classpath", classpath, "-d", classes.toString());
    boolean ok = COMPILER.getTask(output, fileManager, diagnostics, options, null,
        fileManager.getJavaFileObjectsFromPaths(files)).call();
    if (!ok || !diagnostics.getDiagnostics().isEmpty()) {
      StringBuilder text = new StringBuilder("javac failed:\n").append(output);
      diagnostics.getDiagnostics().forEach(d -> text.append(d).append('\n'));
      fail(text.toString());
    }
    Map<Path, byte[]> written = new HashMap<>();
    try (Stream<Path> outputs = Files.walk(classes)) {
      for (Path file : outputs.filter(Files::isRegularFile).toList()) {
        written.put(classes.relativize(file), Files.readAllBytes(file));
      }
    }
    compiled.put(digest, written);
    return classes;
  }

  /** SHA-256 of the paths and texts of {@code sources}, each ended by a NUL. */
  static String digest(Map<String, String> sources) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      new TreeMap<>(sources).forEach((path, text) -> {
        sha.update((path + '\0' + text + '\0').getBytes(StandardCharsets.UTF_8));
      });
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
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

  /** A class loader over compiled classes (looked for in that order), child of the test's loader. */
  static URLClassLoader loader(Path... classes) throws IOException {
    URL[] urls = new URL[classes.length];
    for (int i = 0; i < classes.length; i++) {
      urls[i] = classes[i].toUri().toURL();
    }
    return new URLClassLoader(urls, JavaSources.class.getClassLoader());
  }
}
