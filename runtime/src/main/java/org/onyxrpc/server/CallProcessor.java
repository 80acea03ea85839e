package org.onyxrpc.server;

import io.netty.buffer.ByteBuf;
import java.util.NavigableMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import org.onyxrpc.internal.RateLimitedLog;
import org.onyxrpc.internal.rpc.CallTag;
import org.onyxrpc.internal.rpc.ReplyTag;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.rpc.AuthStatus;
import org.onyxrpc.rpc.CallHeader;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Credentials;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrException;
import org.onyxrpc.xdr.XdrLimits;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one received message into a call: reads the call header, authenticates, finds the
 * procedure, decodes its arguments, asks the duplicate request cache, and hands the call to a
 * {@link ProcedureRunner} on the server's executor (or inline). Every error reply of RFC 5531 up
 * to that point is produced here, where the RFC says; a message cut short before its credential
 * is dropped, as libtirpc does, since there is nothing to answer but an xid (see {@link
 * ReceivedHeader} for the rest of a header that cannot be used).
 */
final class CallProcessor implements ReceivedHeader.Refusals {
  private static final Logger LOG = LoggerFactory.getLogger(CallProcessor.class);
  /** RPC_MISMATCH's reply: xid, msg_type, reply_stat, reject_stat, low, high. */
  private static final int LONGEST_REFUSAL_BYTES = 24;
  /**
   * What decoding the largest call header is charged: two opaque_auth of {@link
   * OpaqueAuth#MAX_BODY} bytes (the record, 24, and 32 + length for its body, as {@code
   * XdrReader} charges a record of two fields and an opaque), and room to spare. Not an Onyx
   * call tag's metadata, which may be charged up to about 3 KB more: a call whose tag does not
   * fit the room left is answered SYSTEM_ERR, as one whose arguments do not.
   */
  private static final long HEADER_ROOM = 2 * (24 + 32 + OpaqueAuth.MAX_BODY) + 160;

  private final Registry registry;
  private final Authenticator authenticator;
  private final TlsAdmission tls; // null: no TLS
  private final FairScheduler scheduler; // null: procedures run on the I/O thread
  private final ServerInterceptors interceptors; // null: none, and calls make no ServerCall
  private final DuplicateRequestCache cache; // null: every call runs as often as it arrives
  private final OpaqueAuth taggedVerifier;
  private final XdrLimits limits;
  private final ByteBudget decoded; // estimated bytes of the arguments of calls in flight
  private final DecodedShares shares; // and of each address's, once half of them is held
  private final RateLimitedLog failures = new RateLimitedLog(RateLimitedLog.DEFAULT_INTERVAL);
  private final RateLimitedLog garbage = new RateLimitedLog(RateLimitedLog.DEFAULT_INTERVAL);
  private final RateLimitedLog busy = new RateLimitedLog(RateLimitedLog.DEFAULT_INTERVAL);
  /** Out of memory, one call after another: one stack trace per interval is enough. */
  static final RateLimitedLog OUT_OF_RESOURCES = new RateLimitedLog(RateLimitedLog.DEFAULT_INTERVAL);
  final LongAdder calls = new LongAdder();
  final LongAdder malformed = new LongAdder();
  final LongAdder errorReplies = new LongAdder();
  final LongAdder droppedQueued = new LongAdder(); // calls whose connection closed before they ran
  final LongAdder refusedDraining = new LongAdder(); // calls refused PROG_UNAVAIL by the drain
  private final ProcedureRunner runner;
  private final CachedAnswers cached; // null: no cache

  /**
   * {@code scheduler} null runs procedures inline on the I/O thread; {@code epoch} is this
   * server's random start id, sent to tagged clients so they can tell a restart.
   */
  CallProcessor(Registry registry, Authenticator authenticator, FairScheduler scheduler,
      DuplicateRequestCache cache, long epoch, XdrLimits limits, ByteBudget decoded,
      DecodedShares shares, TlsMode tls, ServerInterceptors interceptors) {
    this.interceptors = interceptors;
    this.limits = limits;
    this.decoded = decoded;
    this.shares = shares;
    this.registry = registry;
    this.authenticator = authenticator;
    this.scheduler = scheduler;
    this.cache = cache;
    // Without a cache, the tag says so: a client must not send it an at-most-once call twice.
    this.taggedVerifier = new ReplyTag(epoch, false, true, cache != null).toVerifier();
    this.runner = new ProcedureRunner(interceptors, cache, decoded, shares, errorReplies);
    this.cached = cache == null ? null : new CachedAnswers(cache, epoch, runner);
    this.tls = tls == null ? null : new TlsAdmission(tls, calls, runner);
  }

