package org.onyxrpc.maven;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.onyxrpc.idl.fromjava.JavaToIdl;

/**
 * Writes from-java's {@code .idl} files under a root: only those whose text changed, so the
 * {@code generate} goal's incremental check holds, and deletes the ones an earlier run wrote
 * for packages that are gone. A file without from-java's header is never touched.
 */
final class IdlFilesWriter {
  /** What a run did. */
  record Outcome(int written, int removed) {}

  private IdlFilesWriter() {}

  static Outcome write(Path root, List<JavaToIdl.IdlFile> files) throws IOException {
    int written = 0;
    Set<Path> targets = new HashSet<>();
    for (JavaToIdl.IdlFile file : files) {
      Path target = root.resolve(file.path());
      targets.add(target);
      if (Files.isRegularFile(target)
          && Files.readString(target, StandardCharsets.UTF_8).equals(file.content())) {
        continue;
      }
      Files.createDirectories(target.getParent());
      Files.writeString(target, file.content(), StandardCharsets.UTF_8);
      written++;
    }
    return new Outcome(written, removeStale(root, targets));
  }

  private static int removeStale(Path root, Set<Path> targets) throws IOException {
    if (!Files.isDirectory(root)) {
      return 0;
    }
    List<Path> stale;
    try (Stream<Path> walk = Files.walk(root)) {
      stale = walk.filter(p -> p.toString().endsWith(".idl") && !targets.contains(p)).toList();
    }
    int removed = 0;
    for (Path file : stale) {
      boolean ours;
      try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
        ours = lines.findFirst().filter(l -> l.startsWith(JavaToIdl.HEADER)).isPresent();
      }
      if (ours) {
        Files.delete(file);
        removed++;
      }
    }
    return removed;
  }
}
