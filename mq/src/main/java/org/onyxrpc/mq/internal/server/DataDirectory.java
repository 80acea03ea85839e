package org.onyxrpc.mq.internal.server;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The durable queues' data directory as a start finds it. */
final class DataDirectory {
  private static final Logger log = LoggerFactory.getLogger(DataDirectory.class);

  private DataDirectory() {}

  /**
   * Reads every log in {@code directory} before any is changed, so that a damaged one
   * ({@link DamagedLogException}) stops the start with all of them as they were. Then the files
   * left aside (creations and rewrites never renamed into place) and the logs whose creation never
   * finished are removed.
   *
   * @return the logs read, whose torn tails are still to be cut
   */
  static List<LogReader.Recovered> readLogs(Path directory) throws IOException {
    LogFiles.createPrivateDirectory(directory);
    List<LogReader.Recovered> recovered = new ArrayList<>();
    List<Path> unfinished = new ArrayList<>();
    Map<String, Path> seen = new HashMap<>();
    for (Path path : list(directory, "*.mqlog")) {
      LogReader.Recovered r;
      try {
        r = LogReader.read(path);
      } catch (LogReader.UnfinishedLogException e) {
        unfinished.add(path);
        continue;
      }
      Path other = seen.putIfAbsent(r.name(), path);
      if (other != null) {
        throw new IOException(other + " and " + path + " are both logs of queue " + r.name()
            + "; move the one that does not belong away");
      }
      recovered.add(r);
    }
    for (Path aside : list(directory, "*.mqlog" + LogFiles.TEMPORARY_SUFFIX)) {
      Files.delete(aside); // a log written aside when the server stopped, never renamed into place
    }
    for (Path path : unfinished) {
      log.warn("{}: removed, the server stopped while creating its queue (the creation was not acknowledged)", path);
      Files.delete(path);
    }
    return recovered;
  }

  private static List<Path> list(Path directory, String glob) throws IOException {
    List<Path> paths = new ArrayList<>();
    try (DirectoryStream<Path> found = Files.newDirectoryStream(directory, glob)) {
      found.forEach(paths::add);
    }
    paths.sort(Comparator.naturalOrder());
    return paths;
  }
}
