package org.onyxrpc.server;

import io.netty.buffer.ByteBuf;
import org.onyxrpc.internal.RateLimitedLog;
import org.onyxrpc.internal.rpc.CallTag;
import org.onyxrpc.internal.rpc.ReplyTag;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the duplicate request cache says of an at-most-once call before it may run, answered: a
 * retransmission gets its saved reply, is dropped while its first still runs, or is answered
 * SYSTEM_ERR when whether it ran is unknown.
 */
final class CachedAnswers {
  private static final Logger LOG = LoggerFactory.getLogger(CallProcessor.class);

  private final DuplicateRequestCache cache;
  private final long epoch;
  private final OpaqueAuth unknownOutcomeVerifier;
  private final ProcedureRunner runner;
  private final RateLimitedLog unknownOutcomes = new RateLimitedLog(RateLimitedLog.DEFAULT_INTERVAL);

  CachedAnswers(DuplicateRequestCache cache, long epoch, ProcedureRunner runner) {
    this.cache = cache;
    this.epoch = epoch;
    this.unknownOutcomeVerifier = new ReplyTag(epoch, true).toVerifier();
    this.runner = runner;
  }

  /** True if the call is not to run: answered (or dropped) from the cache. */
  boolean answered(DuplicateRequestCache.Key key, ServerMethod<?, ?> method, int xid, CallTag tag, ReplySink sink) {
    DuplicateRequestCache.Lookup lookup =
        // Counted as every per-client limit counts: a Unix-domain user by its uid, not as no one.
        cache.begin(key, tag, epoch, sink.client(), sink.connection());
    return switch (lookup.verdict()) {
      case REPLAY -> {
        RateLimitedLog.debugOneLine(LOG, "{} from {}: a retransmission, answered with the saved reply",
            method.procedure().describe(), sink.remoteAddress());
        ByteBuf reply = sink.newReply();
        reply.writeBytes(lookup.reply());
        sink.send(reply);
        yield true;
      }
      case IN_PROGRESS -> {
        RateLimitedLog.debugOneLine(LOG, "{} from {}: a retransmission of a call still running, or whose reply is on its way over this connection, dropped",
            method.procedure().describe(), sink.remoteAddress());
        yield true;
      }
      case OUTCOME_UNKNOWN -> {
        unknownOutcomes.info(LOG, "{} from {} retransmitted, and whether it ran is unknown: not running it again",
            method.procedure().describe(), sink.remoteAddress());
        ByteBuf reply = sink.newReply();
        runner.writeError(reply, ReplyHeader.accepted(xid, RpcStatus.SYSTEM_ERR, unknownOutcomeVerifier));
        sink.send(reply);
        yield true;
      }
      case EXECUTE -> false;
    };
  }
}
