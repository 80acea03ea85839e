package org.onyxrpc.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.TooLongFrameException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.onyxrpc.rpc.RpcStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP connection whose I/O runs on the threads that use it ({@link IoStrategy#CALLER_RUNS}).
 *
 * <p>A caller writes its own call ({@link SocketWriter}). Reading follows the leader/followers
 * pattern ({@link ReadTurn}): one thread at a time, the leader, reads the socket and completes
 * whatever replies it finds ({@link SocketReader}); a sync caller leads when nobody does, and
 * stops when its own reply is in; the other waiting callers park until the leader completes
 * their call or hands the turn to one of them. When calls are outstanding and no caller waits
 * for them (async calls, retransmissions), the process's {@link BackgroundReader} reads them.
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
final class CallerRunsConnection implements Connection {
  private static final Logger LOG = LoggerFactory.getLogger(CallerRunsConnection.class);
  private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;
  /**
   * A connection read from within this long (on the client's clock) is not checked for a close
   * before a call is written: servers close connections that have been idle, not busy ones.
   */
  private static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private final ConnectionSetup setup;
  private final SocketChannel channel;
  private final BackgroundReader background;
  private final AtomicBoolean open = new AtomicBoolean(true);
  private final SocketWriter writer;
  private final SocketReader reader;
  private final ReadTurn turn;
  private SelectionKey backgroundKey; // the background reader's thread alone
  private volatile boolean readWanted;
  private volatile boolean writeWanted;
  private final Runnable flushOnOwner = this::flushOnOwner;

  private CallerRunsConnection(ConnectionSetup setup, SocketChannel channel, int maxRecordBytes,
      BackgroundReader background) throws IOException {
    this.setup = setup;
    this.channel = channel;
    this.background = background;
    this.writer = new SocketWriter(channel, this::wantWritable);
    this.reader = new SocketReader(setup, channel, ALLOC, maxRecordBytes,
        setup.clock().nanoTime() - QUIET_NANOS);
    this.turn = new ReadTurn(() -> setup.calls().size() > 0, open::get, this::wantReadable);
  }

  /**
   * Connects, on one of {@code threads}' connecting threads, to {@code address}.
   */
  static CompletableFuture<Connection> connect(ConnectionSetup setup, CallerRunsThreads threads,
      InetSocketAddress address, Duration connectTimeout, int maxRecordBytes) {
    CompletableFuture<Connection> result = new CompletableFuture<>();
    try {
      threads.connectors.execute(() -> {
        SocketChannel channel = null;
        try {
          channel = SocketChannel.open();
          channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
          channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
          channel.socket().connect(address, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
          channel.configureBlocking(false);
          result.complete(new CallerRunsConnection(setup, channel, maxRecordBytes, threads.reader));
        } catch (IOException | RuntimeException e) {
          closeQuietly(channel);
          result.completeExceptionally(new IOException(e.getMessage() + ": " + address, e));
        }
      });
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(new IOException("client closed", e));
    }
    return result;
  }

  @Override
  public boolean isActive() {
    return open.get();
  }

  @Override
  public boolean transmit(PendingCall<?, ?> call) {
    if (!open.get() || !stillOpen()) {
      return false;
    }
    ByteBuf message = CallWriter.encode(setup, call, ALLOC);
    if (message == null) {
      return true;
    }
    long queued = writer.queuedBytes();
    if (!setup.mayQueue(queued, message.readableBytes())) {
      setup.refuse(call, message, queued); // bounded: a server that stops reading costs no more
      return true;
    }
    call.wentOutOn(this);
    if (call.expectReply && call.waiter != Thread.currentThread() && reader.delivering()
        && turn.isMine()) {
      reader.defer(message); // a reply's callback calling again: written with the batch's others
      return true;
    }
    try {
      writer.write(message); // never waits for the socket
    } catch (IOException e) {
      if (!call.expectReply) {
        call.fail(RpcStatus.UNAVAILABLE, "cannot send " + call.procedure.describe() + " to "
            + setup.peer(), e);
      }
      lost(e);
      return true;
    }
    if (!call.expectReply) {
      call.complete(null);
    } else if (call.waiter != Thread.currentThread()) {
      turn.readerWanted();
    }
    return true;
  }

  /**
   * With nobody reading, reads what has arrived since: late replies, or the server's close,
   * which is better found before a call is written than after.
   */
  private boolean stillOpen() {
    if (setup.clock().nanoTime() - reader.lastRead() < QUIET_NANOS) {
      return open.get(); // saves a busy caller a read(2) per call
    }
    if (turn.isMine() || !turn.tryTake()) {
      return open.get(); // the leader will notice
    }
    try {
      if (!open.get()) {
        return false; // lost meanwhile, and its buffers freed
      }
      reader.readAvailable(writer);
    } catch (IOException | TooLongFrameException | ClosedSelectorException e) {
      lost(e);
    } finally {
      // Hands on, as every holder must: an async call written meanwhile saw the turn held and
      // left its replies to us (the lost wakeup this once had).
      releaseTurn();
    }
    return open.get();
  }

  /**
   * The waiter may be this connection's reader, waiting in its selector for bytes: its reply was
   * read by another thread, or completed by the owner it was handed to.
   */
  @Override
  public void wake(Thread waiter) {
    LockSupport.unpark(waiter);
    if (turn.isLeader(waiter)) {
      reader.wakeup();
    }
  }

  /**
   * Returns when {@code call} is done, its deadline has passed, the connection is lost, or the
   * thread is interrupted; reading the socket meanwhile whenever no other thread does.
   */
  @Override
  public void await(PendingCall<?, ?> call, long deadlineNanos) {
    Thread me = Thread.currentThread();
    boolean ledLast = false; // a leader hands on as it stops; a follower that leaves must too
    try {
      while (!call.isDone() && open.get() && !me.isInterrupted()) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
          return;
        }
        ledLast = lead(call, deadlineNanos);
        if (ledLast) {
          continue;
        }
        turn.follow(me);
        try {
          // Registered before trying again, so a leader that stops now either sees us or lets us lead.
          ledLast = !call.isDone() && lead(call, deadlineNanos);
          if (!ledLast && !call.isDone()) {
            LockSupport.parkNanos(this, left);
          }
        } finally {
          turn.unfollow(me);
        }
      }
    } finally {
      if (!ledLast) {
        turn.handOn();
      }
      if (!open.get()) {
        freeBuffers();
      }
    }
  }

  /** Leads if nobody does: reads until {@code call} is done or its deadline passes. */
  private boolean lead(PendingCall<?, ?> call, long deadlineNanos) {
    if (!turn.tryTake()) {
      return false;
    }
    try {
      turn.unfollow(Thread.currentThread());
      Thread me = Thread.currentThread();
      while (open.get() && !me.isInterrupted() && !call.isDone()) {
        long wait = deadlineNanos - System.nanoTime();
        if (wait <= 0) {
          return true;
        }
        try {
          reader.readOnce(wait, writer);
        } catch (IOException | TooLongFrameException | ClosedSelectorException e) {
          lost(e);
        }
      }
    } finally {
      releaseTurn();
    }
    return true;
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
  void armBackgroundRead(Selector selector) {
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
  void onReady(SelectionKey key) {
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

  /** Once bytes arrived: reads them unless a caller leads. */
  private void readInBackground() {
    turn.readerStarted();
    if (!open.get() || !turn.tryTake()) {
      return; // the leader hands on when it stops
    }
    try {
      if (!open.get()) {
        return;
      }
      reader.readAvailable(writer);
    } catch (IOException | TooLongFrameException | ClosedSelectorException e) {
      lost(e);
    } finally {
      releaseTurn(); // watched again while calls remain and no caller leads
    }
  }

  private void releaseTurn() {
    turn.release();
    if (!open.get()) {
      freeBuffers();
    }
  }

  /** Once the connection is closed: frees the reader's buffers, unless a leader still uses them. */
  private void freeBuffers() {
    if (turn.isMine() || !turn.tryTake()) {
      return; // the leader frees them when it stops
    }
    try {
      reader.freeBuffers();
    } finally {
      turn.release();
    }
  }

  private void lost(Throwable cause) {
    if (open.compareAndSet(true, false)) {
      if (cause != null) {
        LOG.info("closing the connection to {}: {}", setup.peer(), cause.getMessage());
      }
      closeQuietly(channel);
      closeQuietly(reader);
      setup.owner().execute(writer::release);
      setup.onLost().accept(this);
      turn.wakeAll();
    }
    freeBuffers();
  }

  @Override
  public void close() {
    lost(null);
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      LOG.debug("closing {}: {}", c, e.toString());
    }
  }
}
