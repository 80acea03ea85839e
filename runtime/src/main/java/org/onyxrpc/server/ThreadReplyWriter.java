package org.onyxrpc.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.onyxrpc.xdr.XdrWriter;

/**
 * The one writer of a thread's replies' results, started over for each reply (a writer made per
 * reply was one of the objects a call cost), for a {@link ReplySink} whose calls mostly end on
 * its own thread: a dedicated TCP connection's, a dedicated UDP socket's. A reply made on any
 * other thread (a worker, an async stage) gets a new writer, as it would without one kept.
 */
final class ThreadReplyWriter {
  private final Thread owner;
  private XdrWriter kept; // null until the first reply, and while one is written with it

  ThreadReplyWriter(Thread owner) {
    this.owner = owner;
  }

  /** As {@link ReplySink#replyWriter}: the kept writer on {@code reply}, or a new one. */
  XdrWriter take(ByteBuf reply) {
    XdrWriter writer = kept;
    if (writer == null || Thread.currentThread() != owner) {
      return XdrWriter.gathering(reply);
    }
    kept = null;
    return writer.reset(reply);
  }

  /** As {@link ReplySink#replyWriterDone}: kept if done with on the owner, not its reply. */
  void done(XdrWriter writer) {
    if (Thread.currentThread() == owner) {
      kept = writer.reset(Unpooled.EMPTY_BUFFER);
    }
  }
}
