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
 * those marked {@code alone} (macros, comments, odd characters) go through the real cpp, one
 * file each. The C of all accepted snippets is compiled by one gcc run, each error given to the
 * snippet whose name (with its suffix) or {@code %/* case N *}{@code /} marker comes nearest
 * above it; the snippets given errors are left out and the rest compiled again until it is clean.
 */
final class RpcgenVerdicts {
  private RpcgenVerdicts() {}

  /** rpcgen's verdict: accepted (with {@code -N} or not), or rejected and why. */
  record Verdict(boolean accepts, boolean newStyle, String why) {}

  /** How many rpcgen runs go on at once while the snippets are read. */
  private static final int CHUNKS = 4;

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
          readAlone(cases.get(i), i, work.resolve("alone" + i), aloneRejected, aloneOutputs);
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

  /** A snippet through the real cpp: rpcgen -h, -c and -l (with -N if need be). */
  private static void readAlone(Case c, int i, Path dir, Map<Integer, Verdict> verdicts,
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
        List<String> command = new ArrayList<>(List.of("rpcgen"));
        command.addAll(flags);
        command.addAll(List.of(kind, "-o", out, base + ".x"));
        failure = RpcgenCodecs.run(dir, command, null, dir.resolve("rpcgen.txt"), 30);
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
        : failure.contains("did not finish") ? "never finishes (rpcgen loops)"
        : failure.lines().reduce((a, b) -> b).orElse(failure))));
  }

  /** The C of everything rpcgen read, compiled until clean; a snippet with errors is rejected. */
  private static void compile(List<Case> cases, List<Integer> oldStyle, List<Integer> newStyle,
      Map<Integer, Path> alone, Path work, Map<Integer, Verdict> verdicts)
      throws IOException, InterruptedException {
    for (int round = 0; ; round++) {
      Path dir = Files.createDirectories(work.resolve("c" + round));
      List<Path> units = new ArrayList<>();
      Map<String, Integer> aloneFiles = new HashMap<>();
      for (List<Integer> group : List.of(oldStyle, newStyle)) {
        if (group.isEmpty()) {
          continue;
        }
        String base = group == oldStyle ? "old" : "new";
        StringBuilder text = new StringBuilder(RpcgenGrammar.PRELUDE);
        for (int i : group) {
          text.append("%/* case ").append(i).append(" */\n").append(cases.get(i).text(suffix(i)))
              .append('\n');
        }
        Files.writeString(dir.resolve(base + ".x"), text, StandardCharsets.ISO_8859_1);
        String failure = null;
        for (String kind : List.of("-h", "-c", "-l")) {
          String out = base + (kind.equals("-h") ? ".h" : kind.equals("-c") ? "_xdr.c" : "_clnt.c");
          List<String> command = new ArrayList<>(List.of("rpcgen", "-Y", work.resolve("cpp").toString()));
          if (group == newStyle) {
            command.add("-N");
          }
          command.addAll(List.of(kind, "-o", out, base + ".x"));
          failure = failure != null ? failure
              : RpcgenCodecs.run(dir, command, null, dir.resolve("rpcgen-" + base + ".txt"));
        }
        if (failure != null) {
          throw new AssertionError("rpcgen read each snippet, but not all together:\n" + failure);
        }
        Path c = dir.resolve(base + ".c");
        Files.writeString(c, "#include \"" + base + "_xdr.c\"\n#include \"" + base + "_clnt.c\"\n");
        units.add(c);
      }
      for (Map.Entry<Integer, Path> entry : alone.entrySet()) {
        // One translation unit each: their macros and the prelude would meet in one.
        String base = "alone" + suffix(entry.getKey());
        Path c = dir.resolve(base + ".c");
        Files.writeString(c, "#include \"" + entry.getValue().resolve(base + "_xdr.c") + "\"\n"
            + "#include \"" + entry.getValue().resolve(base + "_clnt.c") + "\"\n");
        units.add(c);
        aloneFiles.put(base, entry.getKey());
      }
      if (units.isEmpty()) {
        return;
      }
      List<String> gcc = new ArrayList<>(List.of("gcc", "-fsyntax-only", "-w",
          "-I" + RpcgenCodecs.TIRPC_INCLUDE));
      units.forEach(u -> gcc.add(u.toString()));
      String failure = RpcgenCodecs.run(dir, gcc, null, dir.resolve("gcc.txt"));
      if (failure == null) {
        oldStyle.forEach(i -> verdicts.put(i, new Verdict(true, false, "")));
        newStyle.forEach(i -> verdicts.put(i, new Verdict(true, true, "")));
        alone.keySet().forEach(i -> verdicts.put(i, new Verdict(true, false, "")));
        return;
      }
      Map<Integer, String> rejected = new LinkedHashMap<>();
      List<String> output = failure.lines().toList();
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
      if (rejected.isEmpty() || round == 5) {
        throw new AssertionError("gcc failed and no snippet is to blame:\n" + failure);
      }
      rejected.forEach((i, why) -> verdicts.put(i, new Verdict(false, newStyle.contains(i), why)));
      oldStyle.removeAll(rejected.keySet());
      newStyle.removeAll(rejected.keySet());
      rejected.keySet().forEach(alone::remove);
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