  /** What runs procedures and writes their replies. */
  ProcedureRunner runner() {
    return runner;
  }

  /** The cache of at-most-once replies, or null if the server keeps none. */
  DuplicateRequestCache cache() {
    return cache;
  }

  /** True if procedures run on the thread that read their calls ({@code directExecutor()}). */
  boolean runsInline() {
    return scheduler == null;
  }

  /**
   * Where one connection's procedures run: its own lane, counted with the other lanes of {@code
   * client} (an IP address; null: alone), or null for the I/O thread.
   */
  FairScheduler.Lane newLane(Object client) {
    return scheduler == null ? null : scheduler.newLane(client);
  }

  /**
   * Processes one message and releases it, running its procedure on {@code lane} (from {@link
   * #newLane}). Returns true if a call was handed to a procedure, in which case {@link
   * ReplySink#callDone} will follow exactly once.
   */
  boolean process(ByteBuf message, ReplySink sink, Executor lane) {
    return process(message, sink, lane, false);
  }

  /**
   * Answers one message read while the server drains for shutdown, and releases it: a call is
   * refused PROG_UNAVAIL, true as the server's registrations are withdrawn and nothing runs, so
   * that its client may send it elsewhere; a C client reads a clean refusal. A retransmission of
   * an at-most-once call that ran is answered with its saved reply (one still running is dropped,
   * its reply to come), never told it did not run; what cannot be a call is refused or dropped as
   * ever. Nothing is handed to a procedure.
   */
  void refuseDraining(ByteBuf message, ReplySink sink) {
    refusedDraining.increment();
    process(message, sink, null, true);
  }

  private boolean process(ByteBuf message, ReplySink sink, Executor lane, boolean draining) {
    int xid = message.readableBytes() >= 4 ? message.getInt(message.readerIndex()) : 0;
    boolean handedOver = false;
    CallViews views = sink.connection().views(); // null: a datagram's call
    XdrReader in = null;
    try {
      long room = decoded.room();
      // Below half of the budget (the happy path) no call is charged to its address's share.
      Object share = shares.crowded(room) ? sink.client() : null; // null too: in-process
      XdrLimits now = limitsNow(room, share);
      // Its exceptions have no stack trace: each would be filled in for every malformed call a
      // peer sends (garbage arguments, say), at several times the cost of the rest of the refusal.
      in = views == null ? XdrReader.withoutStackTraces(message, now) : views.reader(message, now);
      handedOver = draining ? refuse(in, sink, views) : dispatch(in, sink, lane, share, views);
    } catch (RuntimeException | Error e) {
      // A failure outside a procedure and its arguments: the runtime's own, or an
      // authenticator's. The caller is told SYSTEM_ERR, nothing was handed to a procedure.
      failures.warn(LOG, "failed to process a call from {}: {}", sink.remoteAddress(), e.toString());
      if (e instanceof VirtualMachineError && !(e instanceof StackOverflowError)) {
        OUT_OF_RESOURCES.error(LOG, "out of resources processing a call from {}", sink.remoteAddress(), e);
      }
      sendErrorQuietly(sink, ReplyHeader.accepted(xid, RpcStatus.SYSTEM_ERR));
    } finally {
      if (in != null && views != null) {
        views.readerDone(in, limits);
      }
      message.release();
    }
    return handedOver;
  }

  /**
   * The message's limits: the configured ones, or less room to decode in when the arguments of
   * the calls in flight have nearly spent the server's budget for them. Never less than a call
   * header's worth ({@link #HEADER_ROOM}): a header that cannot be decoded is dropped unanswered,
   * so a call that merely came while the budget was spent would get no reply at all (seen as a
   * raw client's read timing out); with room for its header it is answered SYSTEM_ERR. A call
   * charged to its address's {@code share} (once half of the budget is held) has no more room
   * than is left of that share, with the same floor.
   */
  private XdrLimits limitsNow(long room, Object share) {
    if (share != null) {
      room = Math.min(room, shares.room(share));
    }
    return room >= limits.maxDecodedBytes() ? limits : new XdrLimits(limits.maxDepth(),
        Math.min(limits.maxDecodedBytes(), Math.max(HEADER_ROOM, room)));
  }

