package org.onyxrpc.mq.internal.server;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A durable queue's log is damaged where no crash can have damaged it, so it is not used: the
 * server refuses to start rather than serve the queue without the records after the damage
 * (acknowledged messages lost, taken ones delivered again). The message, one line, names the
 * file and the offset and says what the operator can do.
 */
final class DamagedLogException extends IOException {
  private final Path path;
  private final long offset;

  DamagedLogException(Path path, long offset, String why, long bytesFrom) {
    super(path + ": damaged record at offset " + offset + " (" + why + "), " + bytesFrom
        + " bytes from there to the end; not a torn last write, so the log is left as it is."
        + " To start, move the file away (the queue is lost) or cut it there (truncate -s " + offset
        + " <file>: the records after it are lost, taken messages may come back)");
    this.path = path;
    this.offset = offset;
  }

  /** The damaged log. */
  Path path() {
    return path;
  }

  /** Where in it the first damaged record starts. */
  long offset() {
    return offset;
  }
}
