package org.onyxrpc.idl;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.idl.RpcgenGrammar.Case;

/**
 * Whole {@code .x} files of {@link RandomXFiles}, and their near misses, given to rpcgen (with
 * the real cpp, and gcc on its C: {@link RpcgenVerdicts}) and to idlc: idlc accepts exactly the
 * files rpcgen accepts, unless {@code rpcgen-grammar/random-files.txt} lists the file with the
 * reason; what it rejects it reports as {@code file:line:col: error: message}; what it accepts
 * compiles with {@code javac -Xlint:all -Werror}; and the generated files both accept code their
 * types and procedures' arguments and results byte for byte as rpcgen's C does ({@link
 * XdrDifferentialTest#check}).
 *
 * <p>The build replays the seeds {@link #SEEDS} (seed 3 holds a lone {@code T *} argument, which
 * idlc coded as optional data and rpcgen's C as {@code T}). More seeds, a longer run (some 0.1 s
 * of rpcgen and gcc a file, and a few seconds of gcc and javac for each XDR comparison; 100
 * seeds take about 5 minutes):
 * <pre>
 * mvn -o -pl idl-compiler test -Dtest=RandomXFilesTest -Drandom.x.seeds=1-100
 * </pre>
 * Its disagreements are listed in {@code target/.../verdicts.tsv} (kept when the test fails),
 * one a line: file, rpcgen's verdict, idlc's, and why rpcgen rejected. Needs rpcgen, gcc and
 * libtirpc-dev: skipped without them, except under CI.
 */
class RandomXFilesTest {
  /** The seeds the build replays (each a file and {@link #NEAR_MISSES} near misses). */
  private static final String SEEDS = "1-4";
  private static final int NEAR_MISSES = 4;

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path temp;

  @Test
  void idlcAndRpcgenAgreeOnGeneratedFiles() throws Exception {
    NativeToolchain.require();
    List<Case> cases = new ArrayList<>();
    List<Boolean> originals = new ArrayList<>();
    for (long seed : seeds(System.getProperty("random.x.seeds", SEEDS))) {
      RandomXFiles.File file = RandomXFiles.file(seed);
      cases.add(new Case("seed " + seed, file.text(), true, true, true));
      originals.add(true);
      for (RandomXFiles.NearMiss miss : RandomXFiles.nearMisses(file.text(), seed, NEAR_MISSES)) {
        cases.add(new Case("seed " + seed + ", " + miss.description(), miss.text(), true, true,
            true));
        originals.add(false);
      }
    }
    WholeFileComparison.check(cases, originals, "rpcgen-grammar/random-files.txt", temp);
  }

  /** "1-6" or "3,9,12-14" as the seeds. */
  private static List<Long> seeds(String spec) {
    List<Long> seeds = new ArrayList<>();
    for (String part : spec.split(",")) {
      String[] range = part.strip().split("-", 2);
      long from = Long.parseLong(range[0]);
      long to = range.length == 2 ? Long.parseLong(range[1]) : from;
      for (long seed = from; seed <= to; seed++) {
        seeds.add(seed);
      }
    }
    return seeds;
  }
}
