package org.onyxrpc.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.onyxrpc.internal.transport.PollBeforeWait;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving side of a caller-runs UDP socket, used only by whoever holds its {@link
 * ReadTurn}: waits for datagrams in its own selector, reads each straight into one buffer and
 * dispatches it as a reply. The socket is connected, so the kernel drops datagrams from any
 * other address.
 */
final class DatagramReader implements TurnReader, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DatagramReader.class);
  private static final Consumer<SelectionKey> READY = key -> {};
  /** What a datagram handed to a busy owner costs beyond its bytes: its buffer, task and node. */
  private static final int HANDED_OVER_OVERHEAD_BYTES = 128;
  /**
   * Most datagrams one turn reads. The background reader is one thread for every caller-runs
   * socket of the process, and a leader has a deadline: a server that keeps this socket from
   * emptying (datagrams sent as fast as they are read) must not keep either here. What is left
   * is read at the next turn: the background reader's selector, or the leader's next look.
   */
  static final int MAX_DATAGRAMS_PER_TURN = 64;

  private final ConnectionSetup setup;
  private final DatagramChannel channel;
  private final Selector readable;
  private final PollBeforeWait<PendingCall<?, ?>> poll;
  /**
   * Room for the largest reply accepted and one byte more: the kernel cuts a longer datagram to
   * the buffer without a word, so one that fills it is too long ({@link
   * ReplyReader#datagramTooLong}). Unpooled: it lives as long as the socket and keeps one NIO
   * view for every read.
   */
  private ByteBuf in;
  private final int maxDatagramBytes;
  private final long maxHandedOverBytes;
  /** Bytes of datagrams handed to a busy owner that it has not taken yet, charges included. */
  private final AtomicLong handedOver = new AtomicLong();

  /**
   * A leader looks for datagrams for up to {@code pollNanos} before it sleeps ({@link
   * PollBeforeWait}).
   */
  DatagramReader(ConnectionSetup setup, DatagramChannel channel, int maxDatagramBytes,
      long maxHandedOverBytes, long pollNanos) throws IOException {
    this.setup = setup;
    this.maxHandedOverBytes = maxHandedOverBytes;
    this.channel = channel;
    this.readable = Selector.open();
    channel.register(readable, SelectionKey.OP_READ);
    // A call done meanwhile (another thread read its reply) ends the look as a datagram does.
    this.poll = new PollBeforeWait<>(pollNanos, call -> readQueued(call) > 0 || call.isDone());
    this.maxDatagramBytes = maxDatagramBytes;
    this.in = UnpooledByteBufAllocator.DEFAULT.directBuffer(maxDatagramBytes + 1, maxDatagramBytes + 1);
  }

  /**
   * Reads and dispatches datagrams until {@code call} is done, none is left or it has read {@link
   * #MAX_DATAGRAMS_PER_TURN}; if none was queued, waits up to {@code waitNanos} for one (looking
   * first, {@link PollBeforeWait}) and reads again so. A leader whose reply is in stops there
   * (one whose deadline passes looks at it between turns), and the datagrams still queued are
   * read by whoever takes the turn next.
   *
   * <p>It reads before it waits, as the JDK's datagram socket with a timeout does: a reply that
   * came in while the call was being sent (the server ran meanwhile, on this CPU or another) is
   * taken without an {@code epoll_wait}, which waiting first always made. A read that finds
   * nothing costs a {@code recvfrom} while the server still works on the call.
   */
  @Override
  public void readOnce(long waitNanos, PendingCall<?, ?> call) throws IOException {
    if (readQueued(call) > 0 || call.isDone()) {
      return;
    }
    if (poll.arrived(waitNanos, call)) {
      return; // what came is read, or the call is done
    }
    if (readable.select(READY, millis(waitNanos)) > 0) {
      readQueued(call);
    }
  }

  /** Reads until {@code call} is done, none is left or a turn's share is read; how many it read. */
  private int readQueued(PendingCall<?, ?> call) throws IOException {
    int read = 0;
    while (read < MAX_DATAGRAMS_PER_TURN && !call.isDone() && readOne()) {
      read++; // each reply completes its own call, whoever waits for it
    }
    return read;
  }

  /** Reads and dispatches the datagrams already queued, at most a turn's share, without waiting. */
  @Override
  public void readAvailable() throws IOException {
    for (int i = 0; i < MAX_DATAGRAMS_PER_TURN && readOne(); i++) {
      // until the socket is empty, or this turn has read its share
    }
  }

  /** Reads one datagram if there is one; false if none was queued. */
  private boolean readOne() throws IOException {
    in.clear();
    int n = in.writeBytes(channel, in.writableBytes());
    if (n <= 0) {
      return false;
    }
    if (n > maxDatagramBytes) {
      ReplyReader.datagramTooLong(setup, in);
    } else if (!ReplyReader.dispatchIfOwnerFree(setup, in)) {
      handOver(in);
    }
    return true;
  }

  /**
   * The owner is busy (a reply's callback taking its time, say): it gets a copy of just this
   * datagram, to complete its call later. Those it has not taken yet hold at most {@code
   * maxHandedOverBytes}, each charged its objects too; past that a datagram is dropped, as the
   * socket's full receive buffer drops one, and its call is sent again or times out. Before,
   * each was kept in a buffer of maxDatagramBytes of its own, a server's 4-byte datagrams 64
   * KiB each, for as long as the owner was busy.
   */
  private void handOver(ByteBuf datagram) {
    int charge = datagram.readableBytes() + HANDED_OVER_OVERHEAD_BYTES;
    if (handedOver.addAndGet(charge) > maxHandedOverBytes) {
      handedOver.addAndGet(-charge);
      LOG.debug("dropping a datagram from {}: {} bytes wait for a busy owner already",
          setup.peer(), maxHandedOverBytes);
      return;
    }
    ReplyReader.dispatchLater(setup, Unpooled.copiedBuffer(datagram),
        () -> handedOver.addAndGet(-charge));
  }

  /** Ends a wait for bytes in progress, or makes the next one return at once. */
  @Override
  public void wakeup() {
    readable.wakeup();
  }

  private static long millis(long nanos) {
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999));
  }

  /** Frees the buffer; only by the turn's holder, once the socket is closed. */
  @Override
  public void freeBuffers() {
    if (in != null) {
      in.release();
      in = null;
    }
  }

  @Override
  public void close() throws IOException {
    readable.close();
  }
}
