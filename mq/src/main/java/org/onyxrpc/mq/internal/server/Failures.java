package org.onyxrpc.mq.internal.server;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import org.onyxrpc.mq.internal.wire.MqErrno;
import org.onyxrpc.mq.internal.wire.MqFailure;

/** Shorthand for the failures the queue host answers with. */
final class Failures {
  private Failures() {}

  static MqFailure fail(MqErrno errno, String detail) {
    return new MqFailure(errno, detail);
  }

  /**
   * Why a log could not be written or removed, as a client may read it: the file system's reason
   * ("No space left on device") without the path, which tells a peer where the server keeps its
   * data.
   */
  static String reason(IOException e) {
    if (e instanceof FileSystemException fs && fs.getReason() != null) {
      return fs.getReason();
    }
    // NIO gives these without a reason, their message being the path alone: the strerror(3) words.
    if (e instanceof AccessDeniedException) {
      return "Permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "No such file or directory";
    }
    if (e instanceof NotDirectoryException) {
      return "Not a directory";
    }
    if (e instanceof FileAlreadyExistsException) {
      return "File exists";
    }
    return e instanceof FileSystemException ? e.getClass().getSimpleName() : String.valueOf(e.getMessage());
  }
}
