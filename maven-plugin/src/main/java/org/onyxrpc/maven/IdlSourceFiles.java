package org.onyxrpc.maven;

import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.apache.maven.plugin.logging.Log;
import org.onyxrpc.idl.cli.InputFiles;
import org.onyxrpc.idl.source.SourceFiles;

/** Finds the schema sources of a directory, and names their kinds and the directories that are none. */
final class IdlSourceFiles {
  private IdlSourceFiles() {}

  /**
   * Every schema source under {@code dir} ({@link SourceFiles#isSource}: {@code .idl}, {@code .x}
   * and {@code .rpcl}), in a stable order; none when it does
   * not exist. Symbolic links are followed: a linked directory of shared files is under the root
   * as the user sees it (it was skipped, its files silently not compiled).
   */
  static List<Path> idlFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Path> found = new ArrayList<>();
    Files.walkFileTree(dir, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
        String name = file.getFileName().toString();
        if (attributes.isRegularFile() && SourceFiles.isSource(name)) {
          found.add(file);
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        if (e instanceof FileSystemLoopException) {
          return FileVisitResult.CONTINUE;  // a link to a directory above: its files are listed already
        }
        throw e;
      }
    });
    found.sort(null);
    return List.copyOf(found);
  }

  /**
   * Warns of each of {@code directories} that is not a directory, as idlc warns of such a {@code
   * -I}: a mistyped include directory otherwise shows only as an import not found, if one is, and
   * a mistyped source directory not at all. Said on every run, up to date or not, as idlc says
   * it; a warning, not an error, as builds name directories only some machines have.
   *
   * @param base the project directory, which the warning names the directories relative to
   * @param element the pom element that named them, such as {@code includeDirectory}
   */
  static void warnOfDirectoriesThatAreNone(Path base, String element, List<Path> directories, Log log) {
    Path root = base.toAbsolutePath().normalize();
    for (Path dir : directories) {
      Path absolute = root.resolve(dir).normalize();
      String reason = InputFiles.notADirectory(absolute);
      if (reason != null) {
        log.warn("Onyx: <" + element + "> " + Shown.path(root, absolute) + ": " + reason);
      }
    }
  }

  /** What the inputs are, for the log: their endings, such as {@code .x} or {@code .idl and .x}. */
  static String kinds(List<Path> files) {
    List<String> endings = SourceFiles.ENDINGS.stream()
        .filter(ending -> files.stream().anyMatch(f -> f.getFileName().toString().endsWith(ending)))
        .toList();
    if (endings.isEmpty()) {
      return SourceFiles.ENDINGS.get(0);
    }
    int last = endings.size() - 1;
    return last == 0 ? endings.get(0)
        : String.join(", ", endings.subList(0, last)) + " and " + endings.get(last);
  }
}
