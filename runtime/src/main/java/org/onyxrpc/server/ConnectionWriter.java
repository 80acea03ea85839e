package org.onyxrpc.server;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes the replies of one {@link BlockingTcpConnection}, one writer at a time with no lock. Its
 * reading thread (a direct executor's procedure, an error reply, a NULL ping) writes its reply
 * itself, in a blocking write, while nothing is queued and no other write is under way: the mode's
 * point, with no hand-off. A reply made on any other thread (an executor's worker, the thread
 * completing an asynchronous procedure's stage), or on the reading thread while another write is
 * under way or replies are queued, is charged to {@link UnreadReplies} ({@link HandedOverReplies},
 * as an event loop's connection charges a reply handed over) and queued; a writer thread of the
 * connection's own, started when the first is queued, writes them and gives their charges back
 * as its socket takes them. A producer never blocks in a write, and a peer that does not read is
 * closed by the budget, as the greediest.
 *
 * <p>Order: replies go out in the order their {@code send}s handed them over, as on an event
 * loop: the queue is first in, first out, and the reading thread writes at once only when it is
 * empty and it wins the one writer's place ({@link #state}); otherwise it queues behind the rest.
 * Replies handed over at once by two threads go out in either order, as there.
 *
 * <p>A reply the reading thread writes is charged only if it is of {@link
 * BlockingTcpConnection#CHARGED_REPLY_BYTES} or more (charging every reply would touch the shared
 * budget twice a call), and, smaller, when the connection's timer finds it still being written
 * ({@link #chargeWaiting}): its peer is not taking it, and many such connections together spend
 * the budget like one large reply.
 *
 * <p>A call whose reply is queued is counted finished by the server ({@link ServerState}, whose
 * drain a shutdown waits for) only once its reply has been passed to the socket ({@link
 * #callDone}): a drain that ended at the hand-over would close the connection over a reply that
 * ran but was never sent.
 */
final class ConnectionWriter {
  static final String WRITER_PREFIX = BlockingTcpConnection.THREAD_PREFIX + "writer-";
  /** What a queued reply costs beside its bytes (its buffer, its node), as Netty's queue counts. */
  static final long QUEUED_REPLY_OVERHEAD = 96;
  private static final long WRITER_END_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);
  /**
   * The most one write gives the kernel: a reply's progress is seen piece by piece ({@link
   * #written}), so that a peer that stops taking a large one is told from one that reads it
   * slowly ({@link StalledWriteClose}).
   */
  private static final int WRITE_PIECE_BYTES = 64 * 1024;

  // Who writes: IDLE, none; QUEUED, the writer thread, until the queue is empty; CLOSED, nobody
  // ever again; else the reading thread, writing a reply of that many bytes, negated once
  // charged. Only the one holding the place leaves it (the timer but negates the reading
  // thread's size), so the reading thread's write costs two atomic writes, as the flag and the
  // monitor it replaces did not.
  private static final long IDLE = 0;
  private static final long CLOSED = Long.MIN_VALUE;
  private static final long QUEUED = Long.MIN_VALUE + 1;

  private final SocketChannel socket;
  private final BlockingTcpConnection connection;
  private final UnreadReplies budget;
  private final HandedOverReplies handedOver;
  private final String writerName;
  private final AtomicLong state = new AtomicLong(IDLE);
  // Bounded by the budget: each reply in it is charged its bytes and its overhead.
  private final Queue<ByteBuf> queue = new ConcurrentLinkedQueue<>();
  private volatile Thread writer; // started by the first hand-over
  private volatile boolean notifyWhenFlushed; // the reading thread waits for the queue to empty
  private final ServerState server;
  // Calls done whose replies were queued or being written then: finished for the server's drain
  // once every reply is passed to the socket.
  private final AtomicInteger unflushedCalls = new AtomicInteger();
  // Bytes the kernel has taken, for StalledWriteClose: set by whoever holds the writer's place,
  // alone, in an ordered store (a plain one on x86), not a read-modify-write.
  private final AtomicLong written = new AtomicLong();

  ConnectionWriter(SocketChannel socket, BlockingTcpConnection connection, UnreadReplies budget,
      ServerState server, String peer) {
    this.socket = socket;
    this.server = server;
    this.connection = connection;
    this.budget = budget;
    this.handedOver = new HandedOverReplies(budget);
    this.writerName = WRITER_PREFIX + peer;
  }

  /**
   * On the reading thread: writes {@code reply} now, or queues it behind those queued or being
   * written. Takes ownership of it.
   */
  void writeHere(ByteBuf reply) throws IOException {
    long bytes = reply.readableBytes();
    boolean large = bytes >= BlockingTcpConnection.CHARGED_REPLY_BYTES;
    if (!queue.isEmpty() || !state.compareAndSet(IDLE, large ? -bytes : bytes)) {
      handOver(reply);
      return;
    }
    try {
      if (large) {
        budget.adjust(bytes); // may close this connection, the greediest: the write fails
      }
      write(reply);
    } finally {
      reply.release();
      long was = state.getAndSet(IDLE);
      if (was < 0) { // charged, up front or by the timer
        budget.adjust(was);
      }
      // A reply queued meanwhile found the place taken and left it to whoever held it.
      if (!queue.isEmpty()) {
        if (state.compareAndSet(IDLE, QUEUED)) {
          wake();
        }
      } else if (unflushedCalls.get() != 0) { // a read: nothing written on the common path
        finishUnflushed();
      }
    }
  }

  /** On any thread: charges and queues {@code reply} for the writer thread. Takes ownership. */
  void handOver(ByteBuf reply) {
    // Closed (the budget's greediest, say): dropped uncharged. Charged, many workers' replies to
    // a connection just closed would each hold the budget until its reader gave them back.
    if (state.get() == CLOSED || !socket.isOpen()
        || !handedOver.admit(charge(reply), connection)) { // the greediest: closing, the reply dropped
      reply.release();
      return;
    }
    queue.add(reply);
    if (state.compareAndSet(IDLE, QUEUED)) {
      wake();
    } else if (state.get() == CLOSED) {
      dropQueued(); // the writer has gone, or goes without seeing it
    }
  }

  private static long charge(ByteBuf reply) {
    return reply.readableBytes() + QUEUED_REPLY_OVERHEAD;
  }

  /** Holding QUEUED: starts the writer thread, or wakes it. */
  private void wake() {
    Thread w = writer;
    if (w != null) {
      LockSupport.unpark(w);
      return;
    }
    w = new Thread(this::drainUntilClosed, writerName);
    w.setDaemon(true); // as the reading thread is
    writer = w;
    try {
      w.start();
    } catch (RuntimeException | OutOfMemoryError e) { // no thread to be had
      // Its replies cannot go: the close drops them and gives back their charges. Not thrown to
      // the producer, whose call is over once its reply is handed over.
      connection.writeFailed(new IOException("cannot start a writer thread: " + e, e));
    }
  }

  private void drainUntilClosed() {
    try {
      while (true) {
        ByteBuf reply;
        while ((reply = queue.poll()) != null) {
          writeQueued(reply);
        }
        if (!state.compareAndSet(QUEUED, IDLE)) {
          return; // closed
        }
        if (!queue.isEmpty() && state.compareAndSet(IDLE, QUEUED)) {
          continue; // queued as it left: its producer found the place taken
        }
        finishUnflushed();
        if (notifyWhenFlushed) {
          LockSupport.unpark(connection.thread());
        }
        long s;
        while ((s = state.get()) != QUEUED) {
          if (s == CLOSED) {
            return;
          }
          LockSupport.park(this); // a producer that takes the place for it wakes it
        }
      }
    } finally {
      dropQueued();
    }
  }

  private void writeQueued(ByteBuf reply) {
    long charged = charge(reply);
    try {
      if (socket.isOpen()) {
        write(reply);
      }
    } catch (IOException e) {
      connection.writeFailed(e);
    } finally {
      reply.release();
      handedOver.taken(charged);
    }
  }

  /**
   * One buffer's reply as one view (no array), in pieces of {@link #WRITE_PIECE_BYTES}, else a
   * gathering write.
   */
  private void write(ByteBuf reply) throws IOException {
    int bytes = reply.readableBytes();
    if (reply.nioBufferCount() == 1) {
      // The pooled buffer's own view, reused: nothing allocated per reply.
      ByteBuffer view = reply.internalNioBuffer(reply.readerIndex(), bytes);
      int end = view.limit();
      while (view.position() < end) {
        view.limit(Math.min(end, view.position() + WRITE_PIECE_BYTES));
        taken(socket.write(view));
        view.limit(end);
      }
      return;
    }
    ByteBuffer[] views = reply.nioBuffers();
    long left = bytes;
    while (left > 0) {
      long n = socket.write(views);
      taken(n);
      left -= n;
    }
  }

  private void taken(long bytes) {
    written.lazySet(written.get() + bytes);
  }

  /** Bytes of replies the kernel has taken so far: goes up as a reply's pieces are written. */
  long written() {
    return written.get();
  }

  /**
   * A call of this connection is done, its reply (if any) written or queued: counted finished by
   * the server now if every reply is with the socket, else once the queue is written.
   */
  void callDone() {
    if (flushed()) {
      server.callFinished();
      return;
    }
    unflushedCalls.incrementAndGet();
    finishUnflushed(); // the writer may have emptied its queue since the look
  }

  /**
   * Finishes the calls whose replies were waiting, if every reply is now with the socket. Each
   * side (the call that defers, the writer that empties its queue) publishes first and looks
   * second, so that the last of them finishes them; what is taken while a reply is again under
   * way is put back for its writer.
   */
  private void finishUnflushed() {
    while (unflushedCalls.get() != 0 && flushed()) {
      int calls = unflushedCalls.getAndSet(0);
      if (!flushed()) {
        unflushedCalls.addAndGet(calls);
        continue;
      }
      for (; calls > 0; calls--) {
        server.callFinished();
      }
    }
  }

  /**
   * On the connection's timer: a reply the reading thread is still writing, uncharged (under
   * {@link BlockingTcpConnection#CHARGED_REPLY_BYTES}), is charged now: its peer is slow to take
   * it. The reading thread gives it back once written.
   */
  void chargeWaiting() {
    long s = state.get();
    if (s > 0 && state.compareAndSet(s, -s)) {
      budget.adjust(s); // may close this connection, the greediest
    }
  }

  /** A reply is being written or waits to be: the peer has not taken every reply. */
  boolean busy() {
    long s = state.get();
    return s != IDLE && s != CLOSED;
  }

  /** The reading thread is writing a reply of its own (for its call, still in flight). */
  boolean writingHere() {
    long s = state.get();
    return s != IDLE && s != CLOSED && s != QUEUED;
  }

  /** Every reply handed over was passed to the socket: none queued or being written. */
  boolean flushed() {
    return queue.isEmpty() && !busy();
  }

  /**
   * On the reading thread, which then parks until {@link #flushed}: the writer thread wakes it
   * when its queue empties.
   */
  void notifyWhenFlushed() {
    notifyWhenFlushed = true;
  }

  /** Charged bytes of replies queued or being written, which the peer has not taken. */
  long unsent() {
    long s = state.get();
    long writingCharged = s < 0 && s != CLOSED && s != QUEUED ? -s : 0;
    return handedOver.held() + writingCharged;
  }

  /**
   * On the reading thread, its socket closed: no reply is written from now on; waits for the
   * writer thread to end (a write under way fails at once, the socket being closed), drops what
   * is queued and gives back every charge.
   */
  void close() {
    state.set(CLOSED); // the reading thread holds no place: the writer's, if held, is taken
    Thread w = writer;
    if (w != null) {
      LockSupport.unpark(w);
      DedicatedThreads.awaitEnd(w, System.nanoTime() + WRITER_END_WAIT_NANOS);
    }
    dropQueued();
    budget.adjust(-handedOver.gone()); // a later hand-over gives its own back
    finishUnflushed(); // nothing more is written: the calls waiting for it are over
  }

  private void dropQueued() {
    ByteBuf reply;
    while ((reply = queue.poll()) != null) {
      long charged = charge(reply);
      reply.release();
      handedOver.taken(charged);
    }
  }
}
