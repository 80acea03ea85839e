package org.onyxrpc.idl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.idl.source.CompilerOptions;

/**
 * libvirt's {@code remote_protocol.x} (the largest file of {@code corpus/}), compiled as idlc
 * would with the prelude of what libvirt's C headers give it: values of its typed-parameter
 * union, optional strings, fixed opaque UUIDs and procedure enum round-trip through the generated
 * codecs, some have their bytes checked as RFC 4506 lays them out, and rpcgen's C, made from the
 * same unedited file, writes the same bytes for them ({@code roundtrip/}). Without rpcgen, gcc or
 * libtirpc's headers the C comparison is skipped on a developer's machine and fails under CI.
 */
class LibvirtRoundTripTest {
  private static final Path TIRPC_INCLUDE = Path.of("/usr/include/tirpc");

  @TempDir Path temp;

  @Test
  void remoteProtocolValuesRoundTripThroughGeneratedCodecs() throws Exception {
    try (URLClassLoader loader = JavaSources.loader(compileWithScenario())) {
      Callable<?> roundTrip = (Callable<?>) scenario(loader);
      assertEquals("ok", roundTrip.call());
    }
  }

  /** libvirt's doc comments annotate procedures with "@generate: none", "@acl: ...": plain text. */
  @Test
  void generatedJavadocIsClean() throws Exception {
    compileWithScenario();
    List<Path> generated;
    try (Stream<Path> files = Files.walk(temp.resolve("java/src"))) {
      generated = files.filter(f -> f.toString().endsWith(".java"))
          .filter(f -> !f.endsWith("LibvirtRoundTrip.java")).sorted().toList();
    }
    assertEquals(List.of(), JavaSources.javadocComplaints(generated, temp.resolve("javadoc")));
  }

  @Test
  @Timeout(300)
  void rpcgensCWritesTheSameBytes() throws Exception {
    NativeToolchain.require();
    Path c = Files.createDirectories(temp.resolve("c"));
    Path cSources = Golden.resources().resolve("roundtrip/c");
    Files.copy(CorpusTest.corpus().resolve("libvirt/remote_protocol.x"), c.resolve("remote_protocol.x"));
    run(c, "rpcgen", "-h", "-o", "remote_protocol.h", "remote_protocol.x");
    run(c, "rpcgen", "-c", "-o", "remote_protocol_xdr.c", "remote_protocol.x");
    run(c, "gcc", "-I.", "-I" + cSources, "-I" + TIRPC_INCLUDE, "-o", "vectors",
        cSources.resolve("libvirt_vectors.c").toString(), "remote_protocol_xdr.c", "-ltirpc");
    Map<String, String> fromC = new TreeMap<>();
    for (String line : run(c, c.resolve("vectors").toString()).split("\n")) {
      String[] nameAndHex = line.split(" ");
      fromC.put(nameAndHex[0], nameAndHex[1]);
    }
    try (URLClassLoader loader = JavaSources.loader(compileWithScenario())) {
      @SuppressWarnings("unchecked")
      Function<Map<String, String>, String> agree = (Function<Map<String, String>, String>) scenario(loader);
      assertEquals("ok", agree.apply(fromC));
    }
  }

  private static Object scenario(URLClassLoader loader) throws ReflectiveOperationException {
    return loader.loadClass("LibvirtRoundTrip").getDeclaredConstructor().newInstance();
  }

  /** Runs a command in {@code dir}; its standard output, or a failure with all it printed. */
  private static String run(Path dir, String... command) throws IOException, InterruptedException {
    Path output = Files.createTempFile(dir, "out", ".txt");
    Process process = new ProcessBuilder(command).directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    if (!process.waitFor(240, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail(String.join(" ", command) + " did not finish");
    }
    String text = Files.readString(output, StandardCharsets.UTF_8);
    assertEquals(0, process.exitValue(), String.join(" ", command) + " failed:\n" + text);
    return text;
  }

  /** The Java of remote_protocol.x and the scenario, compiled; the classes' directory. */
  private Path compileWithScenario() throws IOException {
    Path corpus = CorpusTest.corpus();
    IdlCompiler.Result result = IdlCompiler.compile(corpus,
        new CompilerOptions(List.of(), Map.of(), List.of(),
            List.of(corpus.resolve("headers/libvirt-headers.x"))),
        List.of(corpus.resolve("libvirt/remote_protocol.x")));
    assertTrue(result.succeeded(), result.diagnostics().format());
    Map<String, String> sources = new TreeMap<>();
    result.sources().forEach(s -> sources.put(s.path(), s.content()));
    Path scenario = Golden.resources().resolve("roundtrip/LibvirtRoundTrip.java");
    sources.put("LibvirtRoundTrip.java", Files.readString(scenario, StandardCharsets.UTF_8));
    return JavaSources.compile(sources, temp.resolve("java"));
  }
}
