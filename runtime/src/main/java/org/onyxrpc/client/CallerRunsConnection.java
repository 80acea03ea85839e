package org.onyxrpc.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.transport.RecordAssembler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP connection whose I/O runs on the threads that use it ({@link IoStrategy#CALLER_RUNS}).
 *
 * <p>A caller writes its own call under a lock. Reading follows the leader/followers pattern:
 * one thread at a time, the leader, reads the socket and completes whatever replies it finds;
 * a sync caller becomes the leader when nobody is, and stops when its own reply is in; the other
 * waiting callers park until the leader completes their call or hands leadership to one of them.
 * When calls are outstanding and no caller waits for them (async calls, retransmissions), a
 * background reader leads until they are answered or a caller wants to lead.
 *
 * <p>The socket is non-blocking; a leader waits in its own selector, so it notices its deadline
 * and a close without being interrupted.
 */
final class CallerRunsConnection implements Connection {
  private static final Logger LOG = LoggerFactory.getLogger(CallerRunsConnection.class);
  private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;
  private static final int READ_BUFFER_BYTES = 64 << 10;
  /**
   * A connection read from within this long is not checked for a close before a call is
   * written: servers close connections that have been idle, not busy ones.
   */
  private static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  /** How long a background reader waits for a reply before it looks for work again. */
  private static final long IDLE_READ_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  private static final Consumer<SelectionKey> READY = key -> {};
  private static final ExecutorService READERS =
      Executors.newCachedThreadPool(new DefaultThreadFactory("onyx-client-reader", true));

  private final ConnectionSetup setup;
  private final SocketChannel channel;
  private final Selector readable;
  private final Selector writable;
  private final long writeStallNanos;
  private final AtomicBoolean open = new AtomicBoolean(true);
  private final ReentrantLock writeLock = new ReentrantLock();
  private final ReentrantLock readLock = new ReentrantLock();
  private final Queue<Thread> followers = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean readerScheduled = new AtomicBoolean();
  private volatile long lastRead = System.nanoTime() - QUIET_NANOS;
  // The leader's alone.
  private final RecordAssembler assembler;
  private final Consumer<ByteBuf> deliver = this::deliver;
  private ByteBuf in;
  // Calls that replies' callbacks make while the leader delivers a batch of replies: they go out
  // together when the batch ends, one write(2) for all instead of one each.
  private final ArrayDeque<ByteBuf> deferred = new ArrayDeque<>();
  private boolean delivering;

  private CallerRunsConnection(ConnectionSetup setup, SocketChannel channel, int maxRecordBytes,
      long writeStallNanos) throws IOException {
    this.setup = setup;
    this.channel = channel;
    this.writeStallNanos = writeStallNanos;
    this.assembler = new RecordAssembler(maxRecordBytes);
    this.readable = Selector.open();
    this.writable = Selector.open();
    channel.register(readable, SelectionKey.OP_READ);
    channel.register(writable, SelectionKey.OP_WRITE);
    this.in = ALLOC.directBuffer(READ_BUFFER_BYTES);
  }

  /**
   * Connects, on a background thread, to {@code address}; a write the server does not take for
   * {@code writeStall} loses the connection.
   */
  static CompletableFuture<Connection> connect(ConnectionSetup setup,
      InetSocketAddress address, Duration connectTimeout, int maxRecordBytes, Duration writeStall) {
    CompletableFuture<Connection> result = new CompletableFuture<>();
    READERS.execute(() -> {
      SocketChannel channel = null;
      try {
        channel = SocketChannel.open();
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
        channel.socket().connect(address, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
        channel.configureBlocking(false);
        result.complete(new CallerRunsConnection(setup, channel, maxRecordBytes, writeStall.toNanos()));
      } catch (IOException | RuntimeException e) {
        closeQuietly(channel);
        result.completeExceptionally(new IOException(e.getMessage() + ": " + address, e));
      }
    });
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
    call.wentOutOn(this);
    if (delivering && call.expectReply && readLock.isHeldByCurrentThread()) {
      deferred.add(message); // a reply's callback calling again: written with the batch's others
      return true;
    }
    try {
      write(message.nioBuffer());
    } catch (IOException | ClosedSelectorException e) {
      if (!call.expectReply) {
        call.fail(RpcStatus.UNAVAILABLE, "cannot send " + call.procedure.describe() + " to "
            + setup.peer(), e);
      }
      lost(e);
      return true;
    } finally {
      message.release();
    }
    if (!call.expectReply) {
      call.complete(null);
    } else if (call.waiter != Thread.currentThread()) {
      ensureReader();
    }
    return true;
  }

  /**
   * With nobody reading, reads what has arrived since: late replies, or the server's close,
   * which is better found before a call is written than after.
   */
  private boolean stillOpen() {
    if (System.nanoTime() - lastRead < QUIET_NANOS) {
      return open.get(); // saves a busy caller a read(2) per call
    }
    if (readLock.isHeldByCurrentThread() || !readLock.tryLock()) {
      return open.get(); // the leader will notice
    }
    try {
      readAvailable();
    } catch (IOException | TooLongFrameException e) {
      lost(e);
    } finally {
      readLock.unlock();
      if (!open.get()) {
        freeReadBuffers();
      } else {
        // Not handOn(): the call about to be written is outstanding already, and its thread
        // reads for it or starts the background reader; only a caller that waited meanwhile
        // needs waking.
        someoneReads();
      }
    }
    return open.get();
  }

  private void write(ByteBuffer bytes) throws IOException {
    writeLock.lock();
    try {
      while (bytes.hasRemaining()) {
        if (channel.write(bytes) == 0) {
          awaitWritable();
        }
      }
    } finally {
      writeLock.unlock();
    }
  }

  private void write(ByteBuffer[] batch) throws IOException {
    writeLock.lock();
    try {
      while (batch[batch.length - 1].hasRemaining()) {
        if (channel.write(batch) == 0) {
          awaitWritable();
        }
      }
    } finally {
      writeLock.unlock();
    }
  }

  /** Waits, with the write lock held, until the socket takes bytes again. */
  private void awaitWritable() throws IOException {
    if (writable.select(READY, millis(writeStallNanos)) == 0) {
      throw new IOException("the server took no bytes for "
          + TimeUnit.NANOSECONDS.toMillis(writeStallNanos) + " ms");
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
        followers.add(me);
        try {
          // Registered before trying again, so a leader that stops now either sees us or lets us lead.
          ledLast = !call.isDone() && lead(call, deadlineNanos);
          if (!ledLast && !call.isDone()) {
            LockSupport.parkNanos(this, left);
          }
        } finally {
          followers.remove(me);
        }
      }
    } finally {
      if (!ledLast) {
        handOn();
      }
    }
  }

  /** Leads if nobody does: reads until {@code call} is done (or, if null, until no call awaits). */
  private boolean lead(PendingCall<?, ?> call, long deadlineNanos) {
    if (!readLock.tryLock()) {
      return false;
    }
    try {
      if (call != null) {
        followers.remove(Thread.currentThread());
      }
      readUntil(call, deadlineNanos);
    } finally {
      readLock.unlock();
      handOn();
    }
    return true;
  }

  /**
   * Run whenever a thread stops leading or waiting: if nobody leads, a waiting caller or the
   * background reader must, or replies would lie unread.
   */
  private void handOn() {
    if (!open.get()) {
      freeReadBuffers();
      return;
    }
    if (!someoneReads() && setup.calls().size() > 0) {
      ensureReader();
    }
  }

  /** True if a thread leads, or a waiting caller was just woken to lead. */
  private boolean someoneReads() {
    if (readLock.isLocked()) {
      return true;
    }
    Thread next = followers.peek();
    if (next != null) {
      LockSupport.unpark(next);
      return true;
    }
    return false;
  }

  private void ensureReader() {
    if (!readLock.isLocked() && open.get() && readerScheduled.compareAndSet(false, true)) {
      READERS.execute(this::readInBackground);
    }
  }

  private void readInBackground() {
    readerScheduled.set(false);
    lead(null, 0);
  }

  private void readUntil(PendingCall<?, ?> call, long deadlineNanos) {
    Thread me = Thread.currentThread();
    while (open.get() && !me.isInterrupted()) {
      long wait;
      if (call != null) {
        wait = deadlineNanos - System.nanoTime();
        if (call.isDone() || wait <= 0) {
          return;
        }
      } else {
        if (setup.calls().size() == 0 || !followers.isEmpty()) {
          return;
        }
        wait = IDLE_READ_NANOS;
      }
      try {
        readOnce(wait);
      } catch (IOException | TooLongFrameException | ClosedSelectorException e) {
        lost(e);
      }
    }
  }

  /** Waits up to {@code waitNanos} for bytes, reads what there is, and delivers whole records. */
  private void readOnce(long waitNanos) throws IOException {
    if (readable.select(READY, millis(waitNanos)) > 0) {
      readAvailable();
    }
  }

  private void readAvailable() throws IOException {
    // Room for the whole of a fragment already begun, so a large record is read in place.
    in.ensureWritable(Math.max(RecordAssembler.missingBytes(in), 4096));
    int n = in.writeBytes(channel, in.writableBytes());
    if (n < 0) {
      throw new IOException("the server closed the connection");
    }
    if (n > 0) {
      lastRead = System.nanoTime();
    }
    delivering = true;
    try {
      assembler.decode(in, ALLOC, deliver);
    } finally {
      delivering = false;
      writeDeferred();
    }
    if (!in.isReadable() && in.capacity() > 4 * READ_BUFFER_BYTES) {
      in.release(); // one large record should not pin its buffer for the connection's lifetime
      in = ALLOC.directBuffer(READ_BUFFER_BYTES);
    } else if (in.refCnt() == 1) {
      // Not while the fragments of an unfinished record still point into the buffer.
      in.discardSomeReadBytes();
    }
  }

  /** Writes the calls made by callbacks during one batch of replies, with one gathering write. */
  private void writeDeferred() throws IOException {
    if (deferred.isEmpty()) {
      return;
    }
    ByteBuffer[] buffers = new ByteBuffer[deferred.size()];
    int i = 0;
    for (ByteBuf message : deferred) {
      buffers[i++] = message.nioBuffer();
    }
    try {
      write(buffers);
    } finally {
      ByteBuf message;
      while ((message = deferred.poll()) != null) {
        message.release();
      }
    }
  }

  private void deliver(ByteBuf record) {
    try {
      ReplyReader.dispatch(setup, record);
    } finally {
      record.release();
    }
  }

  /** Once the connection is closed: frees the leader's buffers, unless a leader still uses them. */
  private void freeReadBuffers() {
    if (readLock.isHeldByCurrentThread() || !readLock.tryLock()) {
      return; // the leader frees them when it stops
    }
    try {
      if (in != null) {
        in.release();
        in = null;
        assembler.release();
      }
    } finally {
      readLock.unlock();
    }
  }

  private void lost(Throwable cause) {
    if (open.compareAndSet(true, false)) {
      if (cause != null) {
        LOG.info("closing the connection to {}: {}", setup.peer(), cause.getMessage());
      }
      closeQuietly(channel);
      closeQuietly(readable);
      closeQuietly(writable);
      setup.onLost().accept(this);
      Thread next;
      while ((next = followers.poll()) != null) {
        LockSupport.unpark(next);
      }
    }
    freeReadBuffers();
  }

  @Override
  public void close() {
    lost(null);
  }

  private static long millis(long nanos) {
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999));
  }

  private static void closeQuietly(java.io.Closeable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (IOException e) {
      LOG.debug("closing {}: {}", c, e.toString());
    }
  }
}