  private boolean dispatch(XdrReader in, ReplySink sink, Executor lane, Object share,
      CallViews views) {
    int length = in.remaining();
    CallHeader call = readHeader(in, sink, length);
    if (call == null) {
      return false;
    }
    if (tls != null && tls.answered(call, sink)) {
      return false;
    }
    NavigableMap<Integer, ServiceDefinition> versions = registry.versions(call.program());
    ServiceDefinition service = versions == null ? null : versions.get(call.version());
    ServerMethod<?, ?> method = service == null ? null : service.method(call.procedure());
    // The bare ping runs nothing of the service; a procedure 0 the program serves is authorized
    // like any other procedure.
    boolean nullPing = service != null && method == null && call.procedure() == 0;
    Credentials credentials;
    try {
      credentials = authenticator.authenticate(call,
          views == null ? CallViews.newPeer(sink) : views.peer(sink), nullPing);
    } catch (RpcException e) {
      ReplyHeader refusal = ProcedureRunner.refusal(call.xid(), e);
      if (refusal == null) { // a status no reply carries: the authenticator's bug
        failures.warn(LOG, "the authenticator failed a call from {} with {}: SYSTEM_ERR",
            sink.remoteAddress(), e.toString());
        refusal = ReplyHeader.accepted(call.xid(), RpcStatus.SYSTEM_ERR);
      }
      sendError(sink, refusal);
      return false;
    }
    if (credentials == null) {
      // It decided nothing: running the procedure without credentials would admit the caller.
      failures.warn(LOG, "the authenticator gave no credentials (null) for a call from {}: SYSTEM_ERR",
          sink.remoteAddress());
      sendError(sink, ReplyHeader.accepted(call.xid(), RpcStatus.SYSTEM_ERR));
      return false;
    }
    // Tagged calls, and they alone, get tagged replies: an Onyx client's tagged NULL ping is how
    // it finds out that a server understands tags. An untagged caller gets the empty AUTH_NONE
    // verifier RFC 5531 recommends, which Linux's kernel client insists on (its nul_validate
    // fails a reply whose verifier has a body, NULL pings included).
    CallTag tag;
    try {
      tag = CallTag.of(call.verifier(), in);
    } catch (XdrException e) { // its metadata does not fit the room left: the call is not run
      busy.warn(LOG, "no room left to decode the call tag of a call from {}: SYSTEM_ERR",
          sink.remoteAddress());
      sendError(sink, ReplyHeader.accepted(call.xid(), RpcStatus.SYSTEM_ERR));
      return false;
    }
    OpaqueAuth verifier = tag != null ? taggedVerifier : OpaqueAuth.NONE;
    if (answeredWithoutRunning(call.xid(), versions, service, method, nullPing, verifier, sink)) {
      return false;
    }
    return start(method, in, call, tag, verifier, credentials, sink, lane, share);
  }

  /** {@link #refuseDraining}: PROG_UNAVAIL, unless the saved reply of a call that ran is due. */
  private boolean refuse(XdrReader in, ReplySink sink, CallViews views) {
    CallHeader call = readHeader(in, sink, in.remaining());
    if (call == null) {
      return false;
    }
    OpaqueAuth verifier = OpaqueAuth.NONE;
    NavigableMap<Integer, ServiceDefinition> versions = registry.versions(call.program());
    ServiceDefinition service = versions == null ? null : versions.get(call.version());
    ServerMethod<?, ?> method = service == null ? null : service.method(call.procedure());
    try {
      CallTag tag = CallTag.of(call.verifier(), in);
      verifier = tag != null ? taggedVerifier : verifier;
      if (method != null && cache != null && savedOrRunning(method, in, call, tag, sink, views)) {
        return false;
      }
    } catch (RuntimeException e) {
      // Arguments or a tag that cannot be read: nothing is saved for them, and nothing runs.
    }
    sendError(sink, ReplyHeader.accepted(call.xid(), RpcStatus.PROG_UNAVAIL, verifier));
    return false;
  }

  /**
   * True if the duplicate request cache answered a draining server's at-most-once call (its
   * saved reply, or dropped while its first runs); a call it would have run is let go of.
   */
  private boolean savedOrRunning(ServerMethod<?, ?> method, XdrReader in, CallHeader call,
      CallTag tag, ReplySink sink, CallViews views) {
    int argumentsStart = in.buffer().readerIndex();
    in.readWhole(method.procedure().arguments());
    DuplicateRequestCache.Key key = CallKeys.of(method, call, tag, sink, in.buffer(), argumentsStart);
    if (key == null) {
      return false;
    }
    // Its credentials are part of the key (the caller's identity): authenticated as a call is.
    if (authenticator.authenticate(call, views == null ? CallViews.newPeer(sink) : views.peer(sink),
        false) == null) {
      return false;
    }
    if (cached.answered(key, method, call.xid(), tag, sink)) {
      return true;
    }
    cache.abandon(key); // it did not run: a retransmission elsewhere, or here, may run it
    return false;
  }

