package org.onyxrpc.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.TooLongFrameException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.onyxrpc.internal.RateLimitedLog;
import org.onyxrpc.internal.transport.ClientAddress;
import org.onyxrpc.internal.transport.RecordAssembler;
import org.onyxrpc.internal.transport.RecordMarking;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP connection with a thread of its own ({@link TcpIo#DEDICATED_THREAD}): the thread waits
 * in a blocking read, reassembles records with the event loops' {@link RecordAssembler} (a
 * record over the size or fragment limit fails at the fragment header that breaks it, before its
 * bytes are buffered; {@link BlockingRecordReader}) and hands each to the {@link CallProcessor},
 * within the connection's limit of calls in flight. Under a direct executor the
 * procedure runs on this thread and its reply is written from it, in a blocking write; replies
 * made on other threads (an executor's workers, asynchronous procedures' stages) go through its
 * {@link ConnectionWriter}, whose thread of its own writes them. Closing the socket wakes the
 * threads, which then end.
 */
final class BlockingTcpConnection implements ReplySink, LimitedConnection, StalledWriteClose.Writes {
  private static final Logger LOG = LoggerFactory.getLogger(BlockingTcpConnection.class);
  static final String THREAD_PREFIX = "onyx-server-tcp-";
  /** Malformed streams, across all connections: a peer can open them as fast as it likes. */
  private static final RateLimitedLog MALFORMED = new RateLimitedLog(RateLimitedLog.DEFAULT_INTERVAL);
  /**
   * Replies this large, written by the connection's thread, are charged to {@link UnreadReplies}
   * while they are written: a blocking write returns once the kernel has taken all, so a peer
   * that does not read holds the one being written. Smaller ones are charged only once the timer
   * finds them still being written ({@link ConnectionWriter#chargeWaiting}), not up front (two
   * shared counters touched per call for nothing). Replies handed over from other threads are
   * charged as they are queued, whatever their size.
   */
  static final int CHARGED_REPLY_BYTES = 64 * 1024;

  private final SocketChannel socket;
  private final InetSocketAddress remote;
  private final Object client;
  private final CallProcessor processor;
  private final ServerState state;
  private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
  private final CallConnection watchers = CallConnection.open();
  private final Consumer<BlockingTcpConnection> onEnd;
  private final Thread thread;
  private final ConnectionWriter writer;
  private final FairScheduler.Lane lane; // null: procedures run on this connection's thread
  private final int maxConcurrentCalls;
  private volatile boolean waitingForSlot; // at the per-connection maximum: read by callDone, the timer
  private volatile boolean inputShut; // the peer shut its side: its calls are answered, then closed
  private final AtomicInteger inFlight = new AtomicInteger(); // callDone may come from another thread
  // After a malformed stream, or once the server's drain is over: the close lingers.
  private final BlockingLinger linger;
  private final BlockingBuffers buffers; // the thread's
  private final BlockingRecordReader reader;
  private final ByteBudget budget;
  private final RecordClock clock;
  private final ScheduledExecutorService timers;
  private ScheduledFuture<?> timer;
  // The thread runs a procedure (the server, not the peer, holds the next record up): read by
  // the timer.
  private volatile boolean processing;
  private final ThreadReplyWriter replyWriter; // the thread's
  private final AtomicBoolean counted = new AtomicBoolean(true); // ConnectionLimiter's mark
  private volatile boolean chosen; // by the limiter, to make room

  /**
   * {@code timers}: where the connection's {@link RecordClock} is checked, shared by every
   * connection (the server's event loops), so that a record too slow or a quiet too long closes
   * the socket, which wakes the thread from its read, with no thread per timer.
   */
  BlockingTcpConnection(SocketChannel socket, ServerConfig config, CallProcessor processor,
      ServerState state, ScheduledExecutorService timers, UnreadReplies replies, ByteBudget budget,
      Consumer<BlockingTcpConnection> onEnd) throws IOException {
    this.socket = socket;
    this.remote = (InetSocketAddress) socket.getRemoteAddress();
    this.client = ClientAddress.of(remote);
    this.processor = processor;
    this.state = state;
    this.onEnd = onEnd;
    this.clock = RecordClock.ofTwoThreads(config); // read here, timed on the timers
    this.maxConcurrentCalls = config.maxConcurrentCallsPerConnection();
    this.timers = timers;
    this.budget = budget;
    this.buffers = new BlockingBuffers(alloc, budget);
    this.linger = new BlockingLinger(socket, config.shutdownTimeout(), timers, this::close,
        this::evictable, () -> LockSupport.unpark(thread())); // idle: every reply with the kernel
    this.thread = new Thread(this::serve, THREAD_PREFIX + ListenPlaces.hostPort(remote));
    this.replyWriter = new ThreadReplyWriter(thread);
    this.reader = new BlockingRecordReader(socket,
        new RecordAssembler(config.maxRecordBytes(), config.maxFragmentsPerRecord()), alloc, buffers,
        new HeldRecordBytes(budget), clock, linger, this::handle, thread);
    this.writer = new ConnectionWriter(socket, this, replies, state, ListenPlaces.hostPort(remote));
    this.lane = processor.newLane(client);
    thread.setDaemon(true); // as the event loops' threads are
  }

  void start() {
    long period = clock.checkPeriodNanos();
    timer = timers.scheduleAtFixedRate(this::check, period, period, TimeUnit.NANOSECONDS);
    try {
      thread.start();
    } catch (RuntimeException | Error e) {
      timer.cancel(false);
      throw e;
    }
  }

  private void check() {
    writer.chargeWaiting();
    long now = System.nanoTime();
    if (budget.spent() || now - clock.lastReadNanos() > clock.checkPeriodNanos()) {
      buffers.dropKept(); // its room given to records arriving, or the connection quiet
    }
    if (clock.expired(now, remote, processing || waitingForSlot, writer.busy(),
        inFlight.get() == 0)) {
      close();
    }
  }

  Thread thread() {
    return thread;
  }

  private void serve() {
    try {
      if (reader.readUntilClosed(client)) {
        awaitCallsAnswered(); // the peer ended its stream
      }
    } catch (IOException e) {
      if (socket.isOpen()) {
        RateLimitedLog.debugOneLine(LOG, "closing {}: {}", remote, e.toString());
      }
    } catch (TooLongFrameException e) {
      // The stream cannot be resynchronised: the calls read before it are answered, then the
      // close lingers, as on an event loop.
      MALFORMED.warn(LOG, "closing {}: {}", remote, e.getMessage());
      inputShut = true; // callDone wakes the reader
      writer.notifyWhenFlushed(); // and so does the writer, its queue written
      linger.afterMalformed(remote);
    } catch (RuntimeException | Error e) {
      MALFORMED.warn(LOG, "closing {}: {}", remote, e.toString());
    } finally {
      timer.cancel(false); // a lingering connection has its own deadline
      reader.release();
      try {
        if (linger.begun()) {
          linger.dropUntilEnd(); // holding nothing of the budget meanwhile
        }
      } finally {
        close();
        if (lane != null) {
          lane.close(); // calls queued and not started are dropped: nobody reads their replies
        }
        writer.close();
        watchers.close();
        onEnd.accept(this);
      }
    }
  }

  /** True while the reader waits for the byte budget, or its client's share, to have room. */
  boolean starved() {
    return reader.starved();
  }

  /**
   * The peer shut its side (half-close, or gone: TCP cannot tell), after its last call: the calls
   * still in flight (asynchronous procedures', or on an executor) are answered, and their replies
   * passed to the socket, before the connection is closed, as on an event loop. Procedures that
   * watch the connection are told now.
   */
  private void awaitCallsAnswered() {
    inputShut = true;
    writer.notifyWhenFlushed();
    watchers.close();
    while ((inFlight.get() > 0 || !writer.flushed()) && socket.isOpen()) {
      LockSupport.park(this); // callDone, the writer's emptied queue or close wakes it
    }
  }

  private void handle(ByteBuf record) {
    if (linger.outputShut()) {
      // The drain is over (or the stream was malformed) and the output shut: the rest of the read
      // is dropped, as the reads after it are. Refused, it was answered to an output already shut.
      record.release();
      return;
    }
    if (state.draining()) {
      processor.refuseDraining(record, this); // PROG_UNAVAIL: nothing ran, another may run it
      return;
    }
    awaitSlot();
    if (!state.callStarted()) {
      processor.refuseDraining(record, this); // waited at the call limit until the drain began
      return;
    }
    inFlight.incrementAndGet();
    boolean handedOver = false;
    processing = true;
    try {
      handedOver = processor.process(record, this, lane);
    } finally {
      processing = false;
      if (!handedOver) { // otherwise callDone() gives the slot back
        inFlight.decrementAndGet();
        writer.callDone(); // once its reply, if queued behind others, is written
      }
    }
  }

  /**
   * At the per-connection maximum of calls in flight (asynchronous procedures' under a direct
   * executor), waits for one to finish before the next starts, reading nothing meanwhile, as an
   * event loop stops reading such a connection: the peer's TCP pushes back on it. The server,
   * not the peer, holds the record up meanwhile: its clock does not count it. Closing wakes it
   * (the record is then dropped, its connection gone).
   */
  private void awaitSlot() {
    if (inFlight.get() < maxConcurrentCalls) {
      return;
    }
    waitingForSlot = true;
    try {
      while (inFlight.get() >= maxConcurrentCalls && socket.isOpen()) {
        LockSupport.park(this);
      }
    } finally {
      waitingForSlot = false;
    }
  }

  /** True while a record waits for a call of this connection to finish (for tests). */
  boolean waitingForSlot() {
    return waitingForSlot;
  }

  /** On the connection's thread, in its spare buffer if no reply holds it ({@link BlockingBuffers}). */
  @Override
  public ByteBuf newReply() {
    ByteBuf reply = Thread.currentThread() == thread ? buffers.reply() : alloc.ioBuffer();
    RecordMarking.begin(reply);
    return reply;
  }

  @Override
  public XdrWriter replyWriter(ByteBuf reply) {
    return replyWriter.take(reply);
  }

  @Override
  public void replyWriterDone(XdrWriter done) {
    replyWriter.done(done);
  }

  /** Buffers the connection's thread took from the allocator (for tests). */
  long allocations() {
    return buffers.allocations();
  }

  /** The thread's buffers (for tests, which read what it publishes). */
  BlockingBuffers buffers() {
    return buffers;
  }

  @Override
  public void send(ByteBuf reply) {
    try {
      RecordMarking.end(reply, 0);
    } catch (RuntimeException | Error e) {
      reply.release();
      throw e;
    }
    if (Thread.currentThread() != thread) {
      writer.handOver(reply); // a worker's, a stage's: never blocked by the peer
      return;
    }
    try {
      writer.writeHere(reply);
    } catch (IOException e) {
      writeFailed(e);
    }
  }

  /** A reply could not be written: the connection is closed. */
  void writeFailed(IOException e) {
    if (socket.isOpen()) {
      RateLimitedLog.debugOneLine(LOG, "closing {}: cannot write a reply: {}", remote, e.toString());
    }
    close();
  }

  @Override
  public void callDone() {
    int left = inFlight.decrementAndGet(); // its reply, if any, written or queued
    if (waitingForSlot || left == 0 && inputShut) {
      LockSupport.unpark(thread);
    }
    writer.callDone(); // the server's drain waits for its reply to be written
  }

  @Override
  public boolean connected() {
    return socket.isOpen();
  }

  @Override
  public CallConnection connection() {
    return watchers;
  }

  @Override
  public Object client() {
    return client;
  }

  @Override
  public SocketAddress remoteAddress() {
    return remote;
  }

  @Override
  public Transport transport() {
    return Transport.TCP;
  }

  @Override
  public boolean open() {
    return socket.isOpen();
  }

  @Override
  public AtomicBoolean counted() {
    return counted;
  }

  /** No call in flight and no reply queued or being written: every reply is with the kernel. */
  @Override
  public boolean evictable() {
    return inFlight.get() == 0 && writer.flushed();
  }

  /**
   * No call in flight but the one whose reply this thread is writing (under a direct executor);
   * replies queued for the writer thread are of calls done.
   */
  @Override
  public boolean onlyRepliesUntaken() {
    return inFlight.get() == (writer.writingHere() ? 1 : 0);
  }

  @Override
  public long unsentReplies() {
    return writer.unsent();
  }

  /**
   * Every call in flight watches the connection; the count read again after the watchers, so
   * that a call that came between the two reads is not taken for one of the watching.
   */
  @Override
  public boolean onlyWatchingCalls() {
    int calls = inFlight.get();
    return calls > 0 && watchers.watchedCalls() >= calls && inFlight.get() == calls;
  }

  @Override
  public long behindMinimumRateSince(long now) {
    return clock.behindMinimumRateSince(now, clock.recordStart(), clock.recordBytes());
  }

  @Override
  public long lastReadNanos() {
    return clock.lastReadNanos();
  }

  @Override
  public boolean chosen() {
    return chosen;
  }

  @Override
  public void choose() {
    chosen = true;
  }

  /**
   * Once the server drains: kept open, its calls refused PROG_UNAVAIL, until its peer closes its
   * end or the drain and its grace are over; closed meanwhile if its peer stops taking a reply
   * being written ({@link StalledWriteClose}).
   */
  void drainBegan() {
    StalledWriteClose.watch(this, timers, linger.period());
  }

  /**
   * Once the server's drain is over (no call left): closed behind its replies, which the kernel
   * has, lingering ({@link BlockingLinger}), not at once, which would answer bytes the peer sent
   * meanwhile with a reset that throws away the replies it has not yet read.
   */
  void closeBehindRepliesForShutdown() {
    linger.drainEnded();
  }

  @Override
  public boolean writing() {
    return writer.busy();
  }

  @Override
  public long written() {
    return writer.written();
  }

  /** Closes the socket, which wakes the thread from its read; it then ends. */
  @Override
  public void close() {
    BlockingTcpListener.closeQuietly(socket);
    LockSupport.unpark(thread); // if waiting for a budget
  }
}
