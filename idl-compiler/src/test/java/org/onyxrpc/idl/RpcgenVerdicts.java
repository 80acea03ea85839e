package org.onyxrpc.idl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.onyxrpc.idl.RpcgenGrammar.Case;

/**
 * What rpcgen and gcc make of each {@link RpcgenGrammar} snippet, in few processes: a snippet is
 * accepted when {@code rpcgen -h} reads it (else {@code rpcgen -N -h}) and the C of {@code -h},
 * {@code -c} and {@code -l} compiles.
 *
 * <p>rpcgen stops at its first error, so the snippets are read in one file, one a line, each
 * followed by a line {@code const Z_zN = 0;}: an error on a snippet's line or on the line after
 * it is that snippet's, and rpcgen reads on from the next one. These snippets hold nothing cpp
 * would change, so rpcgen reads them through a {@code cpp} that copies its input ({@code -Y});
 * those marked {@code alone} are read one file each (their C one translation unit each), through
 * the real cpp if marked {@code cpp} (macros, comments, odd characters). The C of all accepted
 * snippets is compiled by one gcc run (two processes), each error given to the snippet whose name
 * (with its suffix) or {@code %/* case N *}{@code /} marker comes nearest above it; the snippets
 * given errors are left out and the shared units compiled again until they are clean.
 */
final class RpcgenVerdicts {
  private RpcgenVerdicts() {}

  /** rpcgen's verdict: accepted (with {@code -N} or not), or rejected and why. */
  record Verdict(boolean accepts, boolean newStyle, String why) {}

  /** How many rpcgen runs go on at once while the snippets are read. */
  private static final int CHUNKS = 4;

  /** The CPU time a snippet read alone may take, and the signal that stops it then. */
  private static final int CPU_SECONDS = 1;
  private static final int SIGXCPU = 24;

  private static final Pattern RPCGEN_LINE = Pattern.compile(", line (\\d+): (.*)");
  private static final Pattern GCC_ERROR = Pattern.compile("([^:]+):(\\d+):\\d+: (?:fatal )?error: (.*)");
  private static final Pattern GCC_AT = Pattern.compile("([^: ]+):(\\d+):\\d+: .*");
  private static final Pattern SUFFIX = Pattern.compile("_z(\\d+)(?!\\d)");
  private static final Pattern MARKER = Pattern.compile("/\\* case (\\d+) \\*/");

  /** The suffix of the snippet at {@code index}. */
  static String suffix(int index) {
    return "_z" + index;
  }

