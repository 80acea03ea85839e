package org.onyxrpc.idl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
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
   * A line of {@code differences.txt}: idlc accepts (or rejects) the snippets whose names match
   * {@code pattern} ({@code *} any text, {@code {a,b c}} either text), and rpcgen does the opposite
   * on every one of them, for {@code reason}.
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
        differences.add(new Difference(parts[0].equals("accepts"), Pattern.compile(regex(parts[1])),
            line));
      }
      return differences;
    }

    private static String regex(String pattern) {
      StringBuilder regex = new StringBuilder();
      Matcher part = Pattern.compile("\\*|\\{([^{}]*,[^{}]*)}|[^*]").matcher(pattern);
      while (part.find()) {
        if (part.group().equals("*")) {
          regex.append(".*");
        } else if (part.group(1) != null) {
          regex.append("(?:").append(Stream.of(part.group(1).split(",", -1)).map(Pattern::quote)
              .collect(Collectors.joining("|"))).append(')');
        } else {
          regex.append(Pattern.quote(part.group()));
        }
      }
      return regex.toString();
    }
  }

  @Test
  void idlcAcceptsWhatRpcgenAccepts() throws Exception {
    NativeToolchain.require();
    List<Case> cases = RpcgenGrammar.all();
    // rpcgen and gcc (other processes) read the snippets while idlc and javac run here.
    ExecutorService background = Executors.newSingleThreadExecutor();
    Map<Case, Verdict> rpcgen;
    Map<Case, IdlCompiler.Result> idlc = new LinkedHashMap<>();
    List<String> failures = new ArrayList<>();
    try {
      Future<Map<Case, Verdict>> verdicts =
          background.submit(() -> RpcgenVerdicts.of(cases, temp.resolve("rpcgen")));
      Path dir = Files.createDirectories(temp.resolve("idl"));
      Map<String, String> java = new TreeMap<>();
      // Java that differs from another snippet's only in its names (int x and long x, [3] and
      // [0x3]) compiles as that does: javac reads one of each (some 40% fewer files).
      Set<String> compiled = new HashSet<>();
      // The prelude in a package of its own, imported by each snippet's: compiled once, not once
      // a snippet (it was three quarters of the Java).
      Files.writeString(dir.resolve("prelude.x"), "package prelude;\n" + RpcgenGrammar.PRELUDE);
      for (int i = 0; i < cases.size(); i++) {
        Case c = cases.get(i);
        String name = "c" + i;
        String snippet = c.text(RpcgenVerdicts.suffix(i));
        Files.writeString(dir.resolve(name + ".x"), RpcgenGrammar.PRELUDE + snippet,
            StandardCharsets.UTF_8);
        IdlCompiler.Result ours = IdlCompiler.compile(dir, CompilerOptions.includes(List.of()),
            List.of(dir.resolve(name + ".x")));
        idlc.put(c, ours);
        String diagnostics = ours.diagnostics().format();
        if (!diagnostics.lines().allMatch(l -> DIAGNOSTIC.matcher(l).matches())
            || diagnostics.contains("Exception")) {
          failures.add(c.name() + ": diagnostics not as file:line:col: error: message\n" + diagnostics);
        }
        if (ours.succeeded()) {
          Map<String, String> sources = java(dir, name, snippet, failures);
          if (compiled.add(renamed(sources, i))) {
            java.putAll(sources);
          }
        }
      }
      try {
        JavaSources.compile(java, temp.resolve("java"));
      } catch (AssertionError e) {
        failures.add("idlc's Java of the snippets (in package cN, snippet N) does not compile: "
            + e.getMessage());
      }
      rpcgen = verdicts.get();
    } catch (ExecutionException e) {
      throw new AssertionError(e.getCause());
    } finally {
      background.shutdownNow();
    }
    List<Difference> differences = Difference.read();
    Map<Difference, Integer> matched = new LinkedHashMap<>();
    differences.forEach(d -> matched.put(d, 0));
    StringBuilder xdr = new StringBuilder(RpcgenGrammar.PRELUDE);
    // Kept when the test fails, to write differences.txt from: what each said of each snippet.
    StringBuilder table = new StringBuilder();
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      Verdict theirs = rpcgen.get(c);
      IdlCompiler.Result ours = idlc.get(c);
      String text = c.text(RpcgenVerdicts.suffix(i));
      String rpcgenSays = theirs.accepts() ? "accepts" + (theirs.newStyle() ? " (-N)" : "")
          : "rejects (" + theirs.why() + ")";
      table.append(c.name()).append('\t').append(theirs.accepts() ? "accepts" : "rejects")
          .append('\t').append(ours.succeeded() ? "accepts" : "rejects").append('\t')
          .append(theirs.why()).append('\n');
      Difference difference = differences.stream()
          .filter(d -> d.pattern().matcher(c.name()).matches()).findFirst().orElse(null);
      if (difference != null) {
        matched.merge(difference, 1, Integer::sum);
        if (theirs.accepts() == difference.accepts()) {
          failures.add("differences.txt: " + difference.line() + "\n  matches " + c.name()
              + " (c" + i + ".x: " + text + "), which rpcgen " + rpcgenSays
              + " too: no difference, narrow the pattern");
        }
      }
      boolean expected = difference != null ? difference.accepts() : theirs.accepts();
      if (ours.succeeded() != expected) {
        failures.add(c.name() + " (c" + i + ".x: " + text + "): rpcgen " + rpcgenSays
            + ", idlc " + (ours.succeeded() ? "accepts" : "rejects (" + ours.diagnostics().format()
                .lines().findFirst().orElse("") + ")")
            + (difference != null ? ", listed: " + difference.line() : ""));
      }
      if (ours.succeeded() && c.data() && theirs.accepts()) {
        xdr.append(text).append('\n');
      }
    }
    Files.writeString(temp.resolve("verdicts.tsv"), table, StandardCharsets.UTF_8);
    matched.forEach((d, n) -> {
      if (n == 0) {
        failures.add("differences.txt: no snippet matches " + d.line());
      }
    });
    assertEquals("", String.join("\n", failures), failures.size() + " disagreements of "
        + cases.size() + " snippets");
    Path sample = Files.createDirectories(temp.resolve("xdr")).resolve("snippets.x");
    Files.writeString(sample, xdr, StandardCharsets.UTF_8);
    XdrDifferentialTest bytes = new XdrDifferentialTest();
    bytes.temp = Files.createDirectories(temp.resolve("xdr-work"));
    bytes.check(sample.getParent(), "snippets.x", CompilerOptions.includes(List.of()), true,
        false);
  }

  /** {@code sources} of snippet {@code index} with its package and its names' suffix made N. */
  private static String renamed(Map<String, String> sources, int index) {
    Pattern own = Pattern.compile("\\b[cC]" + index + "(?=\\b|Constants)|(?<=[zZ])" + index
        + "(?!\\d)");
    StringBuilder text = new StringBuilder();
    sources.forEach((path, content) -> text.append(own.matcher(path).replaceAll("N")).append('\0')
        .append(own.matcher(content).replaceAll("N")).append('\0'));
    return text.toString();
  }

  /**
   * idlc's Java of snippet {@code name}, in package {@code name} so that all snippets' Java
   * compiles in one javac run: the snippet importing the prelude, or, where that does not compile
   * (the snippet declares a name of the prelude's), holding it as rpcgen reads it.
   */
  private static Map<String, String> java(Path dir, String name, String snippet,
      List<String> failures) throws IOException {
    Path importing = dir.resolve(name + ".idl");
    Files.writeString(importing, "package " + name + ";\nimport \"prelude.x\";\n" + snippet + "\n",
        StandardCharsets.UTF_8);
    IdlCompiler.Result result = IdlCompiler.compile(dir, CompilerOptions.includes(List.of()),
        List.of(importing));
    if (!result.succeeded()) {
      Path including = dir.resolve(name + "-whole.idl");
      Files.writeString(including, "package " + name + ";\n#include \"" + name + ".x\"\n");
      result = IdlCompiler.compile(dir, CompilerOptions.includes(List.of()), List.of(including));
      if (!result.succeeded()) {
        failures.add(name + ".x: idlc accepts it, but not in a package:\n"
            + result.diagnostics().format());
      }
    }
    Map<String, String> java = new TreeMap<>();
    result.sources().forEach(s -> java.put(s.path(), s.content()));
    return java;
  }

}
