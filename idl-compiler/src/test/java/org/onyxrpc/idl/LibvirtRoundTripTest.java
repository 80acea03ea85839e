package org.onyxrpc.idl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.idl.source.CompilerOptions;

/**
 * libvirt's {@code remote_protocol.x} (the largest file of {@code corpus/}), compiled as idlc
 * would with the prelude of what libvirt's C headers give it: values of its typed-parameter
 * union, optional strings, fixed opaque UUIDs and procedure enum round-trip through the generated
 * codecs, and some have their bytes checked as RFC 4506 lays them out
 * ({@code roundtrip/LibvirtRoundTrip.java}).
 */
class LibvirtRoundTripTest {
  @TempDir Path temp;

  @Test
  void remoteProtocolValuesRoundTripThroughGeneratedCodecs() throws Exception {
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
    Path classes = JavaSources.compile(sources, temp);
    try (URLClassLoader loader = JavaSources.loader(classes)) {
      Callable<?> roundTrip = (Callable<?>) loader.loadClass("LibvirtRoundTrip")
          .getDeclaredConstructor().newInstance();
      assertEquals("ok", roundTrip.call());
    }
  }
}
