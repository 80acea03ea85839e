package org.onyxrpc.idl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.onyxrpc.idl.source.CompilerOptions;
import org.onyxrpc.idl.source.SourceFiles;

/**
 * Published {@code .x} files of real projects (libvirt, GlusterFS, libnfs, nfs-ganesha,
 * nfs-utils, nfs4j, ntirpc, FreeBSD, OpenSolaris, Stellar, Remote Tea, oncrpc4j, xdrpp, goxdr,
 * pynfs, Stellar's xdrgen, rust-xdr, the Linux kernel, illumos, rpcsvc-proto, CDE, glibc, MIT
 * Kerberos, AerieBSD, NetBSD, CFS, Apple's NFS, OKWS, SFS, Amanda's NDMP, GSS-Proxy, RozoFS, MySQL,
 * fedfs-utils, Ganglia, Berkeley DB, ypserv, Ocamlnet, LANL's NFS suite, Chimera, pcnfsd, VXI-11,
 * NFStest, Mizar, dart-oncrpc, go-onc, LDM, ACeDB, Subaru's Gen2, OpenDiamond, Mercury; {@code corpus/README.md} says from where), each given to the compiler as a user would, with the
 * options {@code corpus/corpus.txt} lists for it. A file expected to compile does so, to Java that passes
 * {@code javac -Xlint:all -Werror}; a file that cannot be supported gives its errors as {@code
 * file:line:col: error: message}. Either way the diagnostics must be exactly those of {@code
 * FILE.expected} (none when it is absent); {@code -Dgolden.update=true} rewrites them.
 *
 * <p>Two files at a time ({@code junit-platform.properties}): each is javac on one core.
 */
class CorpusTest {
  @TempDir Path temp;

  /**
   * One line of {@code corpus.txt}: a file, its options and what it must give; {@code rpcgen} is
   * "accepts" or "rejects" where rpcgen's verdict differs from Onyx's, else null.
   */
  record Entry(String file, CompilerOptions options, String outcome, String rpcgen) {
    @Override
    public String toString() {
      return file;
    }
  }

  static Path corpus() {
    return Golden.resources().resolve("corpus");
  }

  static List<Entry> entries() throws IOException {
    List<Entry> entries = new ArrayList<>();
    for (String line : Files.readAllLines(corpus().resolve("corpus.txt"), StandardCharsets.UTF_8)) {
      String text = line.replaceAll("#.*", "").strip();
      if (text.isEmpty()) {
        continue;
      }
      String[] words = text.split("\\s+");
      List<Path> preludes = new ArrayList<>();
      Map<String, String> defines = new HashMap<>();
      String outcome = "java";
      String rpcgen = null;
      for (int i = 1; i < words.length; i++) {
        switch (words[i]) {
          case "--prelude" -> preludes.add(corpus().resolve(words[++i]));
          case "-D" -> {
            String[] define = words[++i].split("=", 2);
            defines.put(define[0], define.length > 1 ? define[1] : "1");
          }
          case "=>" -> outcome = words[++i];
          case "rpcgen=accepts", "rpcgen=rejects" -> rpcgen = words[i].substring("rpcgen=".length());
          default -> throw new IllegalArgumentException("corpus.txt: cannot read '" + line + "'");
        }
      }
      Path file = corpus().resolve(words[0]);
      entries.add(new Entry(words[0],
          new CompilerOptions(List.of(file.getParent()), defines, List.of(), preludes), outcome,
          rpcgen));
    }
    return entries;
  }

  @Execution(ExecutionMode.CONCURRENT)
  @ParameterizedTest(name = "{0}")
  @MethodSource("entries")
  void compilesAsListed(Entry entry) throws IOException {
    Path file = corpus().resolve(entry.file());
    IdlCompiler.Result result = IdlCompiler.compile(corpus(), entry.options(), List.of(file));
    String diagnostics = result.diagnostics().format();
    Path expectedFile = corpus().resolve(entry.file() + ".expected");
    if (Golden.update()) {
      if (diagnostics.isEmpty()) {
        Files.deleteIfExists(expectedFile);
      } else {
        Files.writeString(expectedFile, diagnostics, StandardCharsets.UTF_8);
      }
    }
    String expected = Files.exists(expectedFile)
        ? Files.readString(expectedFile, StandardCharsets.UTF_8) : "";
    assertEquals(expected, diagnostics, "diagnostics (" + entry.file() + ".expected)");
    switch (entry.outcome()) {
      case "java" -> {
        assertTrue(result.succeeded());
        assertFalse(result.sources().isEmpty(), "no Java for " + entry.file());
        Map<String, String> sources = new TreeMap<>();
        result.sources().forEach(source -> sources.put(source.path(), source.content()));
        assertEquals(result.sources().size(), sources.size(), "two sources with one path");
        JavaSources.compile(sources, temp);
      }
      case "no-java" -> {
        // Typedefs of XDR's own types and C in % lines only: nothing for Java to declare.
        assertTrue(result.succeeded());
        assertEquals(List.of(), result.sources());
      }
      case "errors" -> {
        assertFalse(result.succeeded(), "expected errors");
        assertFalse(expected.contains("Exception"), "a stack trace");
      }
      default -> throw new IllegalArgumentException("unknown outcome " + entry.outcome());
    }
  }

  @Test
  void everyFileOfTheCorpusIsListed() throws IOException {
    Set<String> listed = new TreeSet<>();
    for (Entry entry : entries()) {
      assertTrue(Files.isRegularFile(corpus().resolve(entry.file())), entry.file() + " is missing");
      listed.add(entry.file());
      entry.options().preludes().forEach(p -> listed.add(corpus().relativize(p).toString()));
    }
    try (Stream<Path> files = Files.walk(corpus())) {
      Set<String> present = new TreeSet<>(files.filter(SourceFiles::isSource)
          .map(p -> corpus().relativize(p).toString().replace('\\', '/')).toList());
      present.removeAll(listed);
      assertEquals(Set.of(), present, "files in corpus/ that corpus.txt does not list");
    }
  }
}
