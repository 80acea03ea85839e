package org.onyxrpc.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.onyxrpc.internal.SharedResource;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.xdr.XdrWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connected UDP socket whose I/O runs on the threads that use it ({@link
 * IoStrategy#CALLER_RUNS}): a caller sends its own datagram and, if no other thread is reading
 * the socket, waits for and reads the replies itself until its own is in, completing the other
 * callers' replies it reads on the way. No thread hand-off on a sync call.
 *
 * <p>One socket, read by one thread at a time ({@link LeaderFollowers}, as the TCP caller-runs
 * connection is), rather than a socket per concurrent caller: the client's calls keep one source
 * port, so a retransmission reaches the server's duplicate filter from the address its first
 * transmission came from, and a late reply to any of them lands where its call is still known; a
 * reply read by one caller is handed to its owner by xid. Replies nobody waits for (async calls,
 * a caller that left) are read by the process's {@link #BACKGROUND_READER}.
 *
 * <p>Retransmissions are the client's, as for every connection: its owner loop sends them
 * through {@link #transmit}, a non-blocking send that never waits. A datagram the kernel does not
 * take (its send buffer full) is lost as the network may lose it: the call is sent again per its
 * semantics, or times out.
 */
final class DatagramCallerRunsConnection implements Connection, BackgroundReader.Watched {
  /**
   * The background reader of every caller-runs UDP socket of the process: made when the first
   * caller-runs UDP client is built, gone when the last is closed. Not the TCP connections'
   * ({@link CallerRunsThreads}, which come with the connecting threads): a UDP client starts none
   * of those, and each kind's thread keeps its own name in thread dumps.
   */
  static final SharedResource<BackgroundReader> BACKGROUND_READER = new SharedResource<>(
      () -> new BackgroundReader("onyx-client-udp-reader"), BackgroundReader::close);
  private static final Logger LOG = LoggerFactory.getLogger(DatagramCallerRunsConnection.class);
  private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;
  /** Room for a burst of replies to concurrent callers (the kernel caps it at rmem_max). */
  private static final int RECEIVE_BUFFER_BYTES = 1 << 20;
  /** A call message's first room, as the allocator's {@code ioBuffer()}'s. */
  private static final int MESSAGE_BYTES = 256;
  /** The most a kept message buffer may have grown to: a larger one goes back to the pool. */
  private static final int KEPT_MESSAGE_BYTES = 16 * 1024;

  private final ConnectionSetup setup;
  private final DatagramChannel channel;
  private final BackgroundReader background;
  private final AtomicBoolean open = new AtomicBoolean(true);
  /** Set before the socket is given up, read by the owner once it is lost. */
  private volatile boolean nothingListens;
  private final DatagramReader reader;
  private final ReadTurn turn;
  private final LeaderFollowers reading;
  private SelectionKey backgroundKey; // the background reader's thread alone
  /**
   * The buffer the last call message went out from, kept for the next with its writer: one taken
   * from the pool and given back for every call was leak-sampled (1 in 128, with a stack trace)
   * and made an NIO view for every send, where a kept one keeps its own; a writer made for every
   * message was 24 of the bytes a call allocated. A plain {@link XdrWriter} writes to the buffer
   * it was made with and keeps nothing else. One caller at a time has them; callers at the same
   * time take buffers from the pool as before.
   */
  private final AtomicReference<XdrWriter> spareMessage = new AtomicReference<>();

  private DatagramCallerRunsConnection(ConnectionSetup setup, DatagramChannel channel,
      int maxDatagramBytes, long pollNanos, BackgroundReader background) throws IOException {
    this.setup = setup;
    this.channel = channel;
    this.background = background;
    // A busy owner holds back no more than the socket's own buffer may.
    this.reader = new DatagramReader(setup, channel, maxDatagramBytes, RECEIVE_BUFFER_BYTES,
        pollNanos);
    this.turn = new ReadTurn(() -> setup.calls().size() > 0, open::get, () -> background.watch(this));
    this.reading = new LeaderFollowers(turn, setup.owner(), open::get, reader, this::lost);
  }

  /** A socket connected to {@code address}, on the calling thread: a UDP connect does not wait. */
  static CompletableFuture<Connection> connect(ConnectionSetup setup,
      BackgroundReader background, InetSocketAddress address, int maxDatagramBytes,
      long pollNanos) {
    DatagramChannel channel = null;
    try {
      channel = DatagramChannel.open();
      channel.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER_BYTES);
      channel.configureBlocking(false);
      channel.connect(CallerRunsConnection.resolved(address));
      return CompletableFuture.completedFuture(
          new DatagramCallerRunsConnection(setup, channel, maxDatagramBytes, pollNanos,
              background));
    } catch (IOException | RuntimeException e) {
      Quietly.close(channel);
      return CompletableFuture.failedFuture(CallerRunsConnection.connectFailure(e, address));
    }
  }

  @Override
  public boolean isActive() {
    return open.get();
  }

  @Override
  public boolean nothingListens() {
    return nothingListens;
  }

  @Override
  public boolean transmit(PendingCall<?, ?> call) {
    if (!open.get()) {
      return false;
    }
    XdrWriter message = encode(call);
    if (message == null) {
      return true;
    }
    call.wentOutOn(this);
    boolean left;
    try {
      left = send(channel, message.buffer()) > 0;
    } catch (IOException e) {
      // As the event-loop client does: the socket is closed (an ICMP port unreachable, say), and
      // the calls on it end or go again on a new one.
      if (!call.expectReply) {
        call.fail(RpcStatus.UNAVAILABLE, "cannot send " + call.procedure.describe() + " to "
            + setup.peer(), e);
      }
      lost(e);
      return true;
    } finally {
      keepOrRelease(message);
    }
    if (!call.expectReply) {
      if (left) {
        call.settle(null);
      } else {
        call.fail(RpcStatus.UNAVAILABLE, "cannot send " + call.procedure.describe() + " to "
            + setup.peer() + ": the socket's send buffer is full", null);
      }
    } else {
      if (!left) {
        LOG.debug("{} to {}: the socket's send buffer is full; the datagram is lost",
            call.procedure.describe(), setup.peer());
      }
      if (call.waiter != Thread.currentThread()) {
        turn.readerWanted(); // nobody may be reading for it
      }
    }
    return true;
  }

  /**
   * Sends {@code message}'s readable bytes from the buffer's own internal NIO buffer, which a
   * kept message buffer keeps from call to call. {@code ByteBuf.readBytes(channel, n)} made a
   * duplicate of the pooled buffer's NIO buffer for every datagram (a third of the 176 bytes
   * the client allocated a call). Only the sending caller holds {@code message}; its reader index stays where it was.
   *
   * @return the bytes the kernel took: all of them, or none if its send buffer is full
   */
  static int send(DatagramChannel channel, ByteBuf message) throws IOException {
    int length = message.readableBytes();
    return channel.write(message.nioBufferCount() == 1
        ? message.internalNioBuffer(message.readerIndex(), length) : message.nioBuffer());
  }

  /**
   * {@code call}'s message in its writer, the kept one if no other caller has it; null if not
   * sent.
   */
  private XdrWriter encode(PendingCall<?, ?> call) {
    XdrWriter out = spareMessage.getAndSet(null);
    if (out != null) {
      out.buffer().clear();
    } else {
      out = new XdrWriter(ALLOC.directBuffer(MESSAGE_BYTES));
    }
    boolean encoded = false;
    try {
      encoded = CallWriter.encode(setup, call, out);
    } finally {
      if (!encoded) {
        keepOrRelease(out);
      }
    }
    return encoded ? out : null;
  }

  /** Keeps {@code message}, a plain writer and its buffer, for the next call's, or releases it. */
  private void keepOrRelease(XdrWriter message) {
    if (message.buffer().capacity() > KEPT_MESSAGE_BYTES
        || !spareMessage.compareAndSet(null, message)) {
      message.buffer().release();
    } else if (!open.get()) {
      releaseSpare(); // closed meanwhile: lost() may have looked before it was kept
    }
  }

  private void releaseSpare() {
    XdrWriter kept = spareMessage.getAndSet(null);
    if (kept != null) {
      kept.buffer().release();
    }
  }

  @Override
  public void wake(Thread waiter) {
    reading.wake(waiter);
  }

  @Override
  public void await(PendingCall<?, ?> call, long deadlineNanos, long leftNanos) {
    reading.await(call, deadlineNanos, leftNanos);
  }

  /** On the background reader's thread: watches the socket for a datagram. */
  @Override
  public void armBackgroundRead(Selector selector) {
    if (!open.get()) {
      return;
    }
    try {
      if (backgroundKey == null) {
        backgroundKey = channel.register(selector, SelectionKey.OP_READ, this);
      } else if (backgroundKey.isValid()) {
        backgroundKey.interestOps(SelectionKey.OP_READ);
      }
    } catch (IOException | RuntimeException e) {
      lost(e);
    }
  }

  /** On the background reader's thread, once a datagram arrived: reads unless a caller leads. */
  @Override
  public void onReady(SelectionKey key) {
    if (key.isValid()) {
      key.interestOps(0); // until asked again, when calls remain and no caller leads
    }
    turn.readerStarted();
    reading.readAvailable(); // a caller that leads hands on when it stops
  }

  private void lost(Throwable cause) {
    if (open.compareAndSet(true, false)) {
      if (PortUnreachable.is(cause)) {
        nothingListens = true; // the calls' failures say so, once each
        LOG.debug("closing the UDP socket to {}: {}", setup.peer(), cause.toString());
      } else if (cause != null) {
        LOG.info("closing the UDP socket to {}: {}", setup.peer(), cause.toString());
      }
      Quietly.close(channel);
      Quietly.close(reader);
      setup.onLost().accept(this);
      turn.wakeAll();
    }
    reading.freeBuffers();
    releaseSpare();
  }

  @Override
  public void close() {
    lost(null);
  }
}
