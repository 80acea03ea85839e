package org.onyxrpc.mq.internal.server;

import org.onyxrpc.mq.internal.wire.MqErrno;
import org.onyxrpc.mq.internal.wire.MqFailure;

/** Shorthand for the failures the queue host answers with. */
final class Failures {
  private Failures() {}

  static MqFailure fail(MqErrno errno, String detail) {
    return new MqFailure(errno, detail);
  }
}
