package org.onyxrpc.server;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.LockSupport;
import org.onyxrpc.internal.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link LingeringClose} for a socket read by a thread of its own ({@link
 * BlockingTcpConnection}), with the same bound ({@link LingeringClose#bound}): closed at once
 * over bytes it has not read, a socket makes the kernel send a reset, which throws away the
 * replies still in its send queue and makes the peer's read fail. So its output is shut (a FIN
 * after the replies the kernel holds), and its reader reads and drops what the peer still
 * sends, undecoded, until the peer closes its side or the linger ends, when the timer closes
 * the socket (which wakes the reader). It also says when the close lingers: after a malformed
 * stream, once the calls read before it are done ({@link #afterMalformed}), and at a shutdown,
 * once the drain and its grace are over ({@link #drainEnded}).
 */
final class BlockingLinger {
  private static final Logger LOG = LoggerFactory.getLogger(BlockingLinger.class);

  /** What one read of dropped bytes takes: they are not kept, so little room is needed. */
  private static final int DROP_BYTES = 8 * 1024;

  private final SocketChannel socket;
  private final Duration linger;
  private final ScheduledExecutorService timers;
  private final Runnable close;
  private final Duration closeTimeout;
  private final BooleanSupplier idle;
  private final Runnable wake;
  private final AtomicBoolean begun = new AtomicBoolean();
  private volatile boolean outputShut;
  private volatile ScheduledFuture<?> deadline;

  /**
   * {@code close} closes the connection (on {@code timers}, at the linger's end); {@code
   * closeTimeout}, the server's shutdown timeout, bounds the wait for calls and the linger;
   * {@code idle}, whether the connection has no call in flight and every reply with the kernel
   * (none queued for its writer nor being written); {@code wake} unparks its reader.
   */
  BlockingLinger(SocketChannel socket, Duration closeTimeout, ScheduledExecutorService timers,
      Runnable close, BooleanSupplier idle, Runnable wake) {
    this.socket = socket;
    this.closeTimeout = closeTimeout;
    this.linger = LingeringClose.bound(closeTimeout);
    this.timers = timers;
    this.close = close;
    this.idle = idle;
    this.wake = wake;
  }

  /** How long the close lingers, and how long a stalled reply is given at shutdown. */
  Duration period() {
    return linger;
  }

  /**
   * On the reader, after a malformed stream: waits up to the shutdown timeout for the calls in
   * flight (asynchronous procedures' under a direct executor; callDone or the close wakes it),
   * then lingers; a call not done by then is not waited for, and the connection is closed.
   */
  void afterMalformed(SocketAddress remote) {
    long end = System.nanoTime() + closeTimeout.toNanos();
    long left;
    while (!idle.getAsBoolean() && socket.isOpen() && (left = end - System.nanoTime()) > 0) {
      LockSupport.parkNanos(this, left);
    }
    if (idle.getAsBoolean() && socket.isOpen()) {
      begin();
    } else if (socket.isOpen()) {
      RateLimitedLog.debugOneLine(LOG, "closing {}: its calls were not done {} after its malformed"
          + " stream", remote, closeTimeout);
    }
  }

  /** Once the drain is over: lingers, or closes now if a call was not done in time. */
  void drainEnded() {
    if (!idle.getAsBoolean()) {
      close.run();
      return;
    }
    begin();
    wake.run(); // if waiting for a budget
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
    // Set before the shutdown, not after: the peer may read the end of stream and send again
    // before this thread runs on, and its reader must drop what comes then (not refuse it to an
    // output already shut). A refusal written this late would race the shutdown anyway.
    outputShut = true;
    try {
      socket.shutdownOutput();
    } catch (IOException e) {
      close.run();
    }
  }

  /**
   * Whether the output is shut, or being shut: nothing more can be answered, so a record read now
   * is dropped.
   * Not {@link #begun}, which comes first: a record read between the two is still refused, and
   * its refusal may yet reach the peer.
   */
  boolean outputShut() {
    return outputShut;
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
