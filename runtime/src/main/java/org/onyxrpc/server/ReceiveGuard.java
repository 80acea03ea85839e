package org.onyxrpc.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import java.util.concurrent.ScheduledFuture;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.onyxrpc.internal.transport.RecordDecoder;

/**
 * Sits in front of the {@link RecordDecoder} of one connection and bounds what its peer costs
 * in time and memory, counted on the bytes as they arrive:
 *
 * <ul>
 *   <li>its records and its quiet between them are timed ({@link RecordClock}: the record
 *       timeout and minimum rate, the idle timeout);
 *   <li>the bytes of records it holds are charged to the server's {@link ByteBudget}, and those
 *       it keeps between reads to its client's share of it; while either is spent and the
 *       connection holds part of a record, it is not read;
 *   <li>the bytes of replies its peer has not taken are charged to {@link UnreadReplies}, those
 *       made off the event loop as they are handed over ({@link HandedOverReplies}).
 * </ul>
 *
 * <p>Runs on the connection's event loop; only {@link #lastReadNanos} and, while a record spans
 * reads, when it began and how much of it came, are read elsewhere: by the connection limiter
 * choosing whom to evict ({@link #behindMinimumRateSince}).
 */
final class ReceiveGuard extends ChannelDuplexHandler implements LimitedConnection {

  private final RecordDecoder decoder;
  private final TcpConnection connection;
  private final UnreadReplies replies;
  private final HandedOverReplies handedOver;
  private final RecordClock clock;
  private ChannelHandlerContext ctx;
  private ScheduledFuture<?> timer;
  private final HeldRecordBytes records;
  private long heldReplies; // bytes charged to the budget for unread replies
  // Inactive, and what it held given back: calls of it dropped or finishing after that (while
  // the decoder still holds a half-assembled record) must not charge its bytes again.
  private boolean gone;
  // A record spanning reads, as the limiter sees it: published after each read that leaves one
  // unfinished (so not for a record read whole), withdrawn when it ends.
  private volatile long partialSince = -1;
  private volatile long partialBytes;
  private boolean partialPublished;
  private volatile boolean evicted; // chosen to make room, and closing: not chosen again

  ReceiveGuard(RecordDecoder decoder, TcpConnection connection, ByteBudget budget,
      UnreadReplies replies, HandedOverReplies handedOver, ServerConfig config) {
    this.decoder = decoder;
    this.handedOver = handedOver;
    this.connection = connection;
    this.records = new HeldRecordBytes(budget);
    this.replies = replies;
    this.clock = RecordClock.ofOneThread(config); // read and timed on its event loop
  }

  /** Where replies made off the event loop are charged as they are handed over. */
  HandedOverReplies handedOver() {
    return handedOver;
  }

  /** When the connection last got bytes from its peer; read off the event loop by the limiter. */
  @Override
  public long lastReadNanos() {
    return clock.lastReadNanos();
  }

  /** False while this connection waits for the server's byte budget. */
  boolean mayRead() {
    return records.mayRead();
  }

  /**
   * True when the connection holds no call and its peer has taken every reply: a fair one to
   * evict. A reply the peer has not yet taken (a large one, a reader paged out or stopped) is of
   * a call that ran, and closing would cut it off: libtirpc's client then fails the call
   * RPC_CANTRECV, with no way to tell that it ran. Such a connection goes only after the idle
   * ones ({@link #onlyRepliesUntaken}), and a peer that never takes its replies is also the
   * unread-replies budget's to close ({@link UnreadReplies}). Read off the event loop.
   *
   * @param channel this guard's connection
   */
  boolean evictable(Channel channel) {
    return connection.idleOfCalls() && UnreadReplies.unsent(channel) == 0;
  }

  /**
   * True when the connection holds no call: when it is not {@link #evictable}, a reply its peer
   * has not taken, and it goes after the idle ones. Read off the event loop.
   */
  @Override
  public boolean onlyRepliesUntaken() {
    return connection.idleOfCalls();
  }

  /** True when every call the connection holds waits watching it: evictable after the idle ones. */
  @Override
  public boolean onlyWatchingCalls() {
    return connection.onlyWatchingCalls();
  }

  /**
   * When the part of a record this connection holds, published once it spans reads, began, if
   * behind the minimum rate ({@link RecordClock#behindMinimumRateSince}); else -1. Read off the
   * event loop.
   */
  @Override
  public long behindMinimumRateSince(long now) {
    return clock.behindMinimumRateSince(now, partialSince, partialBytes);
  }

  @Override
  public long unsentReplies() {
    return UnreadReplies.unsent(ctx.channel());
  }

