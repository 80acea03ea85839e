package org.onyxrpc.mq.internal.server;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
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
    checkOnlyOursToWrite(directory);
    List<LogReader.Recovered> recovered = new ArrayList<>();
    List<Path> unfinished = new ArrayList<>();
    Map<String, Path> seen = new HashMap<>();
    for (Path path : list(directory, "*.mqlog")) {
      if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
        // Opening a FIFO to read waits for a writer: the start hung. A link or a directory is no log of ours either.
        throw new IOException(path + ": not a regular file, so not a log this server wrote; move it away");
      }
      LogReader.Recovered r;
      try {
        r = LogReader.read(path);
      } catch (LogReader.UnfinishedLogException e) {
        unfinished.add(path);
        continue;
      } catch (DamagedLogException e) {
        throw e; // names the file and the offset
      } catch (IOException e) {
        // NIO's words alone ("Is a directory", a path-less "permission denied") leave the operator to guess which.
        String why = Failures.reason(e);
        throw new IOException(why.contains(path.toString()) ? why : path + ": " + why, e);
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

  /**
   * Refuses a directory that a user other than the server's may write into: one owned by another
   * user, or one its group or others may write. That user could put a log there, which the next
   * start hosts as a queue with the owner, mode and messages of that user's choosing, or a
   * symbolic link under a name the server writes a log aside under, which the server follows (as
   * root, into any file). Others may read (list) it: they see the logs' names, and the logs are
   * the server's user's alone (0600).
   */
  static void checkOnlyOursToWrite(Path directory) throws IOException {
    if (!LogFiles.posix()) {
      return;
    }
    int me = processUid();
    int owner = (Integer) Files.getAttribute(directory, "unix:uid");
    if (me >= 0 && owner != me) {
      throw new IOException("it is owned by uid " + owner + ", not by this server's user (uid " + me
          + "), who alone may write in it: give the server a directory of its own");
    }
    Set<PosixFilePermission> modes = Files.getPosixFilePermissions(directory);
    if (modes.contains(PosixFilePermission.GROUP_WRITE) || modes.contains(PosixFilePermission.OTHERS_WRITE)) {
      throw new IOException("its group or others may write in it (" + PosixFilePermissions.toString(modes)
          + "), and so put logs or links in it: chmod go-w " + directory);
    }
  }

  /** The process's uid (Linux's /proc/self is owned by it), or -1 where it cannot be read. */
  private static int processUid() {
    try {
      return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return -1;
    }
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
