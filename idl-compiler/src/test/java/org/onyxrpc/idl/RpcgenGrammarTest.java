package org.onyxrpc.idl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.idl.RpcgenGrammar.Case;
import org.onyxrpc.idl.RpcgenVerdicts.Verdict;
import org.onyxrpc.idl.source.CompilerOptions;

/**
 * idlc against rpcgen, construct by construct: each snippet of {@link RpcgenGrammar} (rpcgen's
 * grammar, production by production) must be accepted by idlc exactly when rpcgen reads it and
 * gcc compiles rpcgen's C ({@link RpcgenVerdicts}), unless {@code
 * rpcgen-grammar/differences.txt} lists it with the reason. What idlc rejects it reports as
 * {@code file:line:col: error: message}; what it accepts compiles to Java ({@code javac -Xlint:all
 * -Werror}); and the data types both accept go through {@link XdrDifferentialTest}'s byte-for-byte
 * comparison with rpcgen's C codecs. The corpus ({@link RpcgenDifferentialTest}) holds idlc to
 * real files; this holds it to each thing rpcgen's parser can meet. Needs rpcgen, gcc and
 * libtirpc-dev: skipped without them, except under CI=true.
 */
class RpcgenGrammarTest {
  private static final Pattern DIAGNOSTIC =
      Pattern.compile("([\\w./-]+:\\d+:\\d+: (error|warning): .+|  .*)");

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path temp;

  /**
   * A line of {@code differences.txt}: snippets whose names match {@code pattern} ({@code *} any
   * text) are accepted by idlc, or rejected, whatever rpcgen says, for {@code reason}.
   */
  record Difference(boolean accepts, Pattern pattern, String line) {
    static List<Difference> read() throws IOException {
      List<Difference> differences = new ArrayList<>();
      Path file = Golden.resources().resolve("rpcgen-grammar/differences.txt");
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] parts = line.split(" \\| ", 3);
        if (parts.length != 3 || !parts[0].matches("accepts|rejects") || parts[2].isBlank()) {
          throw new IllegalArgumentException("differences.txt: 'accepts|rejects | name | reason': " + line);
        }
        StringBuilder regex = new StringBuilder();
        for (String piece : parts[1].split("\\*", -1)) {
          regex.append(regex.length() == 0 && piece.isEmpty() ? "" : Pattern.quote(piece)).append(".*");
        }
        regex.setLength(regex.length() - 2);
        differences.add(new Difference(parts[0].equals("accepts"), Pattern.compile(regex.toString()),
            line));
      }
      return differences;
    }
  }

  @Disabled("not yet green: differences.txt is written from one run and not yet checked against"
      + " a second; the enum that names its own constant (enum e { A = 1, B = A }) is still"
      + " rejected by idlc")
  @Test
  void idlcAcceptsWhatRpcgenAccepts() throws Exception {
    requireToolchain();
    List<Case> cases = RpcgenGrammar.all();
    Map<Case, Verdict> rpcgen = RpcgenVerdicts.of(cases, temp.resolve("rpcgen"));
    List<Difference> differences = Difference.read();
    Map<Difference, Integer> needed = new LinkedHashMap<>();
    differences.forEach(d -> needed.put(d, 0));
    List<String> failures = new ArrayList<>();
    Map<String, String> java = new TreeMap<>();
    StringBuilder xdr = new StringBuilder(RpcgenGrammar.PRELUDE);
    Path dir = Files.createDirectories(temp.resolve("idl"));
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      Verdict theirs = rpcgen.get(c);
      String name = "c" + i;
      String text = RpcgenGrammar.PRELUDE + c.text(RpcgenVerdicts.suffix(i));
      Files.writeString(dir.resolve(name + ".x"), text, StandardCharsets.UTF_8);
      IdlCompiler.Result ours = IdlCompiler.compile(dir, CompilerOptions.includes(List.of()),
          List.of(dir.resolve(name + ".x")));
      String diagnostics = ours.diagnostics().format();
      Difference difference = differences.stream().filter(d -> d.pattern().matcher(c.name()).matches())
          .findFirst().orElse(null);
      boolean expected = difference != null ? difference.accepts() : theirs.accepts();
      if (difference != null && theirs.accepts() != difference.accepts()) {
        needed.merge(difference, 1, Integer::sum);
      }
      if (ours.succeeded() != expected) {
        failures.add(c.name() + " (" + name + ".x: " + c.text(RpcgenVerdicts.suffix(i))
            + "): rpcgen " + (theirs.accepts() ? "accepts" + (theirs.newStyle() ? " (-N)" : "")
                : "rejects (" + theirs.why() + ")")
            + ", idlc " + (ours.succeeded() ? "accepts" : "rejects (" + diagnostics.lines()
                .findFirst().orElse("") + ")")
            + (difference != null ? ", listed: " + difference.line() : ""));
      }
      if (!diagnostics.lines().allMatch(l -> DIAGNOSTIC.matcher(l).matches())
          || diagnostics.contains("Exception")) {
        failures.add(c.name() + ": diagnostics not as file:line:col: error: message\n" + diagnostics);
      }
      if (ours.succeeded()) {
        // In a package of its own, so that all snippets' Java compiles in one javac run.
        Path wrapper = dir.resolve(name + ".idl");
        Files.writeString(wrapper, "package " + name + ";\n#include \"" + name + ".x\"\n");
        IdlCompiler.compile(dir, CompilerOptions.includes(List.of()), List.of(wrapper)).sources()
            .forEach(s -> java.put(s.path(), s.content()));
        if (c.data() && theirs.accepts()) {
          xdr.append(c.text(RpcgenVerdicts.suffix(i))).append('\n');
        }
      }
    }
    needed.forEach((d, n) -> {
      if (n == 0) {
        failures.add("differences.txt: no snippet that rpcgen and idlc disagree on matches " + d.line());
      }
    });
    try {
      JavaSources.compile(java, temp.resolve("java"));
    } catch (AssertionError e) {
      failures.add("idlc's Java of the snippets (in package cN, snippet N) does not compile: "
          + e.getMessage());
    }
    assertEquals("", String.join("\n", failures), failures.size() + " disagreements of "
        + cases.size() + " snippets");
    Path sample = Files.createDirectories(temp.resolve("xdr")).resolve("snippets.x");
    Files.writeString(sample, xdr, StandardCharsets.UTF_8);
    XdrDifferentialTest bytes = new XdrDifferentialTest();
    bytes.temp = Files.createDirectories(temp.resolve("xdr-work"));
    bytes.check(sample.getParent(), "snippets.x", CompilerOptions.includes(List.of()), true);
  }

  private static void requireToolchain() {
    if (!XdrDifferentialTest.toolchainPresent()) {
      assertFalse("true".equals(System.getenv("CI")),
          "rpcgen, gcc and libtirpc-dev must be installed in CI");
      Assumptions.abort("rpcgen, gcc or libtirpc-dev is not installed");
    }
  }
}
