package org.onyxrpc.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.TooLongFrameException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP connection with a thread of its own ({@link TcpIo#DEDICATED_THREAD}): the thread waits
 * in a blocking read, reassembles records with the event loops' {@link RecordAssembler} (a
 * record over the size or fragment limit fails at the fragment header that breaks it, before its
 * bytes are buffered) and hands each to the {@link CallProcessor}. Under a direct executor the
 * procedure runs on this thread and its reply is written from it, in a blocking write. Closing
 * the socket wakes the thread, which then ends.
 */
final class BlockingTcpConnection implements ReplySink, LimitedConnection, StalledWriteClose.Writes {
  private static final Logger LOG = LoggerFactory.getLogger(BlockingTcpConnection.class);
  static final String THREAD_PREFIX = "onyx-server-tcp-";
  /** Malformed streams, across all connections: a peer can open them as fast as it likes. */
  private static final RateLimitedLog MALFORMED = new RateLimitedLog(RateLimitedLog.DEFAULT_INTERVAL);
  /** The least room a read is given: a call and its record mark, most often. */
  private static final int READ_BYTES = 16 * 1024;
  /** The most one read takes: what a connection may hold past a spent budget, as one read's. */
  static final int MAX_READ_BYTES = 64 * 1024;
  /**
   * Replies this large are charged to {@link UnreadReplies} while they are written: a blocking
   * write returns once the kernel has taken all, so a peer that does not read holds the one
   * being written. Smaller ones are not charged (two shared counters touched per call for
   * nothing): what they hold is bounded by one each, per connection, as the event loops' peers
   * hold up to a write buffer's high-water mark uncharged.
   */
  static final int CHARGED_REPLY_BYTES = 64 * 1024;
  /**
   * The most one write gives the kernel: a reply's progress is seen piece by piece, so that a
   * peer that stops taking a large one is told from one that reads it slowly.
   */
  private static final int WRITE_PIECE_BYTES = 64 * 1024;

  private final SocketChannel socket;
  private final InetSocketAddress remote;
  private final Object client;
  private final RecordAssembler assembler;
  private final CallProcessor processor;
  private final ServerState state;
  private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
  private final CallConnection watchers = CallConnection.open();
  private final Consumer<ByteBuf> handler = this::handle;
  private final Consumer<BlockingTcpConnection> onEnd;
  private final Thread thread;
  private final Object writeLock = new Object();
  private final int maxConcurrentCalls;
  private volatile boolean waitingForSlot; // at the per-connection maximum: read by callDone, the timer
  private volatile boolean inputShut; // the peer shut its side: its calls are answered, then closed
  private final AtomicInteger inFlight = new AtomicInteger(); // callDone may come from another thread
  // After a malformed stream, or once the server's drain is over: the close lingers.
  private final BlockingLinger linger;
  private volatile long written; // bytes of replies the kernel has taken: read by StalledWriteClose
  private ByteBuf cumulation; // the bytes read and not yet taken by the assembler
  private final RecordClock clock;
  private final ScheduledExecutorService timers;
  private ScheduledFuture<?> timer;
  // The thread runs a procedure (the server, not the peer, holds the next record up), or writes
  // a reply (not idle while the peer has not taken it): read by the timer.
  private volatile boolean processing;
  private volatile boolean writing;
  private final AtomicBoolean counted = new AtomicBoolean(true); // ConnectionLimiter's mark
  private volatile boolean chosen; // by the limiter, to make room
  private final UnreadReplies replies;
  private volatile long unsentReplies; // charged to replies while written
  private final HeldRecordBytes records;
  // Set when a budget this connection waits for has room: the thread then reads on.
  private volatile boolean fedSignal;
  private volatile boolean starved; // waiting for a budget: read by OpenConnections (for tests)
  private final Runnable fed = () -> {
    fedSignal = true;
    LockSupport.unpark(thread());
  };

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
    this.assembler = new RecordAssembler(config.maxRecordBytes(), config.maxFragmentsPerRecord());
    this.processor = processor;
    this.state = state;
    this.onEnd = onEnd;
    this.clock = RecordClock.ofTwoThreads(config); // read here, timed on the timers
    this.maxConcurrentCalls = config.maxConcurrentCallsPerConnection();
    this.timers = timers;
    this.replies = replies;
    this.records = new HeldRecordBytes(budget);
    this.linger = new BlockingLinger(socket, config.shutdownTimeout(), timers, this::close, inFlight,
        () -> LockSupport.unpark(thread()));
    this.thread = new Thread(this::serve, THREAD_PREFIX + ListenPlaces.hostPort(remote));
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
    if (clock.expired(System.nanoTime(), remote, processing || waitingForSlot, writing,
        inFlight.get() == 0)) {
      close();
    }
  }

  Thread thread() {
    return thread;
  }

  private void serve() {
    try {
      readUntilClosed();
    } catch (IOException e) {
      if (socket.isOpen()) {
        RateLimitedLog.debugOneLine(LOG, "closing {}: {}", remote, e.toString());
      }
    } catch (TooLongFrameException e) {
      // The stream cannot be resynchronised: the calls read before it are answered, then the
      // close lingers, as on an event loop.
      MALFORMED.warn(LOG, "closing {}: {}", remote, e.getMessage());
      inputShut = true; // callDone wakes the reader
      linger.afterMalformed(remote);
    } catch (RuntimeException | Error e) {
      MALFORMED.warn(LOG, "closing {}: {}", remote, e.toString());
    } finally {
      timer.cancel(false); // a lingering connection has its own deadline
      assembler.release();
      records.leave();
      if (cumulation != null) {
        cumulation.release();
        cumulation = null;
      }
      try {
        if (linger.begun()) {
          linger.dropUntilEnd(); // holding nothing of the budget meanwhile
        }
      } finally {
        close();
        watchers.close();
        onEnd.accept(this);
      }
    }
  }

  private void readUntilClosed() throws IOException {
    records.join(client);
    while (true) {
      awaitBudget();
      if (linger.begun()) {
        return; // lingering: the rest is dropped, undecoded
      }
      prepareRead();
      ByteBuffer room = cumulation.nioBuffer(cumulation.writerIndex(),
          Math.min(cumulation.writableBytes(), MAX_READ_BYTES));
      int read = socket.read(room);
      if (read < 0) {
        awaitCallsAnswered();
        return;
      }
      cumulation.writerIndex(cumulation.writerIndex() + read);
      clock.read(System.nanoTime(), read);
      records.arrived(read); // until the assembler has had its look
      assembler.decode(cumulation, alloc, handler);
      boolean midRecord = assembler.midRecord() || cumulation.isReadable();
      if (!midRecord) {
        clock.recordEnded();
      }
      records.charge(assembler.bufferedBytes() + cumulation.readableBytes());
      records.pauseWhileSpent(midRecord, fed);
    }
  }

  /**
   * Waits, holding part of a record, while a budget it needs is spent ({@link HeldRecordBytes}),
   * as an event loop stops reading such a connection; the record clock runs on meanwhile, as it
   * does there. Closing the connection wakes it.
   */
  private void awaitBudget() throws IOException {
    try {
      while (!records.mayRead() && !linger.begun()) {
        if (fedSignal) {
          fedSignal = false;
          records.fed();
        } else if (!socket.isOpen()) {
          throw new ClosedChannelException();
        } else {
          starved = true;
          LockSupport.park(this);
        }
      }
    } finally {
      if (starved) { // read first: no volatile write on a read that did not wait
        starved = false;
      }
    }
  }

  /** True while the reader waits for the byte budget, or its client's share, to have room. */
  boolean starved() {
    return starved;
  }

  /**
   * The peer shut its side (half-close, or gone: TCP cannot tell), after its last call: the calls
   * still in flight (asynchronous procedures' under a direct executor) are answered before the
   * connection is closed, as on an event loop. Procedures that watch the connection are told now.
   */
  private void awaitCallsAnswered() {
    inputShut = true;
    watchers.close();
    while (inFlight.get() > 0 && socket.isOpen()) {
      LockSupport.park(this); // callDone or close wakes it
    }
  }

  /**
   * Gives the next read room: a fresh buffer when all was taken, else the one holding the part of
   * a record it waits for, grown if need be (the assembler has checked that part's header against
   * the limits); copied out first if a record still holds slices of it.
   */
  private void prepareRead() {
    if (cumulation != null && !cumulation.isReadable()) {
      cumulation.release();
      cumulation = null;
    }
    if (cumulation == null) {
      cumulation = alloc.ioBuffer(READ_BYTES);
      return;
    }
    if (cumulation.refCnt() > 1) {
      ByteBuf rest = alloc.ioBuffer(cumulation.readableBytes() + READ_BYTES);
      rest.writeBytes(cumulation);
      cumulation.release();
      cumulation = rest;
    } else {
      cumulation.discardSomeReadBytes();
    }
    cumulation.ensureWritable(READ_BYTES);
  }

  private void handle(ByteBuf record) {
    if (state.draining()) {
      record.release(); // a draining server starts no call
      return;
    }
    awaitSlot();
    inFlight.incrementAndGet();
    state.callStarted();
    boolean handedOver = false;
    processing = true;
    try {
      handedOver = processor.process(record, this, null);
    } finally {
      processing = false;
      if (!handedOver) { // otherwise callDone() gives the slot back
        linger.callEnded(inFlight.decrementAndGet()); // this thread reads on, and sees it
        state.callFinished();
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

  @Override
  public ByteBuf newReply() {
    ByteBuf reply = alloc.ioBuffer();
    RecordMarking.begin(reply);
    return reply;
  }

  @Override
  public void send(ByteBuf reply) {
    try {
      RecordMarking.end(reply, 0);
      // An asynchronous procedure's reply comes from another thread, beside the connection's.
      synchronized (writeLock) {
        writing = true;
        long charged = reply.readableBytes() >= CHARGED_REPLY_BYTES ? reply.readableBytes() : 0;
        if (charged > 0) {
          unsentReplies = charged;
          replies.adjust(charged); // may close this connection, the greediest: the write fails
        }
        try {
          int index = reply.readerIndex();
          int end = reply.writerIndex();
          while (index < end) {
            int piece = Math.min(end - index, WRITE_PIECE_BYTES);
            ByteBuffer bytes = reply.nioBuffer(index, piece);
            while (bytes.hasRemaining()) {
              socket.write(bytes);
            }
            index += piece;
            written += piece; // this thread alone writes it, under writeLock
          }
        } finally {
          writing = false;
          if (charged > 0) {
            unsentReplies = 0;
            replies.adjust(-charged);
          }
        }
      }
    } catch (IOException e) {
      RateLimitedLog.debugOneLine(LOG, "closing {}: cannot write a reply: {}", remote, e.toString());
      close();
    } finally {
      reply.release();
    }
  }

  @Override
  public void callDone() {
    int left = inFlight.decrementAndGet();
    if (linger.callEnded(left) || waitingForSlot || left == 0 && inputShut) {
      LockSupport.unpark(thread);
    }
    state.callFinished();
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

  /** No call in flight and no reply being written: every reply is with the kernel. */
  @Override
  public boolean evictable() {
    return inFlight.get() == 0 && !writing;
  }

  /** No call in flight but the one whose reply is being written (under a direct executor). */
  @Override
  public boolean onlyRepliesUntaken() {
    return inFlight.get() == (writing ? 1 : 0);
  }

  @Override
  public long unsentReplies() {
    return unsentReplies;
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
   * Once the server drains: closed now if it has no call in flight; else closed, lingering, when
   * its last call ends, and meanwhile if its peer stops taking a reply being written ({@link
   * StalledWriteClose}).
   */
  void closeIfIdle() {
    linger.drainBegan(() -> StalledWriteClose.watch(this, timers, linger.period()));
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
    return writing;
  }

  @Override
  public long written() {
    return written;
  }

  /** Closes the socket, which wakes the thread from its read; it then ends. */
  @Override
  public void close() {
    BlockingTcpListener.closeQuietly(socket);
    LockSupport.unpark(thread); // if waiting for a budget
  }
}
