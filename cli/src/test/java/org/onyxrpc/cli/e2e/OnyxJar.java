package org.onyxrpc.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The built command, run as a process: {@code java -jar target/onyx.jar …}, as a user runs it.
 * The build runs these tests after {@code package} (the {@code e2e} execution in cli/pom.xml).
 */
final class OnyxJar {
  /** The shaded jar; the build passes its path, a run from the module finds it in target/. */
  static final Path JAR = Path.of(System.getProperty("onyx.jar", "target/onyx.jar")).toAbsolutePath();

  private static final long SECONDS = 120;

  /** What one run printed and returned. */
  record Result(int exit, String out, String err) {
    /** For assertion messages. */
    String describe() {
      return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  private OnyxJar() {}

  /** The java command and the jar, then {@code args}. */
  static List<String> command(String... args) {
    assertTrue(Files.isRegularFile(JAR), JAR + " is missing: run mvn verify (the jar is built in package)");
    // C1 only, as the Maven plugin's invoker runs its builds: these short runs end before C2's
    // work pays off (a third less CPU each, and these tests start many of them).
    List<String> command = new ArrayList<>(List.of(JAVA, "-XX:TieredStopAtLevel=1"));
    if (Archive.PATH != null) {
      command.add("-XX:SharedArchiveFile=" + Archive.PATH);
    }
    command.addAll(List.of("-jar", JAR.toString()));
    command.addAll(List.of(args));
    return command;
  }

  private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

  /**
   * A class-data-sharing archive of the classes a call loads, made once per test JVM (the e2e
   * execution runs two) by a call to a closed port with {@code -XX:ArchiveClassesAtExit}: a run
   * then maps them instead of reading and checking them from the jar, a third less CPU for a call
   * (1.75 s of user time, 1.10 s with it). The commands run as they do without it; only their
   * class loading is cheaper. Null, and no archive used, when this JVM cannot make one that a run
   * uses without a word on stderr (which the tests check empty, as a user sees it).
   */
  private static final class Archive {
    static final Path PATH = make();

    private static Path make() {
      Path archive = JAR.resolveSibling("onyx-e2e-" + ProcessHandle.current().pid() + ".jsa");
      try {
        Path dir = Files.createTempDirectory("onyx-cds");
        Files.writeString(dir.resolve("train.x"),
            "program TRAIN { version TRAIN_V1 { int ECHO(int) = 1; } = 1; } = 0x20000999;\n");
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
          port = closed.getLocalPort();
        }
        Files.deleteIfExists(archive);
        archive.toFile().deleteOnExit(); // 16 MB; the runs that map it have ended by then
        // The dump's own warnings (classes too old for CDS, left out) are not a run's.
        run(dir, null, List.of(JAVA, "-XX:TieredStopAtLevel=1", "-XX:ArchiveClassesAtExit=" + archive,
            "-jar", JAR.toString(), "call", "127.0.0.1:" + port, "TRAIN.ECHO", "--idl", "train.x",
            "-d", "{\"arg1\": 1}"));
        if (!Files.isRegularFile(archive)) {
          return null;
        }
        Result check = run(dir, null, List.of(JAVA, "-XX:TieredStopAtLevel=1",
            "-XX:SharedArchiveFile=" + archive, "-jar", JAR.toString(), "--version"));
        Files.delete(dir.resolve("train.x"));
        Files.delete(dir);
        return check.exit() == 0 && check.err().isEmpty() ? archive : null;
      } catch (IOException | AssertionError e) { // AssertionError: the dump ran out of time
        return null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
  }

  /** Runs {@code onyx args…} in {@code dir} to the end. */
  static Result run(Path dir, String... args) throws IOException, InterruptedException {
    return run(dir, null, command(args));
  }

  /** Runs {@code command} in {@code dir} with {@code stdin} (or none) to the end. */
  static Result run(Path dir, String stdin, List<String> command) throws IOException, InterruptedException {
    Path out = Files.createTempFile("onyx", ".out");
    Path err = Files.createTempFile("onyx", ".err");
    try {
      ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile());
      Process p = builder.start();
      try (var in = p.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      if (!p.waitFor(SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
        fail(command + " did not finish in " + SECONDS + " s");
      }
      return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** Unpacks the built tar.gz into {@code work}; returns its top folder (bin/, lib/). */
  static Path unpackDistribution(Path work) throws IOException, InterruptedException {
    Path tarball = JAR.resolveSibling("onyx-" + System.getProperty("onyx.version", "0.1.0-SNAPSHOT") + ".tar.gz");
    if (!Files.isRegularFile(tarball)) {
      throw new AssertionError(tarball + " missing");
    }
    Result untar = run(work, null, List.of("tar", "xzf", tarball.toString()));
    if (untar.exit() != 0) {
      throw new AssertionError(untar.describe());
    }
    return work.resolve(tarball.getFileName().toString().replace(".tar.gz", ""));
  }

  /** Starts a long-running {@code onyx args…} and returns it with the first line it printed. */
  static Started start(String... args) throws IOException, InterruptedException {
    return start(command(args));
  }

  /** Starts a long-running {@code command} and returns it with the first line it printed. */
  static Started start(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader reader = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
      try {
        return reader.readLine();
      } catch (IOException e) {
        return null;
      }
    });
    try {
      return new Started(p, first.get(SECONDS, TimeUnit.SECONDS));
    } catch (ExecutionException | TimeoutException e) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " printed nothing", e);
    }
  }

  /** A running command and its first line. */
  record Started(Process process, String firstLine) implements AutoCloseable {
    @Override
    public void close() {
      process.destroy(); // SIGTERM: the shutdown hook closes cleanly
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
