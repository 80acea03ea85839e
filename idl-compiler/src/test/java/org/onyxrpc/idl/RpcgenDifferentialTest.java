package org.onyxrpc.idl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Onyx against rpcgen, file by file: every file of the corpus goes through {@code rpcgen -h} and
 * {@code rpcgen -c} (also with {@code -N}, whose several arguments Onyx always reads), and rpcgen
 * must accept exactly the files Onyx accepts ({@code CorpusTest} holds Onyx to the outcome
 * {@code corpus.txt} lists), unless the line says otherwise with {@code rpcgen=accepts} (Onyx
 * needs what only C has) or {@code rpcgen=rejects} (a dialect rpcgen does not read);
 * {@code corpus/README.md} gives each such file's reason. A new file on which the two disagree
 * fails here until it is looked at. Needs rpcgen: skipped without it, except under CI=true.
 *
 * <p>Two files at a time ({@code junit-platform.properties}): each is rpcgen, cpp and cc1 processes.
 */
class RpcgenDifferentialTest {
  @TempDir Path temp;

  static List<CorpusTest.Entry> entries() throws IOException {
    return CorpusTest.entries();
  }

  @Execution(ExecutionMode.CONCURRENT)
  @ParameterizedTest(name = "{0}")
  @MethodSource("entries")
  void rpcgenAgreesOrTheDifferenceIsListed(CorpusTest.Entry entry) throws Exception {
    NativeToolchain.requireRpcgen();
    Path file = CorpusTest.corpus().resolve(entry.file());
    boolean onyx = !entry.outcome().equals("errors");
    List<String> output = new ArrayList<>();
    boolean rpcgen = accepts(file, List.of(), output) || accepts(file, List.of("-N"), output);
    boolean expected = entry.rpcgen() == null ? onyx : entry.rpcgen().equals("accepts");
    assertEquals(expected, rpcgen, entry.file() + ": rpcgen " + (rpcgen ? "accepts" : "rejects")
        + " it and Onyx " + (onyx ? "accepts" : "rejects") + " it"
        + (entry.rpcgen() == null ? "; mark the line rpcgen=" + (rpcgen ? "accepts" : "rejects")
            + " and say why in corpus/README.md" : "") + "\n" + String.join("\n", output));
  }

  /**
   * Whether {@code rpcgen -h} and {@code rpcgen -c}, with {@code flags}, both succeed (run once a
   * JVM: {@link RpcgenRuns}, whose outputs XdrDifferentialTest compiles).
   */
  private boolean accepts(Path file, List<String> flags, List<String> output) throws Exception {
    for (String kind : List.of("-h", "-c")) {
      RpcgenRuns.Output run = RpcgenRuns.of(file, flags, kind, temp);
      if (!run.succeeded()) {
        output.add(run.failure());
        return false;
      }
    }
    return true;
  }
}