  /**
   * Reads the xid, message type and the rest of a call header, or returns null for a message
   * that is refused or dropped unanswered ({@link #refuse}): not a call, or cut short before its
   * credential. Told without an exception, whose stack trace cost a flood of such messages more
   * than the rest of dropping them.
   */
  private CallHeader readHeader(XdrReader in, ReplySink sink, int length) {
    if (length < 8) { // xid, msg_type
      refuse(sink, length, null);
      return null;
    }
    int xid = in.readUnsignedInt();
    int type = in.readEnum();
    if (type != RpcMessages.CALL) {
      malformed.increment();
      RateLimitedLog.debugOneLine(LOG, "dropping a message of type {} from {}", type, sink.remoteAddress());
      return null;
    }
    return ReceivedHeader.read(in, xid, sink, length, this);
  }

  /**
   * Refuses a call header that cannot be used, or drops it: cut short before its credential
   * ({@code refusal} null), or too short a datagram for its refusal.
   */
  @Override
  public void refuse(ReplySink sink, int length, ReplyHeader refusal) {
    if (refusal == null) {
      malformed.increment();
      RateLimitedLog.debugOneLine(LOG, "dropping a malformed call header from {}: {} bytes end before its credential",
          sink.remoteAddress(), length);
      return;
    }
    if (sink.transport() == Transport.UDP && length < LONGEST_REFUSAL_BYTES) {
      // A datagram's sender may be forged: its refusal is no larger than it is, as the
      // directory's replies (a bare 12-byte message of another version would be answered
      // with twice its size).
      malformed.increment();
      RateLimitedLog.debugOneLine(LOG, "dropping a {}-byte call header from {}", length,
          sink.remoteAddress());
      return;
    }
    RateLimitedLog.debugOneLine(LOG, "refusing a call header from {}: {}", sink.remoteAddress(),
        refusal);
    sendError(sink, refusal);
  }

  /**
   * True if the call was answered without running a procedure: the bare NULL ping, or
   * PROG_UNAVAIL, PROG_MISMATCH or PROC_UNAVAIL for what this server does not serve.
   */
  private boolean answeredWithoutRunning(int xid, NavigableMap<Integer, ServiceDefinition> versions,
      ServiceDefinition service, ServerMethod<?, ?> method, boolean nullPing, OpaqueAuth verifier,
      ReplySink sink) {
    if (versions == null) {
      sendError(sink, ReplyHeader.accepted(xid, RpcStatus.PROG_UNAVAIL, verifier));
      return true;
    }
    if (service == null) {
      sendError(sink, new ReplyHeader(xid, RpcStatus.PROG_MISMATCH, verifier, versions.firstKey(),
          versions.lastKey(), AuthStatus.AUTH_OK));
      return true;
    }
    if (nullPing) {
      calls.increment();
      ByteBuf reply = sink.newReply();
      RpcMessages.writeSuccessHeader(new XdrWriter(reply), xid, verifier);
      sink.send(reply);
      return true;
    }
    if (method == null) {
      sendError(sink, ReplyHeader.accepted(xid, RpcStatus.PROC_UNAVAIL, verifier));
      return true;
    }
    return false;
  }

