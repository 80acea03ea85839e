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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.onyxrpc.idl.source.CompilerOptions;
import org.onyxrpc.testing.Unavailable;

/**
 * Every {@code .x} file the system ships in {@code /usr/include/rpcsvc} (Debian's
 * rpcsvc-proto: NFS, mount, NLM, NIS, yp, rstat, ...), each given alone as a new user would,
 * compiles without errors to Java that passes {@code javac -Xlint:all -Werror}; so do the
 * {@code .x} files libtirpc ships in {@code /usr/include/tirpc} (rpcbind's {@code rpcb_prot.x},
 * {@code crypt.x}). The directories must be there in CI ({@code CI=true}, where {@code .ci/run}
 * installs them); elsewhere the test is skipped when one is missing.
 */
class RpcsvcTest {
  static final Path RPCSVC = Path.of("/usr/include/rpcsvc");
  static final Path TIRPC = Path.of("/usr/include/tirpc");

  @TempDir Path temp;

  static Stream<String> files() throws IOException {
    requireDirectory(RPCSVC, "rpcsvc-proto");
    try (Stream<Path> list = Files.list(RPCSVC)) {
      List<String> names = list.map(p -> p.getFileName().toString())
          .filter(name -> name.endsWith(".x")).sorted().toList();
      assertFalse(names.isEmpty(), "no .x files in " + RPCSVC);
      return names.stream();
    }
  }

  static Stream<String> tirpcFiles() throws IOException {
    requireDirectory(TIRPC, "libtirpc-dev");
    try (Stream<Path> walk = Files.walk(TIRPC)) {
      List<String> names = walk.filter(p -> p.toString().endsWith(".x"))
          .map(p -> TIRPC.relativize(p).toString()).sorted().toList();
      assertFalse(names.isEmpty(), "no .x files in " + TIRPC);
      return names.stream();
    }
  }

  private static void requireDirectory(Path dir, String debianPackage) {
    if (!Files.isDirectory(dir)) {
      Unavailable.because(dir + " is missing: install its .x files (" + debianPackage + ")");
    }
  }

  @ParameterizedTest
  @MethodSource("files")
  void compilesToWarningFreeJava(String name) throws IOException {
    // nis_callback.x takes nis_object through %#include <rpcsvc/nis.h>: nis.x beside it.
    compile(RPCSVC.resolve(name), List.of());
  }

  /**
   * Apple's automount keeps its {@code mount.x} as one line, {@code #include <rpcsvc/mount.x>},
   * which cpp, and so rpcgen, finds in {@code /usr/include}, after the {@code -I} directories.
   */
  @Test
  void anIncludeOfASystemFileIsFoundInUsrInclude() throws IOException {
    requireDirectory(RPCSVC, "rpcsvc-proto");
    Path file = temp.resolve("mount.x");
    Files.writeString(file, "#include <rpcsvc/mount.x>\n");
    compile(file, List.of());
  }

  /**
   * All of them in one run, as the Maven plugin compiles a source directory that holds them, or
   * {@code idlc *.x}: files that do not import each other may each declare a name, as
   * {@code klm_prot.x} and {@code nlm_prot.x} declare {@code LM_MAXSTRLEN}. Before, the second
   * file's {@code %#define LM_MAXSTRLEN 1024} was dropped for the first's constant, which it does
   * not see: "constant 'LM_MAXSTRLEN' is declared in klm_prot.x, which nlm_prot.x does not
   * import".
   */
  @Test
  void allTogetherCompileToWarningFreeJava() throws IOException {
    compile(files().map(RPCSVC::resolve).toList(), List.of());
  }

  @ParameterizedTest
  @MethodSource("tirpcFiles")
  void tirpcFilesCompileToWarningFreeJava(String name) throws IOException {
    compile(TIRPC.resolve(name), List.of());
  }

  private void compile(Path file, List<Path> preludes) throws IOException {
    compile(List.of(file), preludes);
  }

  private void compile(List<Path> files, List<Path> preludes) throws IOException {
    String name = files.size() == 1 ? files.get(0).getFileName().toString() : files.toString();
    IdlCompiler.Result result = IdlCompiler.compile(temp,
        new CompilerOptions(List.of(files.get(0).getParent()), Map.of(), List.of(), preludes),
        files);
    assertTrue(result.succeeded(), result.diagnostics().format());
    assertFalse(result.sources().isEmpty(), "no Java for " + name);
    Map<String, String> sources = new TreeMap<>();
    result.sources().forEach(source -> sources.put(source.path(), source.content()));
    JavaSources.compile(sources, temp.resolve("java"));
    assertEquals(result.sources().size(), sources.size(), "two sources with one path");
  }
}
