package org.onyxrpc.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The C programs of the interop tests, built once under the module's {@code target/native-builds}
 * and shared: six test classes build the same server and client from interop.x, and each class
 * runs in more than one surefire execution (a JVM each), so a build per class repeated rpcgen
 * four times and gcc twice a dozen times per module build for the same executables.
 *
 * <p>A build's directory is named by the SHA-256 of its commands and of every file in the source
 * directories they name ({@code src/test/c/interop}, {@code src/test/c/bulk}, headers included):
 * an edited source or recipe is built afresh, never served stale. It is built in a directory of
 * its own and renamed into place when complete, so a failed or interrupted build is never used.
 */
final class NativeBuilds {
  private static final Path ROOT = NativeInterop.SOURCES.getParent().getParent().getParent()
      .getParent().resolve("target/native-builds");

  private NativeBuilds() {}

  /**
   * A build: {@code copied} files (of the source directories) copied into the build's directory,
   * then {@code commands} run there, in order; their paths are relative to it or absolute.
   */
  record Recipe(List<Path> copied, List<List<String>> commands) {}

  /** The directory of {@code recipe}'s outputs, built now if no earlier test built it. */
  static synchronized Path built(Recipe recipe) throws IOException, InterruptedException {
    Path dir = ROOT.resolve(key(recipe));
    if (Files.isDirectory(dir)) {
      return dir;
    }
    Files.createDirectories(ROOT);
    Path building = Files.createTempDirectory(ROOT, "building-");
    for (Path file : recipe.copied()) {
      Files.copy(file, building.resolve(file.getFileName()));
    }
    try (NativeCommands commands = new NativeCommands(building)) {
      for (List<String> command : recipe.commands()) {
        commands.run(command.toArray(String[]::new));
      }
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

  /** SHA-256 of the recipe's words and of each file of the directories its sources are in. */
  private static String key(Recipe recipe) throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
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
          sha.update((file + "\0").getBytes(StandardCharsets.UTF_8));
          sha.update(Files.readAllBytes(file));
        }
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }
}
