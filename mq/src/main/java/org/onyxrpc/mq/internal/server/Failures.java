package org.onyxrpc.mq.internal.server;

import java.io.IOException;
import java.nio.file.FileSystemException;
import org.onyxrpc.internal.transport.SystemErrors;
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
    return e instanceof FileSystemException fs ? SystemErrors.words(fs) : String.valueOf(e.getMessage());
  }
}
