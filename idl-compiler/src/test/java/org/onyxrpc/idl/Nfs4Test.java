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
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The public NFSv4.1 XDR (RFC 5662), exactly as extracted from the RFC, compiles to Java that
 * passes {@code javac -Xlint:all -Werror}, and a COMPOUND round-trips through the generated
 * client and server. What the RFC's {@code %} lines take from {@code <rpc/auth_sys.h>} comes
 * from a prelude, so the RFC's text stays unedited (see {@code nfs4/README.md}).
 */
class Nfs4Test {
  @TempDir Path temp;

  private static Path nfs4() {
    return Golden.resources().resolve("nfs4");
  }

  @Test
  @Timeout(180)
  void compoundRoundTripsThroughGeneratedClientAndServer() throws Exception {
    IdlCompiler.Result result = IdlCompiler.compile(nfs4(),
        new CompilerOptions(List.of(), Map.of(), List.of(), List.of(nfs4().resolve("authsys.x"))),
        List.of(nfs4().resolve("nfsv41.x")));
    assertTrue(result.succeeded(), result.diagnostics().format());
    assertEquals("", result.diagnostics().format(), "no warnings either");
    Map<String, String> sources = new TreeMap<>();
    result.sources().forEach(s -> sources.put(s.path(), s.content()));
    sources.put("Nfs4Scenario.java", Files.readString(nfs4().resolve("Nfs4Scenario.java"), StandardCharsets.UTF_8));
    Path classes = JavaSources.compile(sources, temp);
    try (URLClassLoader loader = JavaSources.loader(classes)) {
      Callable<?> scenario = (Callable<?>) loader.loadClass("Nfs4Scenario").getDeclaredConstructor().newInstance();
      assertEquals("ok", scenario.call());
    }
  }
}
