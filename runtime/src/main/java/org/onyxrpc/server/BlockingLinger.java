package org.onyxrpc.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link LingeringClose} for a socket read by a thread of its own ({@link
 * BlockingTcpConnection}), with the same bound ({@link LingeringClose#bound}): closed at once
 * over bytes it has not read, a socket makes the kernel send a reset, which throws away the
 * replies still in its send queue and makes the peer's read fail. So its output is shut (a FIN
 * after the replies the kernel holds), and its reader reads and drops what the peer still
 * sends, undecoded, until the peer closes its side or the linger ends, when the timer closes
 * the socket (which wakes the reader).
 */
final class BlockingLinger {
  /** What one read of dropped bytes takes: they are not kept, so little room is needed. */
  private static final int DROP_BYTES = 8 * 1024;

  private final SocketChannel socket;
  private final Duration linger;
  private final ScheduledExecutorService timers;
  private final Runnable close;
  private final AtomicBoolean begun = new AtomicBoolean();
  private volatile ScheduledFuture<?> deadline;

  /** {@code close} closes the connection (on {@code timers}, at the linger's end). */
  BlockingLinger(SocketChannel socket, Duration linger, ScheduledExecutorService timers,
      Runnable close) {
    this.socket = socket;
    this.linger = linger;
    this.timers = timers;
    this.close = close;
  }

  /** Whether the linger has begun: the reader then only drops what it reads. */
  boolean begun() {
    return begun.get();
  }

  /**
   * From any thread, once: shuts the output and starts the linger's deadline. A socket whose
   * output cannot be shut (the peer is gone) is closed: nothing is left to linger for.
   */
  void begin() {
    if (!begun.compareAndSet(false, true)) {
      return;
    }
    try {
      deadline = timers.schedule(close, linger.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      close.run(); // the timers are ending with the server: so is the connection
      return;
    }
    try {
      socket.shutdownOutput();
    } catch (IOException e) {
      close.run();
    }
  }

  /**
   * On the reader's thread, after {@link #begin}: reads and drops until the peer's end of stream
   * or the close (the deadline's, or the server's), then stops the deadline.
   */
  void dropUntilEnd() {
    ByteBuffer dropped = ByteBuffer.allocate(DROP_BYTES);
    try {
      while (socket.read(dropped) >= 0) {
        dropped.clear();
      }
    } catch (IOException e) {
      // closed by the deadline or the server, or reset by the peer: the linger is over
    } finally {
      ScheduledFuture<?> d = deadline;
      if (d != null) {
        d.cancel(false);
      }
    }
  }
}