  private <A, R> boolean start(ServerMethod<A, R> method, XdrReader in, CallHeader call,
      CallTag tag, OpaqueAuth verifier, Credentials credentials, ReplySink sink, Executor lane,
      Object share) {
    A args;
    int argumentsStart = in.buffer().readerIndex();
    try {
      args = in.readWhole(method.procedure().arguments());
    } catch (Throwable e) { // whatever the decoder threw, these arguments were not usable
      refuseArguments(method, e, in, call.xid(), verifier, sink, share);
      return false;
    }
    DuplicateRequestCache.Key key = cache == null ? null
        : CallKeys.of(method, call, tag, sink, in.buffer(), argumentsStart);
    if (key != null && cached.answered(key, method, call.xid(), tag, sink)) {
      return false;
    }
    calls.increment();
    decoded.adjust(in.decodedBytes()); // given back when the call finishes
    if (share != null) {
      shares.charge(share, in.decodedBytes()); // given back with it, connection open or not
    }
    CallContext context = new CallContext(call.xid(), call.program(), call.version(),
        call.procedure(), credentials, sink.remoteAddress(), sink.transport(), sink.tls(),
        sink.peerCertificates(), java.util.Optional.ofNullable(sink.peerCredentials()),
        sink.connection());
    ServerCall observed = interceptors == null ? null : interceptors.newCall(context,
        method.procedure(), key != null ? CallSemantics.AT_MOST_ONCE
            : method.oneway() ? CallSemantics.MAYBE : CallSemantics.AT_LEAST_ONCE,
        method.oneway(), tag == null ? null : tag.metadata());
    // Last before the hand-over: from here, giveBack ends it on its connection, however it ends.
    int slot = sink.connection().callStarted(context);
    if (lane == null) {
      runner.run(method, args, new ProcedureRunner.Running(context, verifier, key,
          in.decodedBytes(), share, observed, slot), sink);
    } else {
      queue(new QueuedCall<>(this, method, args, sink, context, verifier, key, in.decodedBytes(), share,
          observed, slot), lane);
    }
    return true;
  }

  /**
   * Answers a call whose arguments could not be decoded: SYSTEM_ERR when the server had no room
   * left for them (not the caller's fault, and it did not run the call), else GARBAGE_ARGS.
   */
  private void refuseArguments(ServerMethod<?, ?> method, Throwable e, XdrReader in, int xid,
      OpaqueAuth verifier, ReplySink sink, Object share) {
    if (in.limits().maxDecodedBytes() < limits.maxDecodedBytes()
        && in.decodedBytes() > in.limits().maxDecodedBytes()) {
      busy.warn(LOG, "no memory left to decode {} from {}{}: SYSTEM_ERR",
          method.procedure().describe(), sink.remoteAddress(),
          share == null ? "" : " (in the budget for arguments, or its address's share of it)");
      sendError(sink, ReplyHeader.accepted(xid, RpcStatus.SYSTEM_ERR, verifier));
      return;
    }
    garbageArgs(method, e, sink);
    sendError(sink, ReplyHeader.accepted(xid, RpcStatus.GARBAGE_ARGS, verifier));
  }

  /**
   * Hands a started call to its lane. A lane that refuses it (or breaks) means the call never
   * started: it is ended here, answered SYSTEM_ERR, and its at-most-once entry abandoned.
   */
  private void queue(QueuedCall<?, ?> queued, Executor lane) {
    try {
      lane.execute(queued);
    } catch (RuntimeException e) {
      failures.warn(LOG, "executor refused {}: {}", queued.method.procedure().describe(), e.toString());
      if (queued.key() != null) {
        cache.abandon(queued.key());
      }
      runner.giveBack(queued);
      sendError(queued.sink, ReplyHeader.accepted(queued.context().xid(), RpcStatus.SYSTEM_ERR));
      queued.sink.callDone();
    }
  }

  private void garbageArgs(ServerMethod<?, ?> method, Throwable e, ReplySink sink) {
    if (e instanceof XdrException) {
      RateLimitedLog.debugOneLine(LOG, "garbage arguments for {} from {}: {}",
          method.procedure().describe(), sink.remoteAddress(), e.getMessage());
    } else if (e instanceof VirtualMachineError && !(e instanceof StackOverflowError)) {
      OUT_OF_RESOURCES.error(LOG, "out of resources decoding the arguments of {} from {}",
          method.procedure().describe(), sink.remoteAddress(), e);
    } else {
      // A value type refused what the wire allowed, or the stack ran out: the arguments are
      // garbage all the same, but the codec might deserve a look. Its message may quote them.
      garbage.warn(LOG, "garbage arguments for {} from {}: {}",
          method.procedure().describe(), sink.remoteAddress(), ProcedureRunner.loggable(e));
    }
  }

  private void sendErrorQuietly(ReplySink sink, ReplyHeader header) {
    try {
      sendError(sink, header);
    } catch (RuntimeException | Error e) {
      RateLimitedLog.debugOneLine(LOG, "could not send an error reply to {}: {}",
          sink.remoteAddress(), e.toString());
    }
  }

  private void sendError(ReplySink sink, ReplyHeader header) {
    ByteBuf reply = sink.newReply();
    writeError(reply, header);
    sink.send(reply);
  }

  private void writeError(ByteBuf reply, ReplyHeader header) {
    runner.writeError(reply, header);
  }
}
