package org.onyxrpc.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.TooLongFrameException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
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
final class BlockingTcpConnection implements ReplySink {
  private static final Logger LOG = LoggerFactory.getLogger(BlockingTcpConnection.class);
  static final String THREAD_PREFIX = "onyx-server-tcp-";
  /** Malformed streams, across all connections: a peer can open them as fast as it likes. */
  private static final RateLimitedLog MALFORMED = new RateLimitedLog(RateLimitedLog.DEFAULT_INTERVAL);
  /** The least room a read is given: a call and its record mark, most often. */
  private static final int READ_BYTES = 16 * 1024;

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
  private final AtomicInteger inFlight = new AtomicInteger(); // callDone may come from another thread
  private ByteBuf cumulation; // the bytes read and not yet taken by the assembler
  private final RecordClock clock;
  private final ScheduledExecutorService timers;
  private ScheduledFuture<?> timer;
  // The thread runs a procedure (the server, not the peer, holds the next record up), or writes
  // a reply (not idle while the peer has not taken it): read by the timer.
  private volatile boolean processing;
  private volatile boolean writing;

  /**
   * {@code timers}: where the connection's {@link RecordClock} is checked, shared by every
   * connection (the server's event loops), so that a record too slow or a quiet too long closes
   * the socket, which wakes the thread from its read, with no thread per timer.
   */
  BlockingTcpConnection(SocketChannel socket, ServerConfig config, CallProcessor processor,
      ServerState state, ScheduledExecutorService timers, Consumer<BlockingTcpConnection> onEnd)
      throws IOException {
    this.socket = socket;
    this.remote = (InetSocketAddress) socket.getRemoteAddress();
    this.client = ClientAddress.of(remote);
    this.assembler = new RecordAssembler(config.maxRecordBytes(), config.maxFragmentsPerRecord());
    this.processor = processor;
    this.state = state;
    this.onEnd = onEnd;
    this.clock = new RecordClock(config);
    this.timers = timers;
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
    if (clock.expired(System.nanoTime(), remote, processing, writing, inFlight.get() == 0)) {
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
      // The calls read before it were answered as they came; the stream cannot be resynchronised.
      MALFORMED.warn(LOG, "closing {}: {}", remote, e.getMessage());
    } catch (RuntimeException | Error e) {
      MALFORMED.warn(LOG, "closing {}: {}", remote, e.toString());
    } finally {
      close();
      timer.cancel(false);
      watchers.close();
      assembler.release();
      if (cumulation != null) {
        cumulation.release();
        cumulation = null;
      }
      onEnd.accept(this);
    }
  }

  private void readUntilClosed() throws IOException {
    while (true) {
      prepareRead();
      ByteBuffer room = cumulation.nioBuffer(cumulation.writerIndex(), cumulation.writableBytes());
      int read = socket.read(room);
      if (read < 0) {
        return; // the peer shut its side: every call it sent is answered by now
      }
      cumulation.writerIndex(cumulation.writerIndex() + read);
      clock.read(System.nanoTime(), read);
      assembler.decode(cumulation, alloc, handler);
      if (!assembler.midRecord() && !cumulation.isReadable()) {
        clock.recordEnded();
      }
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
    inFlight.incrementAndGet();
    state.callStarted();
    boolean handedOver = false;
    processing = true;
    try {
      handedOver = processor.process(record, this, null);
    } finally {
      processing = false;
      if (!handedOver) { // otherwise callDone() gives the slot back
        inFlight.decrementAndGet();
        state.callFinished();
      }
    }
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
        try {
          ByteBuffer[] buffers = reply.nioBuffers();
          long left = reply.readableBytes();
          while (left > 0) {
            left -= socket.write(buffers);
          }
        } finally {
          writing = false;
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
    inFlight.decrementAndGet();
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

  /** Closes the connection now if it has no call in flight (the server drains). */
  void closeIfIdle() {
    if (inFlight.get() == 0) {
      close();
    }
  }

  /** Closes the socket, which wakes the thread from its read; it then ends. */
  void close() {
    BlockingTcpListener.closeQuietly(socket);
  }
}
