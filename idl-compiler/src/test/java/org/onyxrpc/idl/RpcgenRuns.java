package org.onyxrpc.idl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * rpcgen run once per input, flags and kind of output in a test JVM: {@link
 * RpcgenDifferentialTest} asks {@code rpcgen -h} and {@code -c} of every corpus file, and {@link
 * XdrDifferentialTest} asks the same of each file it compares (and {@code -l}). Each run costs
 * rpcgen, cpp and cc1 processes; the second asker gets the first's output from memory. The key
 * is the input's path and text, its flags and the kind, and the output is always named as
 * XdrDifferentialTest names it ({@code NAME.h}, {@code NAME_xdr.c}, {@code NAME_clnt.c}: the
 * header's guard comes from that name), so what a cached answer holds is what a new run would
 * write. Files a {@code .x} file includes are not in the key: nothing changes them while tests run.
 */
final class RpcgenRuns {
  /** What one run gave: the output's bytes, or null and why rpcgen failed. */
  record Output(byte[] bytes, String failure) {
    boolean succeeded() {
      return failure == null;
    }

    /** Writes the output to {@code target}; the run must have succeeded. */
    void writeTo(Path target) throws IOException {
      if (!succeeded()) {
        throw new IllegalStateException("rpcgen failed: " + failure);
      }
      Files.write(target, bytes);
    }
  }

  /**
   * Each key's run, done or under way: a second asker of the same key waits for the first's run
   * rather than starting another, and askers of different keys run rpcgen at once (CorpusTest's
   * and XdrDifferentialTest's files are tested on two threads).
   */
  private static final Map<String, CompletableFuture<Output>> outputs = new HashMap<>();
  private static int runs;

  private RpcgenRuns() {}

  /**
   * {@code rpcgen FLAGS KIND -o OUT FILE}'s output ({@code kind} is {@code -h}, {@code -c} or
   * {@code -l}), run in a directory of {@code scratch} if no earlier caller of this JVM asked it.
   */
  static Output of(Path file, List<String> flags, String kind, Path scratch)
      throws IOException, InterruptedException {
    String text = Files.readString(file, StandardCharsets.ISO_8859_1);
    String key = digest(file.toAbsolutePath().normalize() + "\0" + text + "\0" + flags + "\0" + kind);
    CompletableFuture<Output> mine = new CompletableFuture<>();
    CompletableFuture<Output> earlier;
    synchronized (RpcgenRuns.class) {
      earlier = outputs.putIfAbsent(key, mine);
      if (earlier == null) {
        runs++;
      }
    }
    if (earlier != null) {
      try {
        return earlier.get();
      } catch (ExecutionException e) {
        throw new AssertionError("rpcgen's run for another test failed", e.getCause());
      }
    }
    try {
      Output result = run(file, flags, kind, scratch);
      mine.complete(result);
      return result;
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      // Not kept, as before: a later asker runs rpcgen again; one waiting now gets the failure.
      synchronized (RpcgenRuns.class) {
        outputs.remove(key, mine);
      }
      mine.completeExceptionally(e);
      throw e;
    }
  }

  private static Output run(Path file, List<String> flags, String kind, Path scratch)
      throws IOException, InterruptedException {
    Path dir = Files.createDirectories(scratch.resolve("rpcgen" + String.join("", flags) + kind));
    Path output = dir.resolve(outputName(file, kind));
    Files.deleteIfExists(output);
    List<String> command = new ArrayList<>(List.of("rpcgen"));
    command.addAll(flags);
    command.addAll(List.of(kind, "-o", output.toString(), file.getFileName().toString()));
    String failure = RpcgenCodecs.run(file.getParent(), command, null, dir.resolve("rpcgen.txt"));
    return failure == null ? new Output(Files.readAllBytes(output), null) : new Output(null, failure);
  }

  /** How many times rpcgen has run (or is running) in this JVM (for the test of the cache). */
  static synchronized int runs() {
    return runs;
  }

  /**
   * What rpcgen names its outputs and its C's {@code #include} after: the file's name without its
   * last ending, whichever it is ({@code vxi11core.rpcl} gives {@code vxi11core.h}), as rpcgen's
   * extendfile cuts at the last dot.
   */
  static String baseName(Path file) {
    return file.getFileName().toString().replaceAll("\\.[^.]*$", "");
  }

  /** NAME.h, NAME_xdr.c or NAME_clnt.c of NAME.x (or any other ending). */
  static String outputName(Path file, String kind) {
    String base = baseName(file);
    return switch (kind) {
      case "-h" -> base + ".h";
      case "-c" -> base + "_xdr.c";
      case "-l" -> base + "_clnt.c";
      default -> throw new IllegalArgumentException("kind " + kind);
    };
  }

  private static String digest(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
