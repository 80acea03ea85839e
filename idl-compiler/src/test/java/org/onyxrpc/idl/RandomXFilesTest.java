package org.onyxrpc.idl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.idl.RpcgenGrammar.Case;
import org.onyxrpc.idl.RpcgenVerdicts.Verdict;
import org.onyxrpc.idl.source.CompilerOptions;

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
  private static final Pattern DIAGNOSTIC =
      Pattern.compile("([\\w./-]+:\\d+:\\d+: (error|warning): .+|  .*)");

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
    Map<Case, Verdict> rpcgen = RpcgenVerdicts.of(cases, temp.resolve("rpcgen"));
    Map<String, String> listed = listed();
    Path dir = Files.createDirectories(temp.resolve("idl"));
    List<String> failures = new ArrayList<>();
    StringBuilder table = new StringBuilder();
    List<String> bothAccept = new ArrayList<>();
    Map<String, String> java = new TreeMap<>();
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      String name = "f" + i + ".x";
      Files.writeString(dir.resolve(name), RpcgenGrammar.PRELUDE + c.text(),
          StandardCharsets.UTF_8);
      IdlCompiler.Result ours = IdlCompiler.compile(dir, CompilerOptions.includes(List.of()),
          List.of(dir.resolve(name)));
      Verdict theirs = rpcgen.get(c);
      String diagnostics = ours.diagnostics().format();
      if (!diagnostics.lines().allMatch(l -> DIAGNOSTIC.matcher(l).matches())
          || diagnostics.contains("Exception")) {
        failures.add(c.name() + " (" + name + "): diagnostics not as file:line:col: error: message\n"
            + diagnostics);
      }
      table.append(name).append('\t').append(c.name()).append('\t')
          .append(theirs.accepts() ? "accepts" : "rejects").append('\t')
          .append(ours.succeeded() ? "accepts" : "rejects").append('\t').append(theirs.why())
          .append('\t').append(diagnostics.lines().findFirst().orElse("")).append('\n');
      String reason = listed.remove(c.name());
      boolean agree = ours.succeeded() == theirs.accepts();
      if (agree && reason != null) {
        failures.add("random-files.txt lists " + c.name() + " (" + reason + "), but idlc and rpcgen"
            + " agree: " + (ours.succeeded() ? "both accept" : "both reject"));
      } else if (!agree && reason == null) {
        failures.add(c.name() + " (" + name + "): rpcgen " + (theirs.accepts()
            ? "accepts" + (theirs.newStyle() ? " (-N)" : "") : "rejects (" + theirs.why() + ")")
            + ", idlc " + (ours.succeeded() ? "accepts" : "rejects:\n" + diagnostics));
      }
      if (ours.succeeded()) {
        // Each file's Java in a package of its own, so that one javac run compiles them all.
        String pkg = "f" + i;
        ours.sources().forEach(s -> java.put(pkg + "/" + s.path(), "package " + pkg + ";\n"
            + s.content().replaceFirst("(?m)^package [\\w.]+;", "")));
        if (theirs.accepts() && originals.get(i)) {
          bothAccept.add(name);
        }
      }
    }
    Files.writeString(temp.resolve("verdicts.tsv"), table, StandardCharsets.UTF_8);
    try {
      JavaSources.compile(java, temp.resolve("java"));
    } catch (AssertionError e) {
      failures.add("idlc's Java (file fN.x in package fN) does not compile: " + e.getMessage());
    }
    assertEquals("", String.join("\n", failures), failures.size() + " failures of " + cases.size()
        + " files");
    for (String name : bothAccept) {
      XdrDifferentialTest bytes = new XdrDifferentialTest();
      bytes.temp = Files.createDirectories(temp.resolve("xdr-" + name));
      bytes.check(dir, name, CompilerOptions.includes(List.of()), true, false);
    }
  }

  /** {@code rpcgen-grammar/random-files.txt}: file name (seed and near miss) to why they differ. */
  private static Map<String, String> listed() throws IOException {
    Map<String, String> listed = new LinkedHashMap<>();
    Path file = Golden.resources().resolve("rpcgen-grammar/random-files.txt");
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split(" \\| ", 2);
      if (parts.length != 2 || parts[1].isBlank()) {
        throw new IllegalArgumentException("random-files.txt: 'file | reason': " + line);
      }
      listed.put(parts[0], parts[1]);
    }
    return listed;
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
