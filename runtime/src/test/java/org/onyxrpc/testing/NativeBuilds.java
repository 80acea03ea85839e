package org.onyxrpc.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * C programs the tests build with rpcgen and gcc, built once under the module's {@code
 * target/native-builds} and shared: the interop tests' server and client from interop.x are built
 * by six classes, the rpcbind tests' rpcgen server and client by several methods, and each class
 * runs in more than one surefire execution (a JVM each), so the same executables were built again
 * and again in every module build.
 *
 * <p>A build's directory is named by the SHA-256 of its recipe (the files it writes and copies,
 * its commands) and of every file in the source directories it names (headers included): an
 * edited source or recipe is built afresh, never served stale. The key also covers the toolchain
 * ({@link NativeToolchain}): the version of each program the commands run, the library file of each
 * {@code -lNAME} they link and every header of each absolute {@code -IDIR}, so an upgraded gcc,
 * rpcgen or libtirpc builds afresh too. It is built in a directory of its own and renamed into
 * place when complete, so a failed or interrupted build is never used.
 */
public final class NativeBuilds {
  /** How long one build command may take: generous, for a loaded machine. */
  private static final long COMMAND_SECONDS = 120;
  private static final Path ROOT = testClasses().resolveSibling("native-builds");

  private NativeBuilds() {}

  /**
   * A build: {@code copied} files (of the source tree) copied into the build's directory and
   * {@code written} ones (name to text) written there, then {@code commands} run there, in order;
   * the paths they name are relative to it or absolute.
   *
   * @param copied files to copy in
   * @param written files to write, name to text
   * @param commands the commands to run
   */
  public record Recipe(List<Path> copied, Map<String, String> written, List<List<String>> commands) {
    /** A recipe that writes no file. */
    public Recipe(List<Path> copied, List<List<String>> commands) {
      this(copied, Map.of(), commands);
    }
  }

  /**
   * The directory of {@code recipe}'s outputs, built now if no earlier test built it; fails the
   * test, quoting the commands' output, if a command fails.
   *
   * @param recipe what to build
   * @return the directory that holds what it built
   * @throws IOException if a file cannot be read or written
   * @throws InterruptedException if interrupted while a command runs
   */
  public static synchronized Path built(Recipe recipe) throws IOException, InterruptedException {
    Path dir = ROOT.resolve(key(recipe, NativeToolchain.installed()));
    if (Files.isDirectory(dir)) {
      return dir;
    }
    Files.createDirectories(ROOT);
    Path building = Files.createTempDirectory(ROOT, "building-");
    for (Path file : recipe.copied()) {
      Files.copy(file, building.resolve(file.getFileName()));
    }
    for (Map.Entry<String, String> file : recipe.written().entrySet()) {
      Files.writeString(building.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
    }
    for (List<String> command : recipe.commands()) {
      run(building, command);
    }
    try {
      Files.move(building, dir, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      if (!Files.isDirectory(dir)) {
        throw e;
      }
      delete(building); // another JVM renamed the same build into place first
    }
    return dir;
  }

  /**
   * SHA-256 of the recipe's words, of each file of the directories its sources are in and of the
   * parts of {@code toolchain} its commands use.
   */
  static String key(Recipe recipe, NativeToolchain toolchain) throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
    new TreeMap<>(recipe.written()).forEach((name, text) ->
        sha.update((name + '\0' + text + '\0').getBytes(StandardCharsets.UTF_8)));
    TreeSet<Path> sourceDirs = new TreeSet<>();
    for (Path file : recipe.copied()) {
      sha.update((file + "\0").getBytes(StandardCharsets.UTF_8));
      sourceDirs.add(file.getParent());
    }
    for (List<String> command : recipe.commands()) {
      for (String word : command) {
        sha.update((word + '\0').getBytes(StandardCharsets.UTF_8));
        Path path = Path.of(word);
        if (path.isAbsolute() && Files.isRegularFile(path)) {
          sourceDirs.add(path.getParent());
        }
      }
      sha.update((byte) '\n');
    }
    for (Path dir : sourceDirs) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
          digestFile(sha, file);
        }
      }
    }
    digestToolchain(sha, recipe.commands(), toolchain);
    return HexFormat.of().formatHex(sha.digest());
  }

  /**
   * Adds what the commands take from outside the recipe: each program's version, each linked
   * library's file (its real name carries the so version) and the headers under each absolute
   * include directory (-I/usr/include/tirpc: libtirpc-dev's, which the sources compile against).
   */
  private static void digestToolchain(MessageDigest sha, List<List<String>> commands,
      NativeToolchain toolchain) throws IOException {
    TreeSet<String> programs = new TreeSet<>();
    TreeSet<String> libraries = new TreeSet<>();
    TreeSet<Path> includes = new TreeSet<>();
    for (List<String> command : commands) {
      programs.add(command.get(0));
      for (String word : command) {
        if (word.startsWith("-l") && word.length() > 2) {
          libraries.add(word.substring(2));
        } else if (word.startsWith("-I") && Path.of(word.substring(2)).isAbsolute()) {
          includes.add(Path.of(word.substring(2)));
        }
      }
    }
    for (String program : programs) {
      sha.update((program + '\0' + toolchain.version(program) + '\0')
          .getBytes(StandardCharsets.UTF_8));
    }
    for (String library : libraries) {
      sha.update(("-l" + library + '\0').getBytes(StandardCharsets.UTF_8));
      Optional<Path> file = toolchain.library(library);
      if (file.isPresent()) {
        digestFile(sha, file.get());
      }
    }
    for (Path include : includes) {
      if (Files.isDirectory(include)) {
        try (Stream<Path> files = Files.walk(include)) {
          for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
            digestFile(sha, file);
          }
        }
      }
    }
  }

  private static void digestFile(MessageDigest sha, Path file) throws IOException {
    sha.update((file + "\0").getBytes(StandardCharsets.UTF_8));
    sha.update(Files.readAllBytes(file));
  }

  /** Runs {@code command} in {@code dir}, its output in build.log there; fails unless it exits 0. */
  private static void run(Path dir, List<String> command) throws IOException, InterruptedException {
    Path log = dir.resolve("build.log");
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    try {
      if (!process.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
        fail(String.join(" ", command) + " did not finish in " + COMMAND_SECONDS + " s; output:\n"
            + Files.readString(log));
      }
      if (process.exitValue() != 0) {
        fail(String.join(" ", command) + " exited with " + process.exitValue() + "; output:\n"
            + Files.readString(log));
      }
    } finally {
      process.destroyForcibly();
    }
  }

  /** target/test-classes, where this class was loaded from. */
  private static Path testClasses() {
    try {
      return Path.of(NativeBuilds.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }
}
