package org.onyxrpc.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.codec.DecoderException;
import java.net.SocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.onyxrpc.internal.RateLimitedLog;
import org.onyxrpc.internal.transport.RecordDecoder;
import org.onyxrpc.internal.transport.RecordReadSizing;
import org.onyxrpc.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's connection over a record-marked transport (TCP, Unix-domain or in-process): hands each record to the {@link CallProcessor} and frames the
 * replies. Calls run concurrently and may complete out of order; at the per-connection maximum the
 * connection stops reading (TCP pushes back on the client) and holds the records already read
 * until calls finish, so a busy client slows itself and nobody else; so it does while its peer
 * leaves its replies untaken (the channel is not writable), until the peer takes them. Replies go
 * out through {@link BatchedReplies}, those of one read in one write.
 */
final class TcpConnection extends ChannelInboundHandlerAdapter implements ReplySink {
  private static final Logger LOG = LoggerFactory.getLogger(TcpConnection.class);
  /** Malformed streams, across all connections: a peer can open them as fast as it likes. */
  private static final RateLimitedLog MALFORMED = new RateLimitedLog(RateLimitedLog.DEFAULT_INTERVAL);

  private final CallProcessor processor;
  private final ServerState state;
  private final int maxConcurrentCalls;
  private final WaitingRecords waiting = new WaitingRecords();
  private final FairScheduler.Lane lane; // null: procedures run on the event loop
  private final Transport transport;
  private final TcpConnectionClose close; // how it closes: after its calls, lingering, for shutdown
  private final CallConnection watchers = CallConnection.open();
  private Channel channel;
  private UnixPeer unix = UnixPeer.NONE; // Unix-domain only: read once, when connected
  private ReceiveGuard guard;
  private ConnectionTls tls; // null: this server has no TLS
  private int inFlight; // touched on the event loop only
  // Counted on a server with TLS only (sendLast); the task that takes one's end is made once.
  private final EndsToCome replied = new EndsToCome();
  private final Runnable finishReplied = () -> {
    replied.taken();
    finishCall();
  };
  private long probeAfterReplies = NO_PROBE; // a probe's xid, answered once its calls have ended
  private static final long NO_PROBE = Long.MIN_VALUE;
  private boolean reading;
  // No more input is taken (the peer shut its side, or sent what is no record): close once its
  // calls are answered.
  private boolean inputShut;
  private boolean lingering; // reading only to drop what comes, until LingeringClose closes
  private boolean shutDown; // the server's drain is over: reading only to drop, closing behind replies
  private BatchedReplies replies; // from channelActive
  private final HeldCalls callsHeld = new HeldCalls(); // in flight and waiting: for the limiter

  /**
   * {@code closeTimeout}: how long a connection closing for a malformed stream waits for the
   * calls read before it (the server's shutdown timeout, which calls get when it closes).
   */
  TcpConnection(CallProcessor processor, ServerState state, int maxConcurrentCalls,
      Transport transport, Object client, Duration closeTimeout) {
    this.processor = processor;
    this.transport = transport;
    this.close = new TcpConnectionClose(this, closeTimeout);
    this.state = state;
    this.maxConcurrentCalls = maxConcurrentCalls;
    this.lane = processor.newLane(client);
  }

  /** The guard in front of this connection's decoder, which may ask it to stop reading. */
  void guard(ReceiveGuard guard) {
    this.guard = guard;
  }

  /** Lets this connection start TLS when a client asks (RFC 9289). */
  void tls(ServerTls tls, RecordDecoder decoder, Duration recordTimeout, HandshakeSlots slots,
      Object client) {
    this.tls = new ConnectionTls(tls, decoder, recordTimeout, slots, client, guard);
  }

  @Override
  public boolean tls() {
    return tls != null && tls.started();
  }

  @Override
  public List<X509Certificate> peerCertificates() {
    return tls == null ? List.of() : tls.peerCertificates();
  }

  @Override
  public boolean mayStartTls() {
    return tls != null && !tls.started();
  }

