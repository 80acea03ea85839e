package org.onyxrpc.idl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.onyxrpc.idl.source.CompilerOptions;

/**
 * Every {@code .x} file the system ships in {@code /usr/include/rpcsvc} (Debian's
 * rpcsvc-proto: NFS, mount, NLM, NIS, yp, rstat, ...), each given alone as a new user would,
 * compiles without errors to Java that passes {@code javac -Xlint:all -Werror}. The directory
 * must be there in CI ({@code CI=true}, where {@code .ci/run} installs it); elsewhere the test
 * is skipped when it is missing.
 */
class RpcsvcTest {
  static final Path RPCSVC = Path.of("/usr/include/rpcsvc");

  /** nis_callback.x takes nis_object from a C header; nis.x declares it. */
  static final Map<String, String> PRELUDES = Map.of("nis_callback.x", "nis.x");

  @TempDir Path temp;

  static Stream<String> files() throws IOException {
    if (!Files.isDirectory(RPCSVC)) {
      assertFalse("true".equals(System.getenv("CI")),
          RPCSVC + " is missing: CI must install the rpcsvc .x files (rpcsvc-proto)");
      Assumptions.abort(RPCSVC + " is missing");
    }
    try (Stream<Path> list = Files.list(RPCSVC)) {
      List<String> names = list.map(p -> p.getFileName().toString())
          .filter(name -> name.endsWith(".x")).sorted().toList();
      assertFalse(names.isEmpty(), "no .x files in " + RPCSVC);
      return names.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("files")
  void compilesToWarningFreeJava(String name) throws IOException {
    List<Path> preludes = PRELUDES.containsKey(name)
        ? List.of(RPCSVC.resolve(PRELUDES.get(name))) : List.of();
    IdlCompiler.Result result = IdlCompiler.compile(temp,
        new CompilerOptions(List.of(RPCSVC), Map.of(), List.of(), preludes),
        List.of(RPCSVC.resolve(name)));
    assertTrue(result.succeeded(), result.diagnostics().format());
    assertFalse(result.sources().isEmpty(), "no Java for " + name);
    Map<String, String> sources = new TreeMap<>();
    result.sources().forEach(source -> sources.put(source.path(), source.content()));
    JavaSources.compile(sources, temp.resolve("java"));
    assertEquals(result.sources().size(), sources.size(), "two sources with one path");
  }
}