  static Map<Case, Verdict> of(List<Case> cases, Path work) throws IOException, InterruptedException {
    Files.createDirectories(work);
    Path cpp = Files.createDirectories(work.resolve("cpp")).resolve("cpp");
    // rpcgen runs "cpp -C -DRPC_HDR file": the file is the last argument.
    Files.writeString(cpp, "#!/bin/sh\nfor a; do f=$a; done\nexec cat \"$f\"\n");
    Files.setPosixFilePermissions(cpp, PosixFilePermissions.fromString("rwxr-xr-x"));
    Map<Integer, Verdict> verdicts = new TreeMap<>();
    List<Integer> batched = new ArrayList<>();
    List<Integer> alone = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      (cases.get(i).alone() ? alone : batched).add(i);
    }
    List<Integer> oldStyle = new ArrayList<>();
    List<Integer> retry = new ArrayList<>();
    readInParallel(cases, batched, List.of(), work, verdicts, oldStyle, retry);
    List<Integer> newStyle = new ArrayList<>();
    readInParallel(cases, retry, List.of("-N"), work, verdicts, newStyle, new ArrayList<>());
    Map<Integer, Path> aloneOutputs = new ConcurrentHashMap<>();
    Map<Integer, Verdict> aloneRejected = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(CHUNKS);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (int i : alone) {
        runs.add(pool.submit(() -> {
          readAlone(cases.get(i), i, work.resolve("alone" + i), work.resolve("cpp"), aloneRejected,
              aloneOutputs);
          return null;
        }));
      }
      for (Future<?> run : runs) {
        run.get();
      }
    } catch (ExecutionException e) {
      throw new AssertionError(e.getCause());
    } finally {
      pool.shutdownNow();
    }
    verdicts.putAll(aloneRejected);
    compile(cases, oldStyle, newStyle, new TreeMap<>(aloneOutputs), work, verdicts);
    Map<Case, Verdict> byCase = new LinkedHashMap<>();
    verdicts.forEach((i, v) -> byCase.put(cases.get(i), v));
    return byCase;
  }

  /** {@link #read} of {@link #CHUNKS} parts of {@code indexes} at once: rpcgen runs once a reject. */
  private static void readInParallel(List<Case> cases, List<Integer> indexes, List<String> flags,
      Path work, Map<Integer, Verdict> verdicts, List<Integer> read, List<Integer> retry)
      throws IOException, InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(CHUNKS);
    try {
      List<Future<List<List<Integer>>>> parts = new ArrayList<>();
      Map<Integer, Verdict> rejected = new ConcurrentHashMap<>();
      int size = (indexes.size() + CHUNKS - 1) / CHUNKS;
      for (int from = 0; from < indexes.size(); from += size) {
        List<Integer> part = indexes.subList(from, Math.min(indexes.size(), from + size));
        Path dir = work.resolve("parse" + String.join("", flags) + "-" + from);
        parts.add(pool.submit(() -> {
          List<Integer> partRead = new ArrayList<>();
          List<Integer> partRetry = new ArrayList<>();
          read(cases, part, flags, dir, work, rejected, partRead, partRetry);
          return List.of(partRead, partRetry);
        }));
      }
      for (Future<List<List<Integer>>> part : parts) {
        read.addAll(part.get().get(0));
        retry.addAll(part.get().get(1));
      }
      verdicts.putAll(rejected);
    } catch (ExecutionException e) {
      throw new AssertionError(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * rpcgen's parser over {@code indexes} with {@code flags}, in {@code dir}: those it reads go to
   * {@code read}, those it rejects to {@code verdicts}, or to {@code retry} if they may need
   * {@code -N}.
   */
  private static void read(List<Case> cases, List<Integer> indexes, List<String> flags, Path dir,
      Path work, Map<Integer, Verdict> verdicts, List<Integer> read, List<Integer> retry)
      throws IOException, InterruptedException {
    List<Integer> pending = new ArrayList<>(indexes);
    Files.createDirectories(dir);
    int run = 0;
    while (!pending.isEmpty()) {
      StringBuilder text = new StringBuilder(RpcgenGrammar.PRELUDE);
      int line = (int) RpcgenGrammar.PRELUDE.lines().count();
      Map<Integer, Integer> byLine = new HashMap<>();
      for (int k = 0; k < pending.size(); k++) {
        int i = pending.get(k);
        String snippet = cases.get(i).text(suffix(i));
        if (snippet.contains("\n")) {
          throw new IllegalStateException(cases.get(i) + ": a snippet read with others is one line");
        }
        text.append(snippet).append('\n').append("const Z").append(suffix(i)).append(" = 0;\n");
        byLine.put(++line, k);
        byLine.put(++line, k);
      }
      Path file = dir.resolve("batch" + run + ".x");
      Files.writeString(file, text, StandardCharsets.ISO_8859_1);
      List<String> command = new ArrayList<>(List.of("rpcgen", "-Y", work.resolve("cpp").toString()));
      command.addAll(flags);
      command.addAll(List.of("-h", "-o", dir.resolve("batch" + run + ".h").toString(),
          file.getFileName().toString()));
      String failure = RpcgenCodecs.run(dir, command, null, dir.resolve("rpcgen" + run + ".txt"));
      run++;
      if (failure == null) {
        read.addAll(pending);
        return;
      }
      Matcher where = RPCGEN_LINE.matcher(failure);
      Integer k = where.find() ? byLine.get(Integer.parseInt(where.group(1))) : null;
      if (k == null) {
        throw new AssertionError("rpcgen failed outside the snippets:\n" + failure);
      }
      read.addAll(pending.subList(0, k));
      int i = pending.get(k);
      if (flags.isEmpty() && cases.get(i).text().contains("program ")) {
        retry.add(i);
      } else {
        verdicts.put(i, new Verdict(false, !flags.isEmpty(), "rpcgen: " + where.group(2)));
      }
      pending = new ArrayList<>(pending.subList(k + 1, pending.size()));
    }
  }

  /**
   * A snippet in a file of its own (through the real cpp if it needs one, else {@code cpp}):
   * rpcgen -h, -c and -l (with -N if need be).
   */
  private static void readAlone(Case c, int i, Path dir, Path cpp, Map<Integer, Verdict> verdicts,
      Map<Integer, Path> outputs) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    String base = "alone" + suffix(i);
    Files.writeString(dir.resolve(base + ".x"), RpcgenGrammar.PRELUDE + c.text(suffix(i)),
        StandardCharsets.UTF_8);
    String failure = null;
    for (List<String> flags : List.of(List.<String>of(), List.of("-N"))) {
      failure = null;
      for (String kind : List.of("-h", "-c", "-l")) {
        String out = base + (kind.equals("-h") ? ".h" : kind.equals("-c") ? "_xdr.c" : "_clnt.c");
        Files.deleteIfExists(dir.resolve(out));
        // rpcgen -h loops, using all the CPU it gets, on some files (typedef x x;): a second of
        // CPU (some 200 times what a snippet takes) stops it however busy the machine is.
        List<String> command = new ArrayList<>(List.of("sh", "-c",
            "ulimit -t " + CPU_SECONDS + "; exec \"$0\" \"$@\"", "rpcgen"));
        if (!c.cpp()) {
          command.addAll(List.of("-Y", cpp.toString()));
        }
        command.addAll(flags);
        command.addAll(List.of(kind, "-o", out, base + ".x"));
        failure = RpcgenCodecs.run(dir, command, null, dir.resolve("rpcgen.txt"), 60);
        if (failure != null) {
          break;
        }
      }
      if (failure == null) {
        outputs.put(i, dir);
        return;
      }
      if (!c.text().contains("program ")) {
        break;
      }
    }
    Matcher where = RPCGEN_LINE.matcher(failure);
    verdicts.put(i, new Verdict(false, false, "rpcgen: " + (where.find() ? where.group(2)
        : failure.contains("exited with " + (128 + SIGXCPU)) || failure.contains("did not finish")
            ? "never finishes (rpcgen loops)"
        : failure.lines().reduce((a, b) -> b).orElse(failure))));
  }

  /**
   * The C of everything rpcgen read, compiled until clean; a snippet with errors is rejected. The
   * units of snippets read alone are compiled once (their errors are their own); the shared ones
   * again, without the snippets given errors, until they compile.
   */
  private static void compile(List<Case> cases, List<Integer> oldStyle, List<Integer> newStyle,
      Map<Integer, Path> alone, Path work, Map<Integer, Verdict> verdicts)
      throws IOException, InterruptedException {
    Map<String, Integer> aloneFiles = new HashMap<>();
    List<Path> aloneUnits = new ArrayList<>();
    Path aloneDir = Files.createDirectories(work.resolve("c-alone"));
    for (Map.Entry<Integer, Path> entry : alone.entrySet()) {
      // One translation unit each: their macros and the prelude would meet in one.
      String base = "alone" + suffix(entry.getKey());
      Path c = aloneDir.resolve(base + ".c");
      Files.writeString(c, "#include \"" + entry.getValue().resolve(base + "_xdr.c") + "\"\n"
          + "#include \"" + entry.getValue().resolve(base + "_clnt.c") + "\"\n");
      aloneUnits.add(c);
      aloneFiles.put(base, entry.getKey());
    }
    for (int round = 0; ; round++) {
      Path dir = Files.createDirectories(work.resolve("c" + round));
      List<Path> units = new ArrayList<>();
      for (List<Integer> group : List.of(oldStyle, newStyle)) {
        if (!group.isEmpty()) {
          units.add(sharedUnit(cases, group, group == newStyle, dir, work));
        }
      }
      if (round == 0) {
        units.addAll(aloneUnits);
      }
      if (units.isEmpty()) {
        return;
      }
      String failure = gcc(units, dir);
      Map<Integer, String> rejected = new LinkedHashMap<>();
      List<String> output = failure == null ? List.of() : failure.lines().toList();
      for (int l = 0; l < output.size(); l++) {
        Matcher error = GCC_ERROR.matcher(output.get(l));
        if (!error.matches()) {
          continue;
        }
        // An error in a system header is a macro of a snippet's (TRUE, a #define) expanded
        // there: the notes that follow say where.
        Integer i = null;
        for (int n = l; n < output.size() && i == null; n++) {
          Matcher at = GCC_AT.matcher(output.get(n));
          if (at.matches() && (n == l || !GCC_ERROR.matcher(output.get(n)).matches())) {
            i = blame(dir, at.group(1), Integer.parseInt(at.group(2)), aloneFiles);
          } else if (n > l && GCC_ERROR.matcher(output.get(n)).matches()) {
            break;
          }
        }
        if (i == null) {
          throw new AssertionError("a gcc error of no snippet:\n" + failure);
        }
        rejected.putIfAbsent(i, "gcc: " + error.group(3));
      }
      if (failure != null && (rejected.isEmpty() || round == 5)) {
        throw new AssertionError("gcc failed and no snippet is to blame:\n" + failure);
      }
      rejected.forEach((i, why) -> verdicts.put(i, new Verdict(false, newStyle.contains(i), why)));
      if (round == 0) {
        alone.keySet().stream().filter(i -> !rejected.containsKey(i))
            .forEach(i -> verdicts.put(i, new Verdict(true, false, "")));
      }
      oldStyle.removeAll(rejected.keySet());
      newStyle.removeAll(rejected.keySet());
      if (failure == null || rejected.keySet().stream().allMatch(alone::containsKey)) {
        oldStyle.forEach(i -> verdicts.put(i, new Verdict(true, false, "")));
        newStyle.forEach(i -> verdicts.put(i, new Verdict(true, true, "")));
        return;
      }
    }
  }

  /** rpcgen's C of the snippets {@code group}, read together, in one translation unit. */
  private static Path sharedUnit(List<Case> cases, List<Integer> group, boolean newStyle,
      Path dir, Path work) throws IOException, InterruptedException {
    String base = newStyle ? "new" : "old";
    StringBuilder text = new StringBuilder(RpcgenGrammar.PRELUDE);
    for (int i : group) {
      text.append("%/* case ").append(i).append(" */\n").append(cases.get(i).text(suffix(i)))
          .append('\n');
    }
    Files.writeString(dir.resolve(base + ".x"), text, StandardCharsets.ISO_8859_1);
    for (String kind : List.of("-h", "-c", "-l")) {
      String out = base + (kind.equals("-h") ? ".h" : kind.equals("-c") ? "_xdr.c" : "_clnt.c");
      List<String> command = new ArrayList<>(List.of("rpcgen", "-Y", work.resolve("cpp").toString()));
      if (newStyle) {
        command.add("-N");
      }
      command.addAll(List.of(kind, "-o", out, base + ".x"));
      String failure = RpcgenCodecs.run(dir, command, null, dir.resolve("rpcgen-" + base + ".txt"));
      if (failure != null) {
        throw new AssertionError("rpcgen read each snippet, but not all together:\n" + failure);
      }
    }
    Path c = dir.resolve(base + ".c");
    Files.writeString(c, "#include \"" + base + "_xdr.c\"\n#include \"" + base + "_clnt.c\"\n");
    return c;
  }

  /**
   * {@code gcc -fsyntax-only} of {@code units}, in two processes when there are many (a machine
   * has two cores at least); null when clean, else all that gcc printed.
   */
  private static String gcc(List<Path> units, Path dir) throws IOException, InterruptedException {
    int parts = units.size() > 8 ? 2 : 1;
    ExecutorService pool = Executors.newFixedThreadPool(parts);
    try {
      List<Future<String>> runs = new ArrayList<>();
      for (int part = 0; part < parts; part++) {
        // A routine C does not declare would not link (xdr_bool_t): an error here, as no link
        // runs (so no -w, which would silence it; warnings are read past).
        List<String> gcc = new ArrayList<>(List.of("gcc", "-fsyntax-only",
            "-Werror=implicit-function-declaration", "-I" + RpcgenCodecs.TIRPC_INCLUDE));
        for (int u = part; u < units.size(); u += parts) {
          gcc.add(units.get(u).toString());
        }
        Path output = dir.resolve("gcc" + part + ".txt");
        runs.add(pool.submit(() -> RpcgenCodecs.run(dir, gcc, null, output)));
      }
      StringBuilder failures = new StringBuilder();
      for (Future<String> run : runs) {
        String failure = run.get();
        if (failure != null) {
          failures.append(failure).append('\n');
        }
      }
      return failures.length() == 0 ? null : failures.toString();
    } catch (ExecutionException e) {
      throw new AssertionError(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /** The snippet an error at {@code line} of {@code file} belongs to, or null. */
  private static Integer blame(Path dir, String file, int line, Map<String, Integer> aloneFiles)
      throws IOException {
    if (file.startsWith("/usr/")) {
      return null;
    }
    for (Map.Entry<String, Integer> entry : aloneFiles.entrySet()) {
      if (file.contains(entry.getKey() + ".") || file.contains(entry.getKey() + "_")) {
        return entry.getValue();
      }
    }
    List<String> lines = Files.readAllLines(dir.resolve(file), StandardCharsets.ISO_8859_1);
    // The nearest name of a snippet's at or above the line (a struct's, a routine's, a stub's),
    // or its marker: rpcgen -l writes the stubs after all % lines.
    for (int l = line - 1; l >= 0; l--) {
      Matcher suffix = SUFFIX.matcher(lines.get(l));
      if (suffix.find()) {
        return Integer.parseInt(suffix.group(1));
      }
      Matcher marker = MARKER.matcher(lines.get(l));
      if (marker.find()) {
        return Integer.parseInt(marker.group(1));
      }
    }
    return null;
  }
}