  @Override
  public void startTls(ByteBuf startTlsReply, int xid) {
    // Calls sent before the probe whose replies are on their way already (their ends queued for
    // this loop, or about to be): an RFC 9289 client read those replies before it sent the probe,
    // and their ends are no sign of a call still running. Their replies are written ahead of their
    // ends; so TLS starts once those ends are taken, their replies out in plaintext before it.
    int endsToCome = replied.endsToCome();
    if (inFlight - 1 > endsToCome) {
      // A call sent before the probe still runs (the probe is the one counted here): its reply,
      // written once TLS is in front, would reach the client inside TLS, as if protected, though
      // the call came in plaintext, where anyone on the path may have put it in front of the
      // client's probe (STARTTLS injection). Its caller did not wait for its replies before
      // asking for TLS, as RFC 9289 has a client wait for its probe's; so no TLS, and no reply.
      discard(startTlsReply); // made in the batch: dropped from it, not released alone
      MALFORMED.warn(LOG, "closing {}: it sent the AUTH_TLS probe while {} calls it sent before "
          + "were running, whose replies would have gone out inside TLS", channel.remoteAddress(),
          inFlight - 1 - endsToCome);
      channel.close();
      return;
    }
    if (inFlight > 1) {
      discard(startTlsReply);
      if (!tls.closedForBytesBehindProbe(channel, MALFORMED)) {
        probeAfterReplies = xid; // nothing is read meanwhile (updateReading), nor started
        updateReading();
      }
      return;
    }
    send(startTlsReply);
    startTlsBehindReply();
  }

  /** Once the calls sent before a waiting probe have ended: its STARTTLS reply, then TLS. */
  private void startTlsAfterReplies() {
    if (probeAfterReplies == NO_PROBE || inFlight > 0 || !channel.isActive()) {
      return;
    }
    int xid = (int) probeAfterReplies;
    probeAfterReplies = NO_PROBE;
    ByteBuf reply = newReply();
    TlsAdmission.writeStartTls(reply, xid);
    send(reply);
    startTlsBehindReply();
  }

  private void startTlsBehindReply() {
    replies.writeBatch(); // the STARTTLS reply, in plaintext, before TLS is put in front
    // The probe (the call in flight here) is answered, and its client may act on the reply at
    // once: a newcomer at maxConnections must find this connection holding no call, not wait
    // until TLS is in place and the probe counted out.
    callsHeld.set(inFlight - 1 + waiting.size());
    tls.start(channel, MALFORMED, this::updateReading);
  }

  /** On the event loop, once the drain is over: closed behind its replies ({@link TcpConnectionClose}). */
  void closeBehindRepliesForShutdown() {
    close.closeBehindRepliesForShutdown();
  }

  /** True when a call of this connection is in flight (started, not yet answered). */
  boolean callsInFlight() {
    return inFlight > 0;
  }

  /** True when a call of this connection is in flight or waits for a slot. */
  boolean holdsCalls() {
    return inFlight > 0 || !waiting.isEmpty();
  }

  /** True once no more input is taken: the connection closes when its calls are answered. */
  boolean inputShut() {
    return inputShut;
  }

  /** No more input is taken ({@link TcpConnectionClose}); the caller updates the reading. */
  void shutInput() {
    inputShut = true;
  }

  /** The server's drain is over: reading only to drop, closing behind the replies. */
  void drainOver() {
    shutDown = true;
    inputShut = true;
  }

  /** True once the server's drain is over for this connection (for tests). */
  boolean drainIsOver() {
    return shutDown;
  }

  /** True once the close lingers: reading only to drop what comes. */
  boolean lingering() {
    return lingering;
  }

  /** The close lingers ({@link LingeringClose}): what comes is read and dropped. */
  void startLingering() {
    lingering = true;
    updateReading();
  }

  /** The TLS in front of the connection, once its handshake is done; null without. */
  ConnectionTls tlsInPlace() {
    return tls() && !tls.handshaking() ? tls : null;
  }

  /** True when no call of this connection is in flight or waiting. */
  boolean idleOfCalls() {
    return callsHeld.none();
  }

  /**
   * True when the connection holds calls and every one of them waits watching the connection
   * ({@link CallContext#onConnectionClosed}): its procedures give up and end when it closes, and
   * their clients ask again over a new connection, so it may make room at {@code maxConnections}.
   */
  boolean onlyWatchingCalls() {
    return callsHeld.allWatched(watchers::watchedCalls);
  }

