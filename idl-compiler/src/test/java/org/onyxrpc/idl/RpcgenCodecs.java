package org.onyxrpc.idl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * rpcgen's C codecs of one {@code .x} file in one process: {@code rpcgen -h}, {@code -c} and
 * {@code -l} (with {@code -N} where rpcgen needs it; by {@link RpcgenRuns}, which ran most of
 * them for RpcgenDifferentialTest already), the header's {@code xdr_} routines and the
 * client stubs' argument and result routines in a table, and {@code xdr-differential/harness.c}
 * built around it (one translation unit) with one gcc call, which runs while the caller does
 * other work until {@link #awaitHarness}. {@link #run} sends it many values at once.
 */
final class RpcgenCodecs {
  static final Path TIRPC_INCLUDE = Path.of("/usr/include/tirpc");

  private static final Pattern DECLARED =
      Pattern.compile("extern\\s+bool_t\\s+xdr_(\\w+)\\s*\\(XDR\\s*\\*\\s*,\\s*([\\w ]+?)\\s*\\*?\\s*\\)");
  private static final Pattern GENERATED = Pattern.compile("(?m)^xdr_(\\w+)\\s*\\(XDR\\s*\\*xdrs");
  private static final Pattern CALLED = Pattern.compile("\\bxdr_(\\w+)\\s*\\(xdrs\\b");
  private static final Pattern STUB = Pattern.compile(
      "\\n\\w+_(0[xX][0-9a-fA-F]+|\\d+)\\s*\\([^)]*\\)\\s*\\{.*?clnt_call\\s*\\(clnt,\\s*(\\w+),\\s*"
          + "\\(xdrproc_t\\)\\s*(\\w+),\\s*\\(caddr_t\\)[^,]+,\\s*\\(xdrproc_t\\)\\s*(\\w+),",
      Pattern.DOTALL);

  /** A procedure's argument and result routines, as its client stub calls them. */
  record Stub(String argument, String result) {}

  /** Where the harness writes the constants' values (see harness.c). */
  private static final String VALUES = "values.txt";

  private final Path executable;
  private final Map<String, Stub> stubs;
  private final TreeSet<String> routines;
  private final TreeSet<String> declared;
  private final TreeSet<String> generated;
  private final Path work;
  private final List<String> gcc;
  /** gcc building the harness. */
  private final Started building;

  private RpcgenCodecs(Path executable, Map<String, Stub> stubs, TreeSet<String> routines,
      TreeSet<String> declared, TreeSet<String> generated, Path work, List<String> gcc,
      Started building) {
    this.executable = executable;
    this.stubs = stubs;
    this.routines = routines;
    this.declared = declared;
    this.generated = generated;
    this.work = work;
    this.gcc = gcc;
    this.building = building;
  }

  /** The header's types with an {@code xdr_} routine: its structs, unions, enums and typedefs. */
  TreeSet<String> declared() {
    return declared;
  }

  /** Whether rpcgen wrote {@code routine} from the file, rather than a library having it. */
  boolean generated(String routine) {
    return generated.contains(routine);
  }

  /** The routines of the table: {@code xdr_NAME} for each of the header's types, and the stubs'. */
  TreeSet<String> routines() {
    return routines;
  }

  /** The stub of procedure {@code name} (its {@code #define}) of {@code version}, or null. */
  Stub stub(int version, String name) {
    return stubs.get(Integer.toUnsignedString(version) + " " + name);
  }

  /** The outcome of rpcgen: the codecs, their harness being built, or why rpcgen failed. */
  record Build(RpcgenCodecs codecs, String failure) {}

  /**
   * Runs rpcgen on {@code file} in {@code work} and starts gcc on the harness, with the C values
   * of {@code constants}; {@link #awaitHarness} says whether it built. Of {@code types} (the
   * file's types as Onyx declares them), one whose routine the file's C calls but its header
   * does not declare (a system header's: Solaris' {@code xdr_authsys_parms}, which Onyx declares
   * for the NFSv4 files that use it) is in the table too.
   */
  static Build build(Path file, List<String> constants, List<String> types, Path work)
      throws IOException, InterruptedException {
    Files.createDirectories(work);
    String base = RpcgenRuns.baseName(file);
    Path header = work.resolve(base + ".h");
    // RpcgenDifferentialTest ran rpcgen -h and -c on most of these files already.
    List<String> flags = List.of();
    RpcgenRuns.Output h = RpcgenRuns.of(file, flags, "-h", work);
    if (!h.succeeded()) {
      flags = List.of("-N");
      h = RpcgenRuns.of(file, flags, "-h", work);
    }
    Path xdr = work.resolve(base + "_xdr.c");
    Path clnt = work.resolve(base + "_clnt.c");
    RpcgenRuns.Output c = h.succeeded() ? RpcgenRuns.of(file, flags, "-c", work) : h;
    RpcgenRuns.Output l = c.succeeded() ? RpcgenRuns.of(file, flags, "-l", work) : c;
    if (!l.succeeded()) {
      return new Build(null, l.failure());
    }
    h.writeTo(header);
    c.writeTo(xdr);
    l.writeTo(clnt);
    Map<String, String> declared = new TreeMap<>();
    Matcher names = DECLARED.matcher(Files.readString(header, StandardCharsets.ISO_8859_1));
    while (names.find()) {
      declared.put(names.group(1), names.group(2)); // xdr_netbuf takes a struct netbuf *
    }
    String xdrText = Files.readString(xdr, StandardCharsets.ISO_8859_1);
    TreeSet<String> generated = new TreeSet<>();
    Matcher written = GENERATED.matcher(xdrText);
    while (written.find()) {
      generated.add("xdr_" + written.group(1));
    }
    Matcher called = CALLED.matcher(xdrText);
    while (called.find()) {
      if (types.contains(called.group(1))) {
        declared.putIfAbsent(called.group(1), called.group(1));
      }
    }
    Map<String, Stub> stubs = new TreeMap<>();
    Matcher calls = STUB.matcher(Files.readString(clnt, StandardCharsets.ISO_8859_1));
    while (calls.find()) {
      // rpcgen names a stub after its version number as written: 0x2 and 02 are version 2.
      stubs.put(Long.decode(calls.group(1)) + " " + calls.group(2),
          new Stub(calls.group(3), calls.group(4)));
    }
    TreeSet<String> routines = new TreeSet<>();
    declared.keySet().forEach(name -> routines.add("xdr_" + name));
    stubs.values().forEach(stub -> {
      routines.add(stub.argument());
      routines.add(stub.result());
    });
    routines.remove("xdr_void");
    // The file's routines are included here, with its header, so that gcc compiles one
    // translation unit: <rpc/rpc.h> and the header parsed once, one compiler and assembler run
    // instead of two (about 40% of the C build's CPU, and XdrDifferentialTest builds 220 files).
    // The harness's own names all start with harness_, so they cannot meet the file's.
    StringBuilder table = new StringBuilder("#include \"" + xdr.getFileName() + "\"\n#define TABLE \\\n");
    for (String routine : routines) {
      String name = routine.substring("xdr_".length());
      // The stubs' routines of XDR's own types (xdr_int, xdr_wrapstring) take 8 bytes at most.
      String size = declared.containsKey(name) ? "sizeof (" + declared.get(name) + ")" : "0";
      table.append("  { \"").append(routine).append("\", (harness_routine) ").append(routine)
          .append(", ")
          .append(size).append(" }, \\\n");
    }
    table.append("\n#define VALUES \\\n");
    constants.forEach(name -> table.append("  { \"").append(name).append("\", (long long) (")
        .append(name).append(") }, \\\n"));
    Files.writeString(work.resolve("table.h"), table.append('\n').toString(), StandardCharsets.UTF_8);
    Path resources = Golden.resources().resolve("xdr-differential");
    Path executable = work.resolve("harness");
    // FreeBSD's and NetBSD's files keep their version control IDs in % lines, for macros of
    // their <sys/cdefs.h>. C's true and false are <stdbool.h>'s values, for a union on a bool
    // with "case true:" (OKWS's web_prot.x), which rpcgen copies into C; not <stdbool.h>
    // itself, whose bool would make rpcgen's inline C for a fixed array of bool build and code
    // the wrong bytes (every-type.x).
    // Headers a project's % lines include for its own C and none of its types needs (or a
    // macro or two of them) are stood in for by xdr-differential/stand-ins/, searched last so
    // that a real header always wins (GlusterFS' "rpc-pragmas.h" and <glusterfs/compat.h>).
    List<String> gcc = List.of("gcc", "-w", "-O0", "-D__FBSDID(id)=",
        "-D__RCSID(id)=", "-Dtrue=1", "-Dfalse=0", "-I" + work, "-I" + file.getParent(), "-I" + TIRPC_INCLUDE,
        "-idirafter", resources.resolve("stand-ins").toString(), "-o",
        executable.toString(), resources.resolve("harness.c").toString(), "-ltirpc");
    Started building = start(work, gcc, null, work.resolve("gcc.txt"));
    return new Build(new RpcgenCodecs(executable, stubs, routines,
        new TreeSet<>(declared.keySet()), generated, work, gcc, building), null);
  }

  /** Waits for gcc (once): null when the harness built, else why not. */
  String awaitHarness() throws IOException, InterruptedException {
    String failure = finish(building, 240);
    if (failure != null) {
      // Files that declare what libtirpc's <rpc/rpc.h> declares too (pmap, rpcb, RFC 5531's
      // messages) build with XDR's headers alone.
      Path resources = Golden.resources().resolve("xdr-differential");
      List<String> xdrOnly = new ArrayList<>(gcc);
      xdrOnly.add(xdrOnly.indexOf("-I" + TIRPC_INCLUDE), "-I" + resources.resolve("xdr-only"));
      String again = run(work, xdrOnly, null, work.resolve("gcc.txt"));
      if (again != null) {
        // Of those, the NFSv4 files take <rpc/auth.h>'s flavor numbers as case labels, and the
        // BSDs' rpcb_prot.x their xdr_rpcprog_t and the like.
        List<String> named = new ArrayList<>(xdrOnly);
        named.addAll(named.indexOf("-o"),
            List.of("-include", resources.resolve("system-names.h").toString()));
        String withNames = run(work, named, null, work.resolve("gcc.txt"));
        again = withNames == null ? null
            : again + "\nwith system-names.h too: " + withNames;
      }
      failure = again == null ? null : failure + "\nwith XDR's headers alone: " + again;
    }
    return failure;
  }

  /**
   * The value C gives each constant named at {@link #build}: as {@link #run} wrote them, or from
   * a run of the harness with no requests if it has not run.
   */
  Map<String, Long> values(Path work) throws IOException, InterruptedException {
    Path out = work.resolve(VALUES);
    if (!Files.exists(out)) {
      Path none = Files.writeString(work.resolve("no-requests.txt"), "", StandardCharsets.US_ASCII);
      String failure = run(work, List.of(executable.toString(), out.toString()), none,
          work.resolve("no-replies.txt"));
      if (failure != null) {
        throw new AssertionError(failure);
      }
    }
    Map<String, Long> values = new TreeMap<>();
    for (String line : Files.readAllLines(out, StandardCharsets.US_ASCII)) {
      String[] nameAndValue = line.split(" ");
      values.put(nameAndValue[0], Long.parseLong(nameAndValue[1]));
    }
    return values;
  }

  /**
   * What the harness says of each request (a routine and the bytes to decode), in order. The
   * same run writes {@link #values} to {@code work}, which saves a second start of the harness
   * (dynamically linked to libtirpc: some 10 ms of CPU each, for each of ~300 files).
   */
  List<String> run(List<Map.Entry<String, byte[]>> requests, Path work)
      throws IOException, InterruptedException {
    StringBuilder input = new StringBuilder();
    HexFormat hex = HexFormat.of();
    for (Map.Entry<String, byte[]> request : requests) {
      byte[] bytes = request.getValue();
      input.append(request.getKey()).append(' ')
          .append(bytes.length == 0 ? "-" : hex.formatHex(bytes)).append('\n');
    }
    Path in = work.resolve("requests.txt");
    Path out = work.resolve("replies.txt");
    Files.writeString(in, input, StandardCharsets.US_ASCII);
    Files.deleteIfExists(work.resolve(VALUES));
    String failure = run(work, List.of(executable.toString(), work.resolve(VALUES).toString()),
        in, out);
    if (failure != null) {
      throw new AssertionError(failure);
    }
    List<String> replies = Files.readAllLines(out, StandardCharsets.US_ASCII);
    if (replies.size() != requests.size()) {
      throw new AssertionError("the harness answered " + replies.size() + " of " + requests.size()
          + " requests; the last was " + (replies.size() < requests.size()
              ? requests.get(replies.size()).getKey() : "?"));
    }
    return replies;
  }

  /** Runs {@code command}; null when it succeeded, else what it printed. */
  static String run(Path dir, List<String> command, Path input, Path output)
      throws IOException, InterruptedException {
    return run(dir, command, input, output, 240);
  }

  /** Runs {@code command} for {@code seconds} at most; null when it succeeded, else why not. */
  static String run(Path dir, List<String> command, Path input, Path output, int seconds)
      throws IOException, InterruptedException {
    return finish(start(dir, command, input, output), seconds);
  }

  /** A command started, where it writes, and whether it reads a file. */
  private record Started(Process process, List<String> command, Path output, Path errors,
      boolean hasInput) {}

  private static Started start(Path dir, List<String> command, Path input, Path output)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
        .redirectOutput(output.toFile());
    Path errors = output.resolveSibling(output.getFileName() + ".err");
    builder.redirectError(errors.toFile());
    if (input != null) {
      builder.redirectInput(input.toFile());
    }
    return new Started(builder.start(), command, output, errors, input != null);
  }

  /** Waits {@code seconds} at most for {@code started}; null when it succeeded, else why not. */
  private static String finish(Started started, int seconds)
      throws IOException, InterruptedException {
    Process process = started.process();
    String command = String.join(" ", started.command());
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return command + " did not finish in " + seconds + " s";
    }
    if (process.exitValue() == 0) {
      return null;
    }
    return command + " exited with " + process.exitValue() + ":\n"
        + Files.readString(started.errors(), StandardCharsets.ISO_8859_1)
        + (started.hasInput() ? ""
            : Files.readString(started.output(), StandardCharsets.ISO_8859_1));
  }
}
