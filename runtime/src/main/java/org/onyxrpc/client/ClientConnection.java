package org.onyxrpc.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLException;
import org.onyxrpc.internal.RateLimitedLog;
import org.onyxrpc.internal.transport.PollBeforeWait;
import org.onyxrpc.internal.transport.RecordReadSizing;
import org.onyxrpc.internal.transport.RecordTooLongException;
import org.onyxrpc.internal.transport.SystemErrors;
import org.onyxrpc.internal.transport.WriteBatch;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.xdr.XdrWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection whose I/O runs on a Netty event loop ({@link IoStrategy#EVENT_LOOP}, and every
 * UDP client): the loop is the client's {@link CallOwner}, so calls are encoded and written, and
 * replies decoded and matched to calls by xid in the client's {@link OutstandingCalls}, all on
 * the loop, with no queue of its own between threads.
 */
final class ClientConnection extends ChannelInboundHandlerAdapter implements Connection {
  private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);
  // A server can close connection after connection with a complaint of its making (bytes that
  // are not TLS, quoted whole in hex by Netty): one line per interval, short and escaped.
  private static final RateLimitedLog CLOSING = new RateLimitedLog(RateLimitedLog.DEFAULT_INTERVAL);

  private final ConnectionSetup setup;
  private volatile Channel channel;
  // Event loop only: calls written one after another, or while replies are being read, are
  // encoded into one batch and flushed once, when the loop has run the tasks that wrote them or
  // the read ends: under load many calls share a buffer and a syscall instead of one each.
  private boolean reading;
  private boolean flushPending;
  private final WriteBatch batch = new WriteBatch();
  private final Runnable flush = this::flushNow;
  private boolean replied; // event loop only: whether anything came from the server
  /**
   * The promise of every record-marked message it writes outside TLS, which tells which calls
   * never left once the connection is lost; null over UDP. Event loop only, but for the loss.
   */
  private UnwrittenCalls unwritten;
  /** Set on the event loop before the connection closes, read by the owner once it is lost. */
  private volatile String refusal;
  /** As {@link #refusal}: the datagram socket was told nothing listens at the server's port. */
  private volatile boolean nothingListens;
  /** As {@link #refusal}: why the client closed it. */
  private volatile String lostBecause;
  /** Set on the event loop once the TLS handshake is done, before any call is written. */
  private volatile boolean tls;
  private volatile boolean sentCertificate;
  /**
   * Each sync caller's look for its call's completion before it parks ({@link
   * RpcClientBuilder#pollBeforeWaiting}); the thread's own, as its misses are; null: no look.
   */
  private final ThreadLocal<PollBeforeWait<PendingCall<?, ?>>> looks;

  /** A sync caller looks for its call's completion for up to {@code pollNanos} before it parks. */
  ClientConnection(ConnectionSetup setup, long pollNanos) {
    this.setup = setup;
    this.looks = pollNanos == 0 ? null
        : ThreadLocal.withInitial(() -> new PollBeforeWait<>(pollNanos, PendingCall::isDone));
  }

  @Override
  public boolean isActive() {
    Channel c = channel;
    return c != null && c.isActive();
  }

  @Override
  public String refusal() {
    return refusal;
  }

  @Override
  public boolean nothingListens() {
    return nothingListens;
  }

  @Override
  public String lostBecause() {
    return lostBecause;
  }

  /** The TLS handshake is done ({@link StartTls}): calls go inside TLS from now on. */
  void tlsUp(boolean sentCertificate) {
    this.sentCertificate = sentCertificate;
    this.tls = true;
  }

  @Override
  public boolean tls() {
    return tls;
  }

  @Override
  public boolean sentCertificate() {
    return sentCertificate;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (setup.transport().recordMarked()) {
      unwritten = new UnwrittenCalls(ctx.channel());
    }
    channel = ctx.channel();
  }

  /**
   * Parks: the event loop completes the call, which unparks its waiter. It looks first, yielding
   * its CPU: a reply within the window costs the caller no wake-up of its own (the loop's, which
   * read the reply, is the one left), and a loop the scheduler put on the caller's CPU runs at once.
   */
  @Override
  public void await(PendingCall<?, ?> call, long deadlineNanos, long leftNanos) {
    if (looks != null && looked(call, leftNanos)) {
      return;
    }
    LockSupport.parkNanos(call, leftNanos);
  }

  private boolean looked(PendingCall<?, ?> call, long leftNanos) {
    try {
      return looks.get().arrived(leftNanos, call);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // not thrown: the look reads no socket, only the call
    }
  }

  @Override
  public boolean transmit(PendingCall<?, ?> call) {
    Channel c = channel;
    if (c == null || !c.isActive()) {
      return false;
    }
    if (call.expectReply && setup.transport().recordMarked() && c.eventLoop().inEventLoop()
        && transmitInBatch(c, call)) {
      return true;
    }
    ByteBuf message = CallWriter.encode(setup, call, c.alloc());
    if (message == null) {
      return true;
    }
    long queued = queuedBytes(c);
    if (!setup.mayQueue(queued, message.readableBytes())) {
      setup.refuse(call, message, queued); // bounded: a server that stops reading costs no more
      return true;
    }
    call.wentOutOn(this);
    if (!call.expectReply) {
      if (c.eventLoop().inEventLoop()) {
        writeBatch(c); // the calls before it go first
      }
      c.writeAndFlush(message).addListener(f -> {
        if (f.isSuccess()) {
          call.settle(null);
        } else {
          call.fail(RpcStatus.UNAVAILABLE, "cannot send " + call.procedure.describe() + " to "
              + setup.peer(), f.cause());
        }
      });
    } else {
      write(c, call, message);
    }
    return true;
  }

  /**
   * On the event loop: encodes the call into the batch, written with the next flush; false if it
   * is too large for the batch (it is as it was).
   */
  private boolean transmitInBatch(Channel c, PendingCall<?, ?> call) {
    ByteBuf buffer = batch.buffer(c.alloc());
    int start = buffer.writerIndex();
    try {
      if (!CallWriter.encode(setup, call, new XdrWriter(buffer))) {
        batch.cut(start); // the call has been failed
        return true;
      }
    } catch (IndexOutOfBoundsException tooLarge) {
      batch.cut(start);
      return false;
    }
    int bytes = buffer.writerIndex() - start;
    long queued = queuedBytes(c) + batch.pendingBytes() - bytes;
    if (!setup.mayQueue(queued, bytes)) {
      batch.cut(start);
      setup.refuse(call, bytes, queued); // bounded: a server that stops reading costs no more
      return true;
    }
    call.wentOutOn(this);
    if (tracking()) {
      unwritten.add(call.xid); // goes in the batch, the next message
    }
    if (batch.full()) {
      writeBatch(c);
    }
    flushSoon(c);
    return true;
  }

  /** Bytes written and not yet taken by the socket. */
  private static long queuedBytes(Channel c) {
    io.netty.channel.ChannelOutboundBuffer buffer = c.unsafe().outboundBuffer();
    return buffer == null ? 0 : buffer.totalPendingWriteBytes();
  }

  private void write(Channel c, PendingCall<?, ?> call, ByteBuf message) {
    if (!c.eventLoop().inEventLoop()) {
      // Not the owner's loop: Netty hands it over, in an order the count cannot place, so it
      // is not counted (the call may have run, as far as the connection knows).
      c.writeAndFlush(message, c.voidPromise());
      return;
    }
    writeBatch(c); // the calls before it go first
    if (tracking()) {
      unwritten.add(call.xid);
      c.write(message, unwritten);
      unwritten.handed();
    } else {
      c.write(message, c.voidPromise());
    }
    flushSoon(c);
  }

  /** On the event loop: hands the batch's records to the channel, as one message. */
  private void writeBatch(Channel c) {
    if (!tracking()) {
      batch.writeTo(c);
    } else if (batch.writeTo(c, unwritten)) {
      unwritten.handed();
    }
  }

  /**
   * Whether its messages are counted ({@link UnwrittenCalls}): a stream without TLS, whose
   * records only this connection writes. Bytes handed to TLS are not bytes on the socket.
   */
  private boolean tracking() {
    return unwritten != null && !tls;
  }

  /**
   * Whether {@code call}'s one transmission, which went out on this connection, had no byte on
   * the socket when the connection was lost: then it cannot have run. False when not known.
   */
  @Override
  public boolean neverLeft(PendingCall<?, ?> call) {
    return tracking() && call.connection == this && call.transmissions == 1
        && unwritten.neverLeft(call.xid);
  }

  private void flushSoon(Channel c) {
    if (!flushPending) {
      flushPending = true;
      if (!reading) {
        c.eventLoop().execute(flush);
      }
    }
  }

  private void flushNow() {
    flushPending = false;
    writeBatch(channel);
    channel.flush();
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    reading = false;
    if (flushPending) {
      flushNow();
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    reading = true;
    replied = true;
    try {
      if (msg instanceof DatagramPacket packet) {
        if (packet.content().readableBytes() > setup.maxMessageBytes()) {
          ReplyReader.datagramTooLong(setup, packet.content()); // see the receive buffer's size
        } else {
          ReplyReader.dispatch(setup, packet.content());
        }
      } else {
        ReplyReader.dispatchRecord(setup, (ByteBuf) msg);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    batch.release(); // nothing reads or writes after this
    RecordReadSizing.release(ctx.channel());
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    setup.onLost().accept(this);
    ctx.fireChannelInactive();
  }

  /**
   * A TLS server's close_notify: it sends nothing more in this session, though TLS 1.3 lets it
   * keep the connection open and go on reading. No call on it will be answered, nor any sent
   * after, so it is given up as if the server had closed it: the calls it had learn at once that
   * they may have run, and later calls go on a new connection. Before, a server that said
   * close_notify and kept the connection open made every call of the client wait out its deadline.
   */
  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof SslCloseCompletionEvent closed && closed.isSuccess()) {
      LOG.debug("closing the connection to {}: the server ended its TLS session", setup.peer());
      lostBecause = "the server ended its TLS session (close_notify)";
      closeOnLoop(ctx.channel()); // at once if calls are still queued: none will be answered
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    String refused = replied ? null : TlsRefusal.of(cause);
    if (refused != null) {
      refusal = "the server refused this client's TLS session: " + refused
          + TlsRefusal.ownCertificate(ctx.pipeline().get(SslHandler.class));
    }
    if (!setup.transport().recordMarked() && PortUnreachable.is(cause)) {
      nothingListens = true; // the calls' failures say so, once each
      LOG.debug("closing the UDP socket to {}: {}", setup.peer(), cause.getMessage());
      ctx.close();
      return;
    }
    String why = RateLimitedLog.shortText(SystemErrors.words(cause));
    if (refused != null || cause instanceof ClosedChannelException || resetByPeer(cause)) {
      // The client's own line (CallFailures) tells this refusal, better worded: one event, one
      // line. A write on a channel already closed (the client's close, the peer's) adds nothing
      // to what closed it, which channelInactive tells the calls. Nor does a reset (a server
      // killed): it is the lost connection that the client logs at INFO.
      LOG.debug("closing the connection to {}: {}", setup.peer(), why);
    } else {
      CLOSING.warn(LOG, "closing the connection to {}: {}", setup.peer(), why);
    }
    if (cause instanceof RecordTooLongException tooLong) {
      ReplyReader.replyTooLong(setup, tooLong);
    }
    lostBecause = why; // quoted in the failures of the calls it had
    closeOnLoop(ctx.channel()); // at once if bytes are queued: a server reading none keeps them
  }

  /** The peer reset the connection: the system's ECONNRESET, in the native or the NIO words. */
  private static boolean resetByPeer(Throwable cause) {
    if (!(cause instanceof IOException) || cause instanceof SSLException) {
      return false;
    }
    String words = SystemErrors.words(cause);
    return words.equals("Connection reset by peer") || words.equals("Connection reset");
  }

  @Override
  public void close() {
    Channel c = channel;
    if (c == null) {
      return;
    }
    if (c.eventLoop().inEventLoop()) {
      closeOnLoop(c);
    } else {
      c.eventLoop().execute(() -> closeOnLoop(c));
    }
  }

  /**
   * Closes through the pipeline, so that TLS sends its close_notify, unless bytes are still
   * queued: a TLS handler then waits for them to be written before it closes (up to a timer the
   * event loop's shutdown cancels, when this was its last client), and a peer that stopped
   * reading would keep the socket and every queued buffer forever. Those bytes belong to calls
   * the close ends, so the channel is closed at once instead, which releases them.
   */
  private static void closeOnLoop(Channel c) {
    io.netty.channel.ChannelOutboundBuffer queued = c.unsafe().outboundBuffer();
    if (queued != null && queued.totalPendingWriteBytes() > 0) {
      c.unsafe().close(c.voidPromise());
    } else {
      c.close();
    }
  }
}