  /** True when the connection has as many calls in flight as it may. */
  boolean atCallLimit() {
    return inFlight >= maxConcurrentCalls;
  }

  /** Records read and waiting for a call slot or for the peer to take its replies (for tests). */
  int waitingRecords() {
    return waiting.size();
  }

  /** Bytes of the records read and waiting for a call slot, a record mark each included. */
  long waitingBytes() {
    return waiting.bytes();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws java.io.IOException {
    channel = ctx.channel();
    replies = new BatchedReplies(channel, guard == null ? null : guard.handedOver());
    close.active(channel, replies);
    unix = UnixPeer.of(channel);
    ctx.fireChannelActive();
  }

  @Override
  public Object client() {
    return ConnectionLimiter.client(channel);
  }

  @Override
  public PeerCredentials peerCredentials() {
    return unix.credentials();
  }

  @Override
  public int callerIdentity() {
    // Calls are read only once a started handshake is done: tls.identity() is then the peer's.
    return tls != null && tls.started() ? tls.identity() : unix.identity();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    reading = true;
    ByteBuf record = (ByteBuf) msg;
    if (behindProbe(record)) {
      return;
    }
    if (state.draining() && waiting.isEmpty() && channel.isWritable()) {
      processor.refuseDraining(record, this); // PROG_UNAVAIL: nothing ran, another may run it
      return;
    }
    if (shutDown) { // the drain is over, and replies or records wait for the peer: read to drop
      record.release();
      return;
    }
    // Draining too: a retransmission is answered with its saved reply, which may be large, so a
    // peer that takes no replies has the rest of the read wait, refused as it reads (handle).
    if (inFlight >= maxConcurrentCalls || !channel.isWritable() || !waiting.isEmpty()) {
      // Reading stops at either (updateReading), but the rest of this read is decoded all the
      // same: its records wait too. A small call may be answered here, on the event loop, with a
      // large reply (a retransmission's saved reply, a procedure run on the I/O thread), and one
      // read of them held a reply per record for a peer that takes none.
      waiting.add(record, ctx.alloc());
      updateReading();
      return;
    }
    handle(record);
  }

  /** Starts the waiting records while a call slot is free and the peer takes the replies. */
  private void handleWaiting() {
    while (!waiting.isEmpty() && inFlight < maxConcurrentCalls && channel.isWritable()
        && channel.isActive()) {
      handle(waiting.poll());
    }
  }

  /**
   * True (the record released, the connection closed) if TLS has started and its handshake is
   * not done: the record was sent in plaintext behind the probe, before the STARTTLS reply
   * (decoded from the same read, or held back with it at the call limit), and nothing can reach
   * this handler through TLS before the handshake is done. Served, it would pass for a call
   * inside TLS.
   */
  private boolean behindProbe(ByteBuf record) {
    if (tls == null || !tls.handshaking() && probeAfterReplies == NO_PROBE) {
      return false;
    }
    record.release();
    MALFORMED.warn(LOG, "closing {}: it sent a call behind the AUTH_TLS probe before the reply",
        channel.remoteAddress());
    channel.close();
    return true;
  }

  private void handle(ByteBuf record) {
    if (behindProbe(record)) {
      return;
    }
    if (!state.callStarted()) {
      processor.refuseDraining(record, this); // waited at the call limit until the drain began
      return;
    }
    inFlight++;
    // Before the call can be seen anywhere, so that its connection is never evicted under it.
    callsHeld.set(inFlight + waiting.size());
    boolean handedOver = false;
    try {
      handedOver = processor.process(record, this, lane);
    } finally {
      if (!handedOver) { // otherwise callDone() gives the slot back
        inFlight--;
        updateReading(); // the held calls counted before the server's count: see finishCall
        state.callFinished();
        startTlsAfterReplies(); // a probe whose earlier calls' ends came during its own
      }
    }
    if (handedOver) {
      updateReading();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    reading = false;
    replies.flushAfterRead(ctx);
    ctx.fireChannelReadComplete();
  }

  /**
   * The peer shut its side of the connection (half-close, as {@code shutdown(SHUT_WR)} after
   * the last call, or TLS's close_notify, which TLS 1.3 sends without closing): the calls it sent
   * are still answered, then the connection is closed.
   */
  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent
        || evt instanceof SslCloseCompletionEvent closed && closed.isSuccess()) {
      inputShut = true;
      // A peer that exits, or closes its socket, shuts its side in the same way: TCP cannot tell
      // that from a half-close, so procedures that watch the connection are told now.
      watchers.close();
      updateReading();
      closeIfAnswered();
    }
    ctx.fireUserEventTriggered(evt);
  }

