package org.onyxrpc.server;

import org.onyxrpc.internal.RateLimitedLog;
import org.onyxrpc.rpc.OpaqueAuth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A call waiting in its connection's lane, and the call it runs (one object). Dropped unstarted
 * when its connection closes first (a peer that pipelines calls and resets): nobody would read
 * its reply, and an at-most-once call that never ran may then run when its client retransmits
 * it elsewhere.
 */
final class QueuedCall<A, R> extends ProcedureRunner.Running implements FairScheduler.Droppable {
  private static final Logger LOG = LoggerFactory.getLogger(CallProcessor.class);

  final ServerMethod<A, R> method;
  private final A args;
  final ReplySink sink;
  private final CallProcessor processor; // one reference, as an inner class's: the call stays as small

  QueuedCall(CallProcessor processor, ServerMethod<A, R> method, A args, ReplySink sink, CallContext context,
      OpaqueAuth verifier, DuplicateRequestCache.Key key, long decodedBytes, Object share,
      ServerCall observed, int slot) {
    super(context, verifier, key, decodedBytes, share, observed, slot);
    this.processor = processor;
    this.method = method;
    this.args = args;
    this.sink = sink;
  }

  @Override
  public void run() {
    if (sink.connected()) {
      processor.runner().run(method, args, this, sink);
    } else { // closed while a runner took it, before its lane could drop it
      drop();
    }
  }

  @Override
  public void drop() {
    processor.droppedQueued.increment();
    RateLimitedLog.debugOneLine(LOG, "{} from {}: its connection closed before it started, dropped",
        method.procedure().describe(), sink.remoteAddress());
    try {
      processor.runner().giveBack(this);
      if (key() != null) {
        processor.cache().abandon(key()); // it never ran: a retransmission may run it
      }
    } finally {
      sink.callDone();
    }
  }
}
