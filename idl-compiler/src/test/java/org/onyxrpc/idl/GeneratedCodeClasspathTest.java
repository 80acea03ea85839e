package org.onyxrpc.idl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The classpath idl-compiler/README.md tells an idlc user to compile the generated Java with:
 * the runtime jar and Netty's buffer jar, nothing else. The generated codecs call
 * {@code XdrOutput.writeOpaque}, which javac cannot choose among its overloads without
 * {@code io.netty.buffer.ByteBuf}, so the runtime jar alone is not enough: the README said it was.
 */
class GeneratedCodeClasspathTest {
  @TempDir Path temp;

  @Test
  @Timeout(60)
  void theRuntimeAndNettyBufferCompileTheGeneratedJava() throws IOException {
    assertEquals("", javac(generate(), classpath("onyx-runtime", "netty-buffer")));
  }

  @Test
  @Timeout(60)
  void theRuntimeAloneDoesNot() throws IOException {
    String errors = javac(generate(), classpath("onyx-runtime"));
    assertTrue(errors.contains("io.netty.buffer.ByteBuf not found"), errors);
  }

  /** One of each kind of declaration, and the opaque data that brings in the runtime's ByteBuf. */
  private static final String IDL = """
      package org.example.standalone;
      const MAX = 16;
      enum Color { RED = 1, GREEN = 2 };
      struct Item { string name<MAX>; opaque data<MAX>; opaque fixed[4]; Color color; Item *next; hyper ids<>; };
      union Result switch (int status) { case 0: Item item; default: string error<>; };
      exception NotFound { string name<>; };
      typedef Item Items<MAX>;
      @program(0x20000777)
      service Store {
        version 1 {
          Result get(string name<MAX>) throws NotFound = 1;
          void put(Items items, bool replace) = 2;
          oneway void forget(opaque key<>) = 3;
        }
      }
      """;

  private List<Path> generate() throws IOException {
    Path idl = Files.writeString(temp.resolve("store.idl"), IDL, StandardCharsets.UTF_8);
    IdlCompiler.Result result = IdlCompiler.compile(temp, List.of(), List.of(idl));
    assertTrue(result.succeeded(), result.diagnostics().format());
    List<Path> files = new ArrayList<>();
    for (var source : result.sources()) {
      Path file = temp.resolve("src").resolve(source.path());
      Files.createDirectories(file.getParent());
      Files.writeString(file, source.content(), StandardCharsets.UTF_8);
      files.add(file);
    }
    return files;
  }

  /**
   * The test classpath's entries for the named artifacts: their jars, or (the runtime, in a
   * reactor build) the module's classes directory.
   */
  private static String classpath(String... artifacts) {
    List<String> entries = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> Arrays.stream(artifacts).anyMatch(artifact -> isArtifact(entry, artifact)))
        .toList();
    assertEquals(artifacts.length, entries.size(), "classpath entries of " + Arrays.toString(artifacts) + ": " + entries);
    return String.join(File.pathSeparator, entries);
  }

  private static boolean isArtifact(String entry, String artifact) {
    String name = Path.of(entry).getFileName().toString();
    if (artifact.equals("onyx-runtime") && entry.replace(File.separatorChar, '/').endsWith("/runtime/target/classes")) {
      return true;
    }
    return name.startsWith(artifact + "-") && name.endsWith(".jar") && !name.endsWith("-tests.jar");
  }

  /** javac -Xlint:all -Werror's errors and warnings, one a line; empty when it compiled cleanly. */
  private String javac(List<Path> sources, String classpath) throws IOException {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    Path classes = Files.createDirectories(temp.resolve("classes"));
    try (StandardJavaFileManager files = compiler.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
      boolean ok = compiler.getTask(new StringWriter(), files, diagnostics,
          List.of("-Xlint:all", "-Werror", "--release", "17", "-proc:none", "-classpath", classpath,
              "-d", classes.toString()),
          null, files.getJavaFileObjectsFromPaths(sources)).call();
      String text = diagnostics.getDiagnostics().stream().map(Object::toString)
          .collect(Collectors.joining("\n"));
      assertFalse(ok && !text.isEmpty(), "javac succeeded with diagnostics: " + text);
      return ok ? "" : (text.isEmpty() ? "javac failed" : text);
    }
  }
}
