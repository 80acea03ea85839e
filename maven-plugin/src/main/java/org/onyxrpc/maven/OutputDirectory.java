package org.onyxrpc.maven;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The directory a generation writes its Java files under: writes them, checks they are there,
 * and deletes what an earlier run wrote and this one did not.
 *
 * @param base the project directory, which an index's recorded output directory is relative to
 * @param directory the root the Java sources are written under
 */
record OutputDirectory(Path base, Path directory) {
  /** The setting that records the output directory, as shown (relative to the project when under it). */
  static final String SETTING = "out";

  /** True when every output of {@code index} is a file in this directory. */
  boolean holdsAll(GenerationIndex index) {
    return index.outputs().stream().allMatch(o -> Files.isRegularFile(directory.resolve(o)));
  }

  /**
   * Writes {@code content} to {@code path} (relative to this directory) unless the file holds it already.
   *
   * @return whether the file was written
   */
  boolean writeIfChanged(String path, String content) throws IOException {
    Path file = directory.resolve(path);
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    // An unchanged file keeps its timestamp, so the compiler's own incremental check holds.
    if (Files.isRegularFile(file) && Arrays.equals(Files.readAllBytes(file), bytes)) {
      return false;
    }
    Files.createDirectories(file.getParent());
    Files.write(file, bytes);
    return true;
  }

  /**
   * Deletes what the previous run wrote and this one did not, then the directories left empty.
   * The previous run's files are looked for where it wrote them: after the output directory
   * changed, all of them are stale there, and nothing in the new one is touched.
   */
  int deleteStale(Optional<GenerationIndex> previous, Set<String> keep) throws IOException {
    Path previousOutput = previous.flatMap(index -> index.setting(SETTING))
        .map(shown -> base.resolve(shown).normalize()).orElse(directory);
    Set<String> kept = previousOutput.equals(directory) ? keep : Set.of();
    int deleted = 0;
    for (String output : previous.map(GenerationIndex::outputs).orElse(List.of())) {
      if (kept.contains(output)) {
        continue;
      }
      Path file = previousOutput.resolve(output).normalize();
      if (file.startsWith(previousOutput) && Files.deleteIfExists(file)) {
        deleted++;
        for (Path dir = file.getParent(); dir != null && !dir.equals(previousOutput); dir = dir.getParent()) {
          try (Stream<Path> entries = Files.list(dir)) {
            if (entries.findAny().isPresent()) {
              break;
            }
          }
          Files.delete(dir);
        }
      }
    }
    return deleted;
  }
}