  /** Closes once a peer that takes no more input has every reply ({@link TcpConnectionClose}). */
  private void closeIfAnswered() {
    if (inputShut) { // read here: a call's end pays no more than the flag's read
      close.closeIfAnswered();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    handleWaiting(); // the peer took its replies: what waits for that goes first
    updateReading();
    if (guard != null) {
      guard.recount(); // replies taken by the peer, or piling up for it
    }
    closeIfAnswered(); // a half-closed peer's last waiting record may have been answered here
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public ByteBuf newReply() {
    return replies.newReply(reading);
  }

  @Override
  public void send(ByteBuf reply) {
    replies.send(reply, reading);
  }

  @Override
  public void discard(ByteBuf reply) {
    replies.discard(reply);
  }

  @Override
  public void callDone() {
    if (channel.eventLoop().inEventLoop()) {
      finishCall();
      return;
    }
    try {
      channel.eventLoop().execute(this::finishCall);
    } catch (RejectedExecutionException e) {
      state.callFinished(); // the server is gone; only the count still matters
    }
  }

  /**
   * Sends the reply and ends the call. Off the event loop of a connection that may still start
   * TLS, it is counted first (before its reply can reach the peer, who may answer with the
   * probe), and its end taken by {@link #finishReplied}.
   */
  @Override
  public void sendLast(ByteBuf reply) {
    if (tls == null || channel.eventLoop().inEventLoop()) {
      ReplySink.super.sendLast(reply);
      return;
    }
    replied.replying();
    try {
      send(reply);
    } finally {
      try {
        channel.eventLoop().execute(finishReplied);
      } catch (RejectedExecutionException e) {
        state.callFinished(); // the server is gone; only the count still matters
      }
    }
  }

  private void finishCall() {
    inFlight--;
    handleWaiting();
    // updateReading counts the connection's held calls before the server counts this call out:
    // otherwise a newcomer at maxConnections that came in between found this idle connection
    // busy and evicted another, quiet for less time (LimitsAndShutdownTest under CI's load).
    updateReading();
    state.callFinished();
    if (guard != null) {
      guard.recount();
    }
    closeIfAnswered();
    startTlsAfterReplies();
  }

  void updateReading() {
    callsHeld.set(inFlight + waiting.size());
    boolean read = lingering || shutDown || (!inputShut && inFlight < maxConcurrentCalls && waiting.isEmpty()
        && channel.isWritable() && (guard == null || guard.mayRead())
        && (tls == null || !tls.waitingForSlot() && probeAfterReplies == NO_PROBE));
    if (channel.config().isAutoRead() != read) {
      channel.config().setAutoRead(read);
    }
  }

  @Override
  public boolean connected() {
    return channel.isActive();
  }

  @Override
  public CallConnection connection() {
    return watchers;
  }

  @Override
  public SocketAddress remoteAddress() {
    return channel.remoteAddress();
  }

  @Override
  public Transport transport() {
    return transport;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    waiting.releaseAll();
    watchers.close(); // procedures waiting for something give up what they hold for this peer
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (lane != null) {
      lane.close();
    }
    if (replies != null) {
      replies.release(); // nothing reads or writes after this
    }
    RecordReadSizing.release(ctx.channel());
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof DecoderException) {
      MALFORMED.warn(LOG, "closing {}: {}", ctx.channel().remoteAddress(), TlsHandshakeWords.complaint(cause));
      close.closeAfterCallsRead(); // the calls read before it answered, then lingering
      return;
    }
    RateLimitedLog.debugOneLine(LOG, "closing {}: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
