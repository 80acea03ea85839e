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
 * Generates Java from IDL, compiles it with a scenario class in-process, and runs the scenario:
 * generated stubs against a real server over loopback, and generated codecs against the byte
 * vectors the C library produced.
 */
class EndToEndTest {
  @TempDir Path temp;

  private static Path e2e() {
    return Golden.resources().resolve("e2e");
  }

  private Object run(List<Path> idl, Path scenario, String scenarioPath, String className)
      throws Exception {
    IdlCompiler.Result result = IdlCompiler.compile(e2e(), List.of(), idl);
    assertTrue(result.succeeded(), result.diagnostics().format());
    Map<String, String> sources = new TreeMap<>();
    result.sources().forEach(s -> sources.put(s.path(), s.content()));
    sources.put(scenarioPath, Files.readString(scenario, StandardCharsets.UTF_8));
    Path classes = JavaSources.compile(sources, temp);
    try (URLClassLoader loader = JavaSources.loader(classes)) {
      Callable<?> callable = (Callable<?>) loader.loadClass(className)
          .getDeclaredConstructor().newInstance();
      return callable.call();
    }
  }

  @Test
  @Timeout(120)
  void everyTypeThroughARealServer() throws Exception {
    assertEquals("ok", run(List.of(e2e().resolve("everything.idl")), e2e().resolve("Scenario.java"),
        "org/example/e2e/Scenario.java", "org.example.e2e.Scenario"));
  }

  @Test
  @Timeout(60)
  void longRecursiveListRoundTripsWithoutStackOverflow() throws Exception {
    assertEquals("ok", run(List.of(e2e().resolve("everything.idl")),
        e2e().resolve("LongListScenario.java"), "org/example/e2e/LongListScenario.java",
        "org.example.e2e.LongListScenario"));
  }

  /**
   * Fails before (each exception had its stack trace): a generated enum's and union's refusal of
   * a peer's value is the reader's, without a stack trace where a server reads a call.
   */
  @Test
  @Timeout(60)
  void anEnumValueOrDiscriminantFromAPeerIsRefusedWithoutAStackTrace() throws Exception {
    assertEquals("ok", run(List.of(e2e().resolve("garbage.idl")),
        e2e().resolve("GarbageScenario.java"), "org/example/e2e/GarbageScenario.java",
        "org.example.e2e.GarbageScenario"));
  }

  @Test
  @Timeout(60)
  void deepNestingFromAPeerIsAnErrorNotAStackOverflow() throws Exception {
    assertEquals("ok", run(List.of(e2e().resolve("nesting.idl")),
        e2e().resolve("DeepNestingScenario.java"), "org/example/e2e/DeepNestingScenario.java",
        "org.example.e2e.DeepNestingScenario"));
  }

  @Test
  @Timeout(60)
  void procedureZeroWithAResultRunsOnTheImplementationAndPingsStillWork() throws Exception {
    assertEquals("ok", run(List.of(Golden.resources().resolve("golden/null-procedure/bind.x")),
        e2e().resolve("NullProcedureScenario.java"), "NullProcedureScenario.java",
        "NullProcedureScenario"));
  }

  @Test
  @Timeout(60)
  void factoriesAndBindRejectNullAtOnceNamingTheParameter() throws Exception {
    assertEquals("ok", run(List.of(Golden.resources().resolve("golden/null-procedure/bind.x")),
        e2e().resolve("NullArgumentsScenario.java"), "NullArgumentsScenario.java",
        "NullArgumentsScenario"));
  }

  /**
   * Fails before (each record was built, and a call with it failed INTERNAL in the codec): a
   * generated record refuses null where XDR has none, naming the field.
   */
  @Test
  @Timeout(60)
  void aRecordRefusesNullWhereXdrHasNone() throws Exception {
    assertEquals("ok", run(List.of(e2e().resolve("everything.idl")),
        e2e().resolve("NullFieldsScenario.java"), "org/example/e2e/NullFieldsScenario.java",
        "org.example.e2e.NullFieldsScenario"));
  }

  /**
   * Fails before (each call reached the client, which failed it INTERNAL in the codec): a stub
   * refuses a null single argument where XDR has none, naming the procedure and the parameter.
   */
  @Test
  @Timeout(60)
  void aStubRefusesANullArgumentWhereXdrHasNone() throws Exception {
    assertEquals("ok", run(List.of(e2e().resolve("everything.idl")),
        e2e().resolve("NullStubArgumentScenario.java"),
        "org/example/e2e/NullStubArgumentScenario.java", "org.example.e2e.NullStubArgumentScenario"));
  }

  /**
   * Fails before (the failure the server logged was the Reply codec's NullPointerException,
   * naming no procedure): an implementation's null result where XDR has none is refused by the
   * skeleton of a procedure with declared exceptions, naming it, and answered SYSTEM_ERR.
   */
  @Test
  @Timeout(60)
  void aNullResultIsTheServersErrorNamingTheProcedure() throws Exception {
    assertEquals("ok", run(List.of(e2e().resolve("everything.idl")),
        e2e().resolve("NullResultScenario.java"), "org/example/e2e/NullResultScenario.java",
        "org.example.e2e.NullResultScenario"));
  }

  /**
   * Fails before (the future of a procedure with declared exceptions was a dependent stage: its
   * handlers saw a CompletionException, and cancelling it left the call running to its deadline):
   * an async stub's future fails with the declared exception or RpcException itself, and
   * cancelling it cancels the call.
   */
  @Test
  @Timeout(180)
  void anAsyncStubsFutureIsTheCallsOwnFailuresAndCancellation() throws Exception {
    assertEquals("ok", run(List.of(e2e().resolve("everything.idl")),
        e2e().resolve("AsyncStubFuturesScenario.java"),
        "org/example/e2e/AsyncStubFuturesScenario.java", "org.example.e2e.AsyncStubFuturesScenario"));
  }

  @Test
  @Timeout(120)
  void generatedCodecsMatchTheCLibrary() throws Exception {
    assertEquals("ok", run(List.of(e2e().resolve("conformance/vectors.x")),
        e2e().resolve("conformance/VectorsScenario.java"), "VectorsScenario.java", "VectorsScenario"));
  }
}