  @Override
  public boolean open() {
    return ctx != null && ctx.channel().isActive();
  }

  @Override
  public Object client() {
    return ConnectionLimiter.client(ctx.channel());
  }

  @Override
  public AtomicBoolean counted() {
    return ConnectionLimiter.counted(ctx.channel());
  }

  @Override
  public boolean evictable() {
    return evictable(ctx.channel());
  }

  @Override
  public boolean chosen() {
    return evicted;
  }

  @Override
  public void choose() {
    evicted = true;
  }

  @Override
  public SocketAddress remoteAddress() {
    return ctx.channel().remoteAddress();
  }

  @Override
  public void close() {
    ctx.channel().close();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    records.join(ConnectionLimiter.client(ctx.channel()));
    long period = clock.checkPeriodNanos();
    timer = ctx.executor().scheduleAtFixedRate(this::check, period, period, TimeUnit.NANOSECONDS);
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    long now = System.nanoTime();
    if (msg instanceof ByteBuf bytes) {
      clock.read(now, bytes.readableBytes());
      records.arrived(bytes.readableBytes()); // until the decoder has had its look
    }
    ctx.fireChannelRead(msg);
    if (!decoder.midRecord()) {
      recordEnded();
    } else if (clock.recordStart() >= 0) {
      publishPartial();
    }
    recount();
  }

  /**
   * After TLS in front took a read of its own records, whether or not any of it reached this
   * guard decrypted; {@code midTlsRecord}: part of a TLS record is still held. A TLS record
   * trickled byte by byte is timed as part of the record it carries, as a plaintext trickle is,
   * not left to the idle timeout. Only bytes that reach the guard count as read: a peer that
   * sends TLS records with nothing in them is idle.
   */
  void tlsRead(boolean midTlsRecord) {
    if (midTlsRecord) {
      clock.begin(System.nanoTime());
      publishPartial();
    } else if (!decoder.midRecord()) {
      recordEnded();
    }
  }

  private void recordEnded() {
    clock.recordEnded();
    if (partialPublished) {
      partialPublished = false;
      partialSince = -1;
    }
  }

  private void publishPartial() {
    partialPublished = true;
    partialBytes = clock.recordBytes();
    partialSince = clock.recordStart();
  }

  /**
   * Passes a read request on only while the connection reads by itself: with reading paused, the
   * request comes from the decoder asking for the rest of a record, which is exactly what the
   * pause (the call limit, the byte budget) is there to hold back.
   */
  @Override
  public void read(ChannelHandlerContext ctx) {
    if (ctx.channel().config().isAutoRead()) {
      ctx.read();
    }
  }

  /**
   * Charges the budgets what the connection holds now, and pauses its reading while one it needs
   * is spent; called after it reads or processes, and when its peer takes replies or stops
   * taking them.
   */
  void recount() {
    if (ctx == null || gone) {
      return;
    }
    charge();
    pauseWhileSpent();
  }

  /** Charges the budgets the change in what the connection holds and its peer has not taken. */
  private void charge() {
    records.charge(decoder.bufferedBytes() + connection.waitingBytes());
    // Replies queued from off the loop were charged as they were handed over: what the unsent
    // bytes (read after) count of them is not charged again. One taken here but not yet queued
    // is missing from them, given back for a moment, and charged again by the next recount.
    long charged = heldReplies + handedOver.takeQueued();
    long unsent = UnreadReplies.unsent(ctx.channel());
    heldReplies = unsent;
    if (unsent != charged) {
      replies.adjust(unsent - charged);
    }
  }

  /** Pauses reading while a budget this connection needs is spent, and resumes it once fed. */
  private void pauseWhileSpent() {
    if (records.pauseWhileSpent(decoder.midRecord(), () -> ctx.executor().execute(this::fed))) {
      connection.updateReading();
    }
  }

  private void fed() {
    if (records.fed()) {
      connection.updateReading();
    }
  }

  private void check() {
    boolean serverHolds = connection.atCallLimit();
    if (clock.expired(System.nanoTime(), ctx.channel().remoteAddress(), serverHolds,
        UnreadReplies.unsent(ctx.channel()) > 0, connection.idleOfCalls())) {
      ctx.close();
    } else if (serverHolds && partialPublished) {
      partialSince = clock.recordStart(); // moved on: the server, not the peer, holds it up
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    gone = true;
    if (timer != null) {
      timer.cancel(false);
    }
    records.leave();
    // With gone set above, no recount takes over the charges of replies queued from off the loop.
    replies.adjust(-heldReplies - handedOver.gone());
    heldReplies = 0;
    ctx.fireChannelInactive();
  }
}
