package org.onyxrpc.benchmarks;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The C reference peers: an rpcgen-generated server and client for {@code bench.x} (the
 * {@link AddProgram} of the Java benchmarks), compiled with gcc against libtirpc from the sources
 * in this jar ({@code src/main/c}) at benchmark time.
 *
 * <p>The build goes to {@code java.io.tmpdir/onyx-c-peers-<user>-<hash of sources and options>}
 * and is reused by every later JMH fork and run of the same sources; it is made in a fresh
 * directory and moved into place, so two JVMs building at once do not see each other's
 * half-written files.
 */
public final class CPeers {
  /** The sources, in the jar under {@code c-peers/}. */
  static final List<String> SOURCES =
      List.of("bench.x", "bench_impl.c", "bench_server.c", "bench_client.c");
  /** Where rpcgen's headers for libtirpc are on Debian and most Linux distributions. */
  static final Path TIRPC_INCLUDE = Path.of("/usr/include/tirpc");

  /** gcc's options besides includes and outputs; part of the build's hash. */
  private static final List<String> GCC_OPTIONS = List.of("-std=gnu11", "-O2");
  private static final long COMMAND_SECONDS = 120;

  private final Path directory;

  private CPeers(Path directory) {
    this.directory = directory;
  }

  /** The C server binary. */
  public Path server() {
    return directory.resolve("bench_server");
  }

  /** The C client binary. */
  public Path client() {
    return directory.resolve("bench_client");
  }

  /**
   * The C peers, built now or by an earlier run of the same sources.
   *
   * @throws IllegalStateException when rpcgen, gcc or libtirpc's headers are missing, or the
   *     build fails (the message carries the build's output)
   */
  public static synchronized CPeers build() throws IOException, InterruptedException {
    List<String> missing = missingTools(System.getenv());
    if (!missing.isEmpty()) {
      throw new IllegalStateException(missingMessage(missing));
    }
    Map<String, byte[]> sources = readSources();
    Path target = Path.of(System.getProperty("java.io.tmpdir"),
        "onyx-c-peers-" + System.getProperty("user.name") + "-" + hash(sources));
    CPeers built = new CPeers(target);
    if (Files.isExecutable(built.server()) && Files.isExecutable(built.client())) {
      return built;
    }
    Path work = Files.createTempDirectory("onyx-c-peers-build-");
    for (Map.Entry<String, byte[]> source : sources.entrySet()) {
      Files.write(work.resolve(source.getKey()), source.getValue());
    }
    compile(work);
    try {
      Files.move(work, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      // Another JVM may have got there first with the same sources: then use its build.
      deleteTree(work);
      if (!Files.isExecutable(built.server()) || !Files.isExecutable(built.client())) {
        throw e;
      }
    }
    return built;
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  /** Runs rpcgen and gcc in {@code work}, which holds the sources. */
  private static void compile(Path work) throws IOException, InterruptedException {
    // Newstyle (-N): several arguments per procedure; -m: a dispatcher without rpcgen's main.
    run(work, "rpcgen", "-N", "-h", "-o", "bench.h", "bench.x");
    run(work, "rpcgen", "-N", "-c", "-o", "bench_xdr.c", "bench.x");
    run(work, "rpcgen", "-N", "-l", "-o", "bench_clnt.c", "bench.x");
    run(work, "rpcgen", "-N", "-m", "-o", "bench_svc.c", "bench.x");
    gcc(work, "bench_server", "bench_server.c", "bench_impl.c", "bench_svc.c", "bench_xdr.c");
    gcc(work, "bench_client", "bench_client.c", "bench_clnt.c", "bench_xdr.c");
  }

  private static void gcc(Path work, String output, String... sources)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("gcc"));
    command.addAll(GCC_OPTIONS);
    command.addAll(List.of("-I" + TIRPC_INCLUDE, "-I.", "-o", output));
    command.addAll(List.of(sources));
    command.add("-ltirpc");
    run(work, command.toArray(String[]::new));
  }

  private static void run(Path work, String... command) throws IOException, InterruptedException {
    Path log = work.resolve("build.log");
    Process process = new ProcessBuilder(command)
        .directory(work.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    if (!process.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " did not finish in "
          + COMMAND_SECONDS + " s; output:\n" + Files.readString(log));
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited with "
          + process.exitValue() + "; output:\n" + Files.readString(log));
    }
  }

  /**
   * What the C peers need and this machine lacks, judged from {@code environment}'s PATH: empty
   * when rpcgen, gcc and libtirpc's headers are all there.
   */
  static List<String> missingTools(Map<String, String> environment) {
    List<String> missing = new ArrayList<>();
    String path = environment.getOrDefault("PATH", "");
    for (String tool : List.of("rpcgen", "gcc")) {
      if (!onPath(path, tool)) {
        missing.add(tool);
      }
    }
    if (!Files.isRegularFile(TIRPC_INCLUDE.resolve("rpc/rpc.h"))) {
      missing.add(TIRPC_INCLUDE.resolve("rpc/rpc.h") + " (libtirpc-dev)");
    }
    return missing;
  }

  /** What to tell someone whose machine lacks {@code missing}. */
  static String missingMessage(List<String> missing) {
    return "the C peers need rpcgen, gcc and libtirpc; missing " + missing
        + ". On Debian: apt-get install rpcsvc-proto gcc libtirpc-dev";
  }

  private static boolean onPath(String path, String tool) {
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  private static Map<String, byte[]> readSources() throws IOException {
    Map<String, byte[]> sources = new LinkedHashMap<>();
    for (String name : SOURCES) {
      try (InputStream in = CPeers.class.getResourceAsStream("/c-peers/" + name)) {
        if (in == null) {
          throw new IllegalStateException("c-peers/" + name + " is not on the class path");
        }
        sources.put(name, in.readAllBytes());
      }
    }
    return sources;
  }

  private static String hash(Map<String, byte[]> sources) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(String.join(" ", GCC_OPTIONS).getBytes(StandardCharsets.UTF_8));
      for (Map.Entry<String, byte[]> source : sources.entrySet()) {
        digest.update(source.getKey().getBytes(StandardCharsets.UTF_8));
        digest.update(source.getValue());
      }
      return HexFormat.of().formatHex(digest.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every JDK has SHA-256
    }
  }
}
