package org.onyxrpc.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.onyxrpc.internal.transport.PollBeforeWait;
import org.onyxrpc.xdr.XdrWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One UDP socket of the server's {@link UdpEndpoint} with a thread of its own ({@link
 * UdpIo#DEDICATED_THREAD}): the thread receives each datagram, copies it out of its one receive
 * buffer and hands it to the port; replies leave through this socket from whichever thread made
 * them (a JDK datagram channel takes sends from any thread, beside the receive). Closing the
 * socket ends the thread.
 *
 * <p>With a direct executor the socket blocks: one recvfrom(2) per datagram, and the reply, made
 * on this thread, waits for room in a full send buffer, holding this socket alone; a reply made
 * on another thread (an asynchronous procedure's) waits in {@link OffThreadUdpReplies}. With an
 * executor the replies are sent by the server's workers, TCP's too, and one waiting for room
 * held a worker (for seconds, behind replies to forged sources that never answer ARP): there the
 * socket is non-blocking, a reply that meets a full send buffer is dropped and counted, as on an
 * event-loop socket (a UDP client retransmits), and the thread waits for datagrams in a selector
 * of its own when none is ready, so a datagram costs a recvfrom(2) while they keep coming and an
 * epoll_wait(2) more after a lull.
 *
 * <p>A datagram's copy and the reply made on this thread go into two buffers the socket keeps
 * ({@link SpareBuffer}) whenever nothing else holds them, rather than a pair taken from the
 * allocator and given back for every call: that pair was most of what the thread did per call
 * beside its two system calls, and with busy CPUs a call's latency is the sum of both ends' work.
 *
 * <p>Before it sleeps for the next datagram the thread looks for one for a short while ({@link
 * RpcServerBuilder#pollBeforeWaiting}, {@link PollBeforeWait}): a client calling back to back
 * sends its next call microseconds after it read the reply, and a datagram read by a look costs
 * the thread no wake-up. A look is a non-blocking receive, so a blocking socket is made
 * non-blocking for its looks and blocking again before it sleeps (two {@code fcntl} calls each
 * way, only when a look ends with nothing or after a sleep); a reply that meets a full send
 * buffer meanwhile is sent blocking all the same, as the class promises, by this thread after
 * it makes the socket blocking again and by the sending thread of other threads' replies in
 * tries {@link #ROOM_RETRY_NANOS} apart until the socket blocks.
 */
final class BlockingUdpSocket implements UdpEndpoint.Replies {
  private static final Logger LOG = LoggerFactory.getLogger(BlockingUdpSocket.class);
  /**
   * How long the sending thread of a blocking socket waits between tries to send a reply that met
   * a full send buffer while the socket was non-blocking for a look.
   */
  static final long ROOM_RETRY_NANOS = 1_000_000;

  private final UdpEndpoint endpoint;
  private final DatagramChannel channel;
  private final InetSocketAddress local;
  private final ByteBufAllocator alloc;
  private final Send sends;
  /** Where the thread waits for a datagram on a non-blocking socket; null: the socket blocks. */
  private final Selector selector;
  /** A blocking socket's replies made on other threads; null on a non-blocking socket. */
  private final OffThreadUdpReplies offThread;
  private final Thread thread;
  /** Where a datagram no larger than it is copied, on this thread; see {@link SpareBuffer}. */
  private final SpareBuffer spareCopy;
  /** Where a reply made on this thread is written; see {@link SpareBuffer}. */
  private final SpareBuffer spareReply;
  private final ThreadReplyWriter replyWriter; // the thread's
  /** The reply path of the last datagram's sender, this thread's alone. */
  private final UdpEndpoint.LastReply lastReply = new UdpEndpoint.LastReply();
  /** The thread's look for the next datagram before it sleeps. */
  private final PollBeforeWait<ByteBuffer> poll;
  /** The sender of the datagram the last look read; the thread's alone. */
  private InetSocketAddress looked;
  /** Whether the channel is non-blocking: always with an executor, for looks otherwise. */
  private boolean nonBlocking; // the thread's alone
  /** Datagrams read by a look rather than after a sleep, for tests. */
  private volatile long readByLooks; // written by the thread alone

  /** How a reply datagram leaves: {@link DatagramChannel#send}, or a test's stand-in for it. */
  interface Send {
    /** Sends {@code datagram} on {@code channel} to {@code to}; 0 if it was not sent (no room). */
    int send(DatagramChannel channel, ByteBuffer datagram, InetSocketAddress to) throws IOException;
  }

  private BlockingUdpSocket(UdpEndpoint endpoint, DatagramChannel channel, ByteBufAllocator alloc,
      Send sends, long pollNanos) throws IOException {
    this.endpoint = endpoint;
    this.channel = channel;
    this.alloc = alloc;
    this.sends = sends;
    this.local = (InetSocketAddress) channel.getLocalAddress();
    this.spareCopy = new SpareBuffer(alloc, SpareBuffer.COPY_BYTES, SpareBuffer.COPY_BYTES);
    this.spareReply = new SpareBuffer(alloc, SpareBuffer.REPLY_BYTES, SpareBuffer.KEPT_REPLY_BYTES);
    this.poll = new PollBeforeWait<>(pollNanos, this::look);
    if (endpoint.processor.runsInline()) {
      this.selector = null;
      this.offThread = new OffThreadUdpReplies(endpoint, this::sendNow,
          "onyx-server-udp-send-" + ListenPlaces.hostPort(local));
    } else {
      this.offThread = null;
      this.selector = Selector.open();
      try {
        channel.configureBlocking(false);
        nonBlocking = true;
        channel.register(selector, SelectionKey.OP_READ);
      } catch (IOException | RuntimeException e) {
        selector.close();
        throw e;
      }
    }
    this.thread = new Thread(this::receiveUntilClosed,
        "onyx-server-udp-" + ListenPlaces.hostPort(local));
    this.replyWriter = new ThreadReplyWriter(thread);
    thread.setDaemon(true); // as the event loops' threads are
  }

  /**
   * Binds blocking datagram sockets for {@link UdpSockets#bind}: IPv4 alone on an IPv4 address,
   * the wildcard {@code 0.0.0.0} included, so that no IPv6 datagram, whose source may be a forged
   * IPv4-mapped one, reaches a socket that could not tell it from an IPv4 one. Each socket opened
   * joins {@code opened}, for its owner to close.
   */
  static final class Opener implements UdpSockets.Binder<DatagramChannel> {
    private final List<DatagramChannel> opened;

    Opener(List<DatagramChannel> opened) {
      this.opened = opened;
    }

    @Override
    public DatagramChannel bind(InetSocketAddress address, boolean reuseAddress) throws IOException {
      ProtocolFamily family = address.getAddress() instanceof Inet4Address
          ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
      DatagramChannel channel = DatagramChannel.open(family);
      opened.add(channel);
      try {
        channel.setOption(StandardSocketOptions.SO_REUSEADDR, reuseAddress);
        channel.bind(address);
        return channel;
      } catch (IOException e) {
        channel.close();
        throw new IOException(ListenFailures.message("UDP " + ListenPlaces.hostPort(address),
            address, e), e);
      }
    }

    @Override
    public InetSocketAddress localAddress(DatagramChannel channel) {
      try {
        return (InetSocketAddress) channel.getLocalAddress();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void reuseAddress(DatagramChannel channel, boolean on) throws IOException {
      channel.setOption(StandardSocketOptions.SO_REUSEADDR, on);
    }

    @Override
    public boolean ipv4WildcardIsIpv4Only() {
      return true;
    }
  }

  /**
   * Starts serving {@code channel} for {@code endpoint} on a thread of its own, which looks for
   * the next datagram for up to {@code pollNanos} before it sleeps (zero: never looks).
   */
  static BlockingUdpSocket serve(UdpEndpoint endpoint, DatagramChannel channel, long pollNanos)
      throws IOException {
    return serve(endpoint, channel, ByteBufAllocator.DEFAULT, DatagramChannel::send, pollNanos);
  }

  /**
   * {@link #serve(UdpEndpoint, DatagramChannel, long)} with buffers from {@code alloc}, no look
   * (for tests).
   */
  static BlockingUdpSocket serve(UdpEndpoint endpoint, DatagramChannel channel,
      ByteBufAllocator alloc) throws IOException {
    return serve(endpoint, channel, alloc, DatagramChannel::send, 0);
  }

  /** The same with replies sent by {@code sends} (for tests). */
  static BlockingUdpSocket serve(UdpEndpoint endpoint, DatagramChannel channel,
      ByteBufAllocator alloc, Send sends) throws IOException {
    return serve(endpoint, channel, alloc, sends, 0);
  }

  /** The same with a look of up to {@code pollNanos} (for tests). */
  static BlockingUdpSocket serve(UdpEndpoint endpoint, DatagramChannel channel,
      ByteBufAllocator alloc, Send sends, long pollNanos) throws IOException {
    BlockingUdpSocket socket = new BlockingUdpSocket(endpoint, channel, alloc, sends, pollNanos);
    socket.thread.start();
    return socket;
  }

  InetSocketAddress localAddress() {
    return local;
  }

  private void receiveUntilClosed() {
    try {
      receiveUntilClosed(ByteBuffer.allocateDirect(endpoint.maxDatagramBytes + 1));
    } finally {
      spareCopy.release();
      spareReply.release();
      closeSelector();
    }
  }

  /** @param received one byte over the maximum, so that an oversized datagram is seen, not truncated */
  private void receiveUntilClosed(ByteBuffer received) {
    while (true) {
      received.clear();
      InetSocketAddress sender;
      try {
        sender = next(received);
        if (sender == null) { // non-blocking, and nothing had come: it has waited, and reads again
          continue;
        }
      } catch (ClosedChannelException | ClosedSelectorException e) {
        return; // closed by the server, here or while waiting
      } catch (IOException e) {
        if (!channel.isOpen()) {
          return;
        }
        endpoint.socketErrors.warn(LOG, "UDP socket error: {}", e.toString());
        continue;
      }
      received.flip();
      try {
        serve(received, sender);
      } catch (RuntimeException | Error e) {
        // The datagram's own failure, its copy's allocation (out of direct memory for a while)
        // or the port's: this one is lost and the socket serves on. An uncaught one ended the
        // thread, and the port, still bound, answered nobody until the server was restarted.
        endpoint.socketErrors.warn(LOG, "UDP datagram from {} dropped: {}", sender, e.toString());
      }
    }
  }

  /**
   * The sender of the next datagram, read into {@code received}: one that has come, else one a
   * look finds, else one slept for in a blocking receive; or, on a non-blocking socket, null
   * once the selector says one has come.
   */
  private InetSocketAddress next(ByteBuffer received) throws IOException {
    if (selector != null) {
      InetSocketAddress sender = (InetSocketAddress) channel.receive(received);
      if (sender != null) {
        return sender;
      }
      if (poll.arrived(Long.MAX_VALUE, received)) {
        readByLooks++;
        return looked;
      }
      selector.select(key -> { }); // the key's readiness is all there is to know
      return null;
    }
    if (poll.arrived(Long.MAX_VALUE, received)) {
      readByLooks++;
      return looked;
    }
    blocking(true);
    return (InetSocketAddress) channel.receive(received);
  }

  /** A look: a datagram read into {@code received} without waiting, its sender in {@link #looked}. */
  private boolean look(ByteBuffer received) throws IOException {
    blocking(false);
    looked = (InetSocketAddress) channel.receive(received);
    return looked != null;
  }

  /** Makes a socket without a selector blocking or not, on this thread. */
  private void blocking(boolean block) throws IOException {
    if (selector == null && nonBlocking == block) {
      channel.configureBlocking(block);
      nonBlocking = !block;
    }
  }

  /** Datagrams read by a look rather than after a sleep (for tests). */
  long readByLooks() {
    return readByLooks;
  }

  private void serve(ByteBuffer received, InetSocketAddress sender) {
    // The call may outlive the next receive (run on an executor, or its arguments slices of it):
    // it gets a copy of its own, the spare one when nothing holds that any more.
    ByteBuf content = spareCopy.take(received.remaining());
    if (content == null) {
      content = alloc.directBuffer(received.remaining());
    }
    endpoint.receive(content.writeBytes(received), sender, local, this, lastReply);
  }

  @Override
  public ByteBuf newReply() {
    // Replies made on other threads (an executor's, an asynchronous procedure's) never take the
    // spare: its reuse is this thread's alone.
    ByteBuf spare = Thread.currentThread() == thread ? spareReply.take(0) : null;
    return spare != null ? spare : alloc.ioBuffer();
  }

  @Override
  public XdrWriter replyWriter(ByteBuf reply) {
    return replyWriter.take(reply);
  }

  @Override
  public void replyWriterDone(XdrWriter done) {
    replyWriter.done(done);
  }

  @Override
  public void send(ByteBuf reply, InetSocketAddress to) {
    if (offThread != null && Thread.currentThread() != thread) {
      offThread.send(reply, to); // a blocking send would hold this thread, not the socket's
    } else {
      sendNow(reply, to);
    }
  }

  /** Sends {@code reply} on this thread and releases it. */
  private void sendNow(ByteBuf reply, InetSocketAddress to) {
    try {
      int length = reply.readableBytes();
      if (sends.send(channel, view(reply, length), to) == 0 && length > 0
          && !(offThread != null && sentWaitingForRoom(reply, length, to))) {
        // Only a non-blocking socket: no room, and no worker waits for it (see the class doc).
        endpoint.dropped.increment();
        endpoint.unsentReplies.warn(LOG, "UDP send buffer full: dropping a reply of {} bytes to {}",
            length, to);
      }
    } catch (ClosedChannelException e) {
      // the server is shutting down: the call's caller sees no reply, as over a closed connection
    } catch (IOException | RuntimeException e) {
      endpoint.socketErrors.warn(LOG, "cannot send a UDP reply to {}: {}", to, e.toString());
    } finally {
      reply.release();
    }
  }

  /**
   * Sends {@code reply} on a blocking socket whose send buffer was full while it was non-blocking
   * for a look, waiting for room as a blocking send does; false if it was not sent (the socket
   * closed, this thread interrupted).
   */
  private boolean sentWaitingForRoom(ByteBuf reply, int length, InetSocketAddress to)
      throws IOException {
    if (Thread.currentThread() == thread) {
      blocking(true); // it looks again after this call
      return sends.send(channel, view(reply, length), to) > 0;
    }
    // The sending thread of other threads' replies: the socket's own thread makes it blocking
    // again before it sleeps; until then, tries now and then, as a blocking send would wait.
    while (channel.isOpen() && !Thread.currentThread().isInterrupted()) {
      LockSupport.parkNanos(this, ROOM_RETRY_NANOS);
      if (sends.send(channel, view(reply, length), to) > 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * The NIO buffer to send {@code reply}'s {@code length} readable bytes from: the buffer's own
   * internal one, reused while the buffer lives (the spare reply's, from call to call), where
   * {@code nioBuffer()} made a view for every datagram. Only the sending thread holds the reply.
   */
  private static ByteBuffer view(ByteBuf reply, int length) {
    return reply.nioBufferCount() == 1 ? reply.internalNioBuffer(reply.readerIndex(), length)
        : reply.nioBuffer();
  }

  /**
   * Closes the socket, which wakes its thread from its receive; {@link #awaitEnd} waits for the
   * thread. Apart, so that a server closes all of its sockets before it waits for any thread.
   */
  void close() {
    try {
      channel.close(); // wakes the thread from a blocking receive
    } catch (IOException e) {
      LOG.debug("closing UDP {}: {}", ListenPlaces.hostPort(local), e.toString());
    }
    // Wakes it from its select, and lets a registered channel's descriptor go (the JDK closes it
    // once its key leaves the selector).
    closeSelector();
    if (offThread != null) {
      offThread.close();
    }
  }

  private void closeSelector() {
    if (selector == null) {
      return;
    }
    try {
      selector.close();
    } catch (IOException e) {
      LOG.debug("closing UDP {}'s selector: {}", ListenPlaces.hostPort(local), e.toString());
    }
  }

  /**
   * Waits until {@code deadline} ({@link System#nanoTime}) at most, and at least a millisecond,
   * for the thread to end once closed: it does not while a procedure run on it under a direct
   * executor blocks, or while that procedure's reply waits for room to be sent, and is left to end
   * on its own then.
   */
  void awaitEnd(long deadline) {
    if (offThread != null) {
      offThread.awaitEnd(deadline);
    }
    DedicatedThreads.awaitEnd(thread, deadline);
  }
}
