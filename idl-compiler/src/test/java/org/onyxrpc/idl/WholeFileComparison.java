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
import org.onyxrpc.idl.RpcgenGrammar.Case;
import org.onyxrpc.idl.RpcgenVerdicts.Verdict;
import org.onyxrpc.idl.source.CompilerOptions;

/**
 * Whole {@code .x} files given to rpcgen (with the real cpp, and gcc on its C: {@link
 * RpcgenVerdicts}) and to idlc ({@link RandomXFilesTest}, {@link CppFilesTest}): idlc accepts
 * exactly the files rpcgen accepts, unless a list file names the file with the reason; what it
 * rejects it reports as {@code file:line:col: error: message}; what it accepts compiles with
 * {@code javac -Xlint:all -Werror}; and for the files both accept (those marked to be compared)
 * the generated Java and rpcgen's C code the types and procedures' arguments and results byte for
 * byte, and give the constants the same values ({@link XdrDifferentialTest#check}).
 */
final class WholeFileComparison {
  private static final Pattern DIAGNOSTIC =
      Pattern.compile("([\\w./-]+:\\d+:\\d+: (error|warning): .+|  .*)");

  private WholeFileComparison() {}

  /**
   * Compares the {@code cases}; {@code compared.get(i)} says whether case i's bytes and constants
   * are compared when both accept it; {@code listed} is the resource of known disagreements
   * ({@code name | reason} lines). The disagreements table is {@code temp/verdicts.tsv}.
   */
  static void check(List<Case> cases, List<Boolean> compared, String listed, Path temp)
      throws Exception {
    Map<Case, Verdict> rpcgen = RpcgenVerdicts.of(cases, temp.resolve("rpcgen"));
    Map<String, String> known = listed(listed);
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
      String reason = known.remove(c.name());
      boolean agree = ours.succeeded() == theirs.accepts();
      if (agree && reason != null) {
        failures.add(listed + " lists " + c.name() + " (" + reason + "), but idlc and rpcgen"
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
        if (theirs.accepts() && compared.get(i)) {
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

  /** The list resource: file name to why idlc and rpcgen differ on it. */
  private static Map<String, String> listed(String resource) throws IOException {
    Map<String, String> listed = new LinkedHashMap<>();
    Path file = Golden.resources().resolve(resource);
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split(" \\| ", 2);
      if (parts.length != 2 || parts[1].isBlank()) {
        throw new IllegalArgumentException(resource + ": 'file | reason': " + line);
      }
      listed.put(parts[0], parts[1]);
    }
    return listed;
  }
}
