package org.onyxrpc.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.onyxrpc.internal.RateLimitedLog;
import org.onyxrpc.internal.transport.RecordTooLongException;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP connection whose I/O runs on the threads that use it ({@link IoStrategy#CALLER_RUNS}).
 *
 * <p>A caller writes its own call ({@link SocketWriter}). Reading follows the leader/followers
 * pattern ({@link LeaderFollowers}): one thread at a time, the leader, reads the socket and
 * completes whatever replies it finds ({@link SocketReader}); a sync caller leads when nobody
 * does, and stops when its own reply is in; the other waiting callers park until the leader
 * completes their call or hands the turn to one of them. When calls are outstanding and no caller
 * waits for them (async calls, retransmissions), the process's {@link BackgroundReader} reads
 * them.
 *
 * <p>The socket is non-blocking; a leader waits in its own selector, so it notices its deadline
 * and a close without being interrupted.
 *
 * <p>Who touches what: the client's {@link CallOwner} writes ({@link SocketWriter}) and completes
 * calls; the turn's holder reads; the background reader's thread registers the socket with its
 * selector and hands what it finds to the owner or takes the turn. What is left shared between
 * them is the turn itself ({@link ReadTurn}), the open flag, and what is wanted of the
 * background reader.
 */
final class CallerRunsConnection implements Connection, BackgroundReader.Watched {
  private static final Logger LOG = LoggerFactory.getLogger(CallerRunsConnection.class);
  // As ClientConnection's: a server's complaint, on connection after connection.
  private static final RateLimitedLog CLOSING = new RateLimitedLog(RateLimitedLog.DEFAULT_INTERVAL);
  private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;
  /** What {@link #encode} returns for a call it staged in the writer. */
  private static final ByteBuf STAGED = Unpooled.buffer(0);
  /**
   * A connection read from within this long (on the client's clock) is not checked for a close
   * before a call is written: servers close connections that have been idle, not busy ones.
   */
  private static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  /**
   * Bytes of replies read for a busy owner (a reply's callback taking its time) and not yet
   * taken by it, at which reading stops until it takes them; the rest wait in the socket.
   */
  private static final long HANDED_OVER_BYTES = 1 << 20;

  private final ConnectionSetup setup;
  private final SocketChannel channel;
  private final BackgroundReader background;
  private final AtomicBoolean open = new AtomicBoolean(true);
  private final SocketWriter writer;
  private final SocketReader reader;
  private final ReadTurn turn;
  private final LeaderFollowers reading;
  private final QuietRelease quietRelease;
  private SelectionKey backgroundKey; // the background reader's thread alone
  private volatile boolean readWanted;
  private volatile boolean writeWanted;
  private volatile String lostBecause; // set before the loss is told
  private final Runnable flushOnOwner = this::flushOnOwner;
  /** The last procedure whose call was too large to stage; the owner's alone. */
  private Procedure<?, ?> largeProcedure;
  // The owner's alone, for stillOpen: when it last looked, the bytes the reader had read by
  // then, and a time at or before the last read that brought bytes.
  private long lookedNanos;
  private long bytesReadSeen;
  private long readNotBefore;

  private CallerRunsConnection(ConnectionSetup setup, SocketChannel channel, int maxRecordBytes,
      long pollNanos, BackgroundReader background) throws IOException {
    this.setup = setup;
    this.channel = channel;
    this.background = background;
    this.writer = new SocketWriter(channel, ALLOC, this::wantWritable);
    this.reader = new SocketReader(setup, channel, writer, ALLOC, maxRecordBytes,
        HANDED_OVER_BYTES, this::resumeReading, this::keepingForLarge, pollNanos);
    this.lookedNanos = setup.clock().nanoTime();
    this.readNotBefore = lookedNanos - QUIET_NANOS; // nothing read yet: the first call looks
    // Nobody reads while a busy owner has its fill of replies: it resumes reading as it takes them.
    this.turn = new ReadTurn(() -> setup.calls().size() > 0 && !reader.backedUp(), open::get,
        this::wantReadable);
    this.reading = new LeaderFollowers(turn, setup.owner(), open::get, reader, this::lost);
    this.quietRelease = new QuietRelease(setup.clock(), turn, reader, writer, setup.owner(),
        open::get);
  }

  /**
   * Connects {@code channel}, new, on one of {@code threads}' connecting threads, to {@code
   * address}. Closing it meanwhile ends the connect, which fails.
   */
  static CompletableFuture<Connection> connect(ConnectionSetup setup, CallerRunsThreads threads,
      SocketChannel channel, InetSocketAddress address, Duration connectTimeout, int maxRecordBytes,
      long pollNanos) {
    CompletableFuture<Connection> result = new CompletableFuture<>();
    try {
      threads.connectors.execute(() -> {
        try {
          channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
          channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
          channel.socket().connect(resolved(address), (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
          channel.configureBlocking(false);
          result.complete(new CallerRunsConnection(setup, channel, maxRecordBytes, pollNanos,
              threads.reader));
        } catch (IOException | RuntimeException e) {
          Quietly.close(channel);
          result.completeExceptionally(connectFailure(e, address));
        }
      });
    } catch (RejectedExecutionException e) {
      Quietly.close(channel);
      result.completeExceptionally(new IOException("client closed", e));
    }
    return result;
  }

  /**
   * What a caller-runs socket's failed connect to {@code address} fails its calls with, for
   * {@link CallFailures} to word: an {@link UnknownHostException} as it is (its own words and type
   * tell it); a refusal kept a {@link ConnectException}, as Netty's connect fails, so that a
   * refusal reads "nothing listens at ..." with either I/O strategy; else an {@link IOException}
   * naming the address.
   */
  static IOException connectFailure(Exception e, InetSocketAddress address) {
    if (e instanceof UnknownHostException unknown) {
      return unknown;
    }
    if (e instanceof ConnectException) {
      ConnectException named = new ConnectException(e.getMessage() + ": " + address);
      named.initCause(e);
      return named;
    }
    return new IOException(e.getMessage() + ": " + address, e);
  }

  /**
   * {@code address}, its name looked up again if it did not resolve when the client was built, as
   * Netty's connect does; an {@link UnknownHostException} naming the host if it still does not.
   * Before, the socket's {@code UnresolvedAddressException}, which has no message, failed the
   * call as "null: HOST/&lt;unresolved&gt;:PORT".
   */
  static InetSocketAddress resolved(InetSocketAddress address) throws UnknownHostException {
    if (!address.isUnresolved()) {
      return address;
    }
    InetSocketAddress again = new InetSocketAddress(address.getHostString(), address.getPort());
    if (again.isUnresolved()) {
      throw new UnknownHostException(address.getHostString());
    }
    return again;
  }

  @Override
  public boolean isActive() {
    return open.get();
  }

  @Override
  public String lostBecause() {
    return lostBecause;
  }

  @Override
  public boolean transmit(PendingCall<?, ?> call) {
    if (!open.get() || !stillOpen(call)) {
      return false;
    }
    ByteBuf message;
    try {
      message = encode(call);
    } catch (IOException closed) {
      return false;
    }
    if (message == null) {
      return true;
    }
    boolean staged = message == STAGED;
    int bytes = staged ? writer.stagedBytes() : message.readableBytes();
    boolean byCallback = call.expectReply && call.waiter != Thread.currentThread()
        && reader.delivering() && turn.isMine();
    // A reply's callback calling again: its call waits with the batch's others, counted as queued.
    long queued = writer.queuedBytes() + (byCallback ? reader.deferredBytes() : 0);
    if (!setup.mayQueue(queued, bytes)) {
      if (!staged) {
        message.release();
      }
      setup.refuse(call, bytes, queued); // bounded: a server that stops reading costs no more
      return true;
    }
    call.wentOutOn(this);
    if (byCallback) {
      reader.defer(staged ? writer.takeStaged(ALLOC) : SocketWriter.owned(message, ALLOC));
      return true;
    }
    try {
      if (staged) {
        writer.writeStaged(ALLOC); // never waits for the socket
      } else {
        writer.write(message);
        if (writer.keepsCopy()) {
          keepingForLarge(); // a large argument's copy, kept for the next
        }
      }
    } catch (IOException e) {
      if (!call.expectReply) {
        call.fail(RpcStatus.UNAVAILABLE, "cannot send " + call.procedure.describe() + " to "
            + setup.peer(), e);
      }
      lost(e);
      return true;
    }
    if (!call.expectReply) {
      call.settle(null);
    } else if (call.waiter != Thread.currentThread()) {
      turn.readerWanted();
    }
    return true;
  }

  /** The bytes read so far, from any thread: for a test to know a read has happened. */
  long bytesRead() {
    return reader.bytesRead();
  }

  /** The reader or the writer keeps buffers for large records: let go once quiet. */
  private void keepingForLarge() {
    quietRelease.keeping();
  }

  /**
   * Encodes the call in place in the writer's staging buffer ({@link #STAGED}), so that a small
   * call costs no buffer of its own; or, too large for it, into a buffer of its own. Null when
   * it cannot be sent as it is (it has been failed).
   */
  private ByteBuf encode(PendingCall<?, ?> call) throws IOException {
    if (call.procedure != largeProcedure) {
      try {
        return CallWriter.encode(setup, call, writer.stage()) ? STAGED : null;
      } catch (IndexOutOfBoundsException tooLargeToStage) {
        // A procedure whose calls are large (a bulk transfer) stops trying the staging buffer.
        largeProcedure = call.procedure;
      }
    }
    return CallWriter.encode(setup, call, ALLOC, true); // the writer copies it as it writes
  }

  /**
   * With nobody reading, reads what has arrived since: late replies, or the server's close,
   * which is better found before a call is written than after.
   *
   * <p>When bytes last came is bounded from below by when this last looked, if the reader has
   * read since: one clock read a call, here, where the reader read the clock at every read too.
   * A bound that is early only makes this look sooner: after a reply slower than the quiet
   * time, the next call pays a read(2) that finds nothing.
   *
   * <p>A call's first transmission that started after the last look takes its start (the clock
   * as RpcClient.start read it for the deadline, microseconds ago) for now: a clock_gettime a
   * sync call fewer. An early now only delays a look by the time the call waited for the owner,
   * which does only non-blocking work; a call older than the last look (it waited for a
   * connection, or others went first) and a retransmission read the clock, so that the time
   * looked never goes back.
   */
  private boolean stillOpen(PendingCall<?, ?> call) {
    long started = call.startNanos();
    long now = call.transmissions == 0 && started - lookedNanos >= 0
        ? started : setup.clock().nanoTime();
    long bytesRead = reader.bytesRead();
    if (bytesRead != bytesReadSeen) {
      bytesReadSeen = bytesRead;
      readNotBefore = lookedNanos;
    }
    lookedNanos = now;
    if (now - readNotBefore < QUIET_NANOS) {
      return open.get(); // saves a busy caller a read(2) per call
    }
    reading.readAvailable(); // unless a thread leads: it will notice
    return open.get();
  }

  @Override
  public void wake(Thread waiter) {
    reading.wake(waiter);
  }

  /** On the owner, once it has taken enough of the replies read for it: reading goes on. */
  private void resumeReading() {
    turn.wakeLeader();
    turn.handOn();
  }

  @Override
  public void await(PendingCall<?, ?> call, long deadlineNanos, long leftNanos) {
    reading.await(call, deadlineNanos, leftNanos);
  }

  private void wantReadable() {
    readWanted = true;
    background.watch(this);
  }

  private void wantWritable() {
    writeWanted = true;
    background.watch(this);
  }

  /** On the background reader's thread: watches the socket for what is wanted of it. */
  @Override
  public void armBackgroundRead(Selector selector) {
    if (!open.get()) {
      return;
    }
    int ops = (readWanted ? SelectionKey.OP_READ : 0) | (writeWanted ? SelectionKey.OP_WRITE : 0);
    try {
      if (backgroundKey == null) {
        backgroundKey = channel.register(selector, ops, this);
      } else if (backgroundKey.isValid()) {
        backgroundKey.interestOps(ops);
      }
    } catch (IOException | RuntimeException e) {
      lost(e);
    }
  }

  /** On the background reader's thread, when the socket is ready for what was wanted. */
  @Override
  public void onReady(SelectionKey key) {
    int ready = key.readyOps();
    if ((ready & SelectionKey.OP_WRITE) != 0) {
      writeWanted = false;
      setup.owner().execute(flushOnOwner);
    }
    if ((ready & SelectionKey.OP_READ) != 0) {
      readWanted = false;
      readInBackground();
    }
    if (key.isValid()) {
      key.interestOps((readWanted ? SelectionKey.OP_READ : 0) | (writeWanted ? SelectionKey.OP_WRITE : 0));
    }
  }

  private void flushOnOwner() {
    try {
      if (open.get() && writer.flushQueued()) {
        wantWritable();
      }
    } catch (IOException e) {
      lost(e);
    }
  }

  /** Once bytes arrived: reads them unless a caller leads (it hands on when it stops). */
  private void readInBackground() {
    turn.readerStarted();
    reading.readAvailable(); // watched again while calls remain and no caller leads
  }

  private void lost(Throwable cause) {
    if (open.compareAndSet(true, false)) {
      if (cause != null) {
        lostBecause = RateLimitedLog.shortMessage(cause);
        CLOSING.info(LOG, "closing the connection to {}: {}", setup.peer(), lostBecause);
      }
      if (cause instanceof RecordTooLongException tooLong) {
        ReplyReader.replyTooLong(setup, tooLong);
      }
      Quietly.close(channel);
      Quietly.close(reader);
      setup.owner().execute(writer::release);
      setup.onLost().accept(this);
      turn.wakeAll();
    }
    reading.freeBuffers();
  }

  /**
   * Once lost: whether {@code call}'s one transmission, on this connection, was still queued
   * whole in the writer, no byte of it written ({@link SocketWriter#neverLeft}).
   */
  @Override
  public boolean neverLeft(PendingCall<?, ?> call) {
    return call.connection == this && call.transmissions == 1 && writer.neverLeft(call.xid);
  }

  @Override
  public void close() {
    lost(null);
  }
}
