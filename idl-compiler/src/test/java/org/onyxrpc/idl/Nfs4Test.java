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
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.onyxrpc.idl.source.CompilerOptions;

/**
 * The public NFSv4.1 (RFC 5662) and NFSv4.2 (RFC 7863) XDR, exactly as published, compile to
 * Java that passes {@code javac -Xlint:all -Werror}, and a COMPOUND round-trips through the
 * generated client and server. What the RFCs' {@code %} lines take from {@code <rpc/auth_sys.h>}
 * comes from a prelude, so their text stays unedited (see {@code nfs4/README.md}).
 */
class Nfs4Test {
  @TempDir Path temp;

  private static Path nfs4() {
    return Golden.resources().resolve("nfs4");
  }

  @ParameterizedTest(name = "{0} with {1}")
  @CsvSource({"nfsv41.x, Nfs4Scenario", "nfsv42.x, Nfs42Scenario"})
  @Timeout(180)
  void compoundRoundTripsThroughGeneratedClientAndServer(String xdr, String scenarioClass) throws Exception {
    IdlCompiler.Result result = IdlCompiler.compile(nfs4(),
        new CompilerOptions(List.of(), Map.of(), List.of(), List.of(nfs4().resolve("authsys.x"))),
        List.of(nfs4().resolve(xdr)));
    assertTrue(result.succeeded(), result.diagnostics().format());
    assertEquals("", result.diagnostics().format(), "no warnings either");
    Map<String, String> sources = new TreeMap<>();
    result.sources().forEach(s -> sources.put(s.path(), s.content()));
    String scenarioFile = scenarioClass + ".java";
    sources.put(scenarioFile, Files.readString(nfs4().resolve(scenarioFile), StandardCharsets.UTF_8));
    Path classes = JavaSources.compile(sources, temp);
    try (URLClassLoader loader = JavaSources.loader(classes)) {
      Callable<?> scenario = (Callable<?>) loader.loadClass(scenarioClass).getDeclaredConstructor().newInstance();
      assertEquals("ok", scenario.call());
    }
  }
}
