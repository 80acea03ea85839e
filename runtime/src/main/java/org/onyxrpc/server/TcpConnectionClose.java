package org.onyxrpc.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.DuplexChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.onyxrpc.internal.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a {@link TcpConnection} closes, on its event loop: once its peer takes no more input and
 * every call it sent is answered, behind the replies; after a malformed stream, once the calls
 * read before it are answered or {@code closeTimeout} ends; and for the server's shutdown, behind
 * its replies once the drain and its grace are over ({@link ServerDrain}). Where bytes may be
 * left unread (garbage after the calls, calls sent to a draining server), the close lingers
 * ({@link LingeringClose}). The flags the connection reads per call (input shut, lingering,
 * shut down) stay in the connection, so that its reads of them cost nothing more.
 */
final class TcpConnectionClose {
  private static final Logger LOG = LoggerFactory.getLogger(TcpConnection.class);

  private final TcpConnection connection;
  private final Duration closeTimeout;
  private Channel channel; // from channelActive
  private BatchedReplies replies; // from channelActive
  // The peer sent what is not read (garbage after its calls): the close lingers (LingeringClose).
  private boolean lingerAtClose;
  private boolean closing; // the close has begun: it is not begun again

  /**
   * {@code closeTimeout}: how long a connection closing for a malformed stream waits for the
   * calls read before it.
   */
  TcpConnectionClose(TcpConnection connection, Duration closeTimeout) {
    this.connection = connection;
    this.closeTimeout = closeTimeout;
  }

  /** The connection is active: its channel, and the replies written before the close. */
  void active(Channel channel, BatchedReplies replies) {
    this.channel = channel;
    this.replies = replies;
  }

  /**
   * On the event loop, once the server's drain is over (its calls are done): closed behind its
   * replies once they are written, not at once, which would throw away what its peer had not yet
   * taken of them (most of a large reply to a slow reader), and the peer's call that ran would end
   * unanswered. The close lingers ({@link LingeringClose}): what the peer sent during the drain,
   * and sends now, is read and dropped, as a close over unread bytes makes the kernel answer with
   * a reset that loses the replies the peer has not read (over a Unix-domain socket, the reply of
   * a call in flight when calls were sent behind it). A peer that stops taking its replies is
   * closed without them ({@link StalledPeerClose}), and the server closes what is left when its
   * shutdown timeout ends.
   */
  void closeBehindRepliesForShutdown() {
    // Records still waiting (for a peer that leaves replies untaken) are refused as it reads.
    if (connection.callsInFlight()) {
      channel.close(); // a call not done in time: closed now, as the shutdown says
      return;
    }
    connection.drainOver();
    lingerAtClose = true;
    connection.updateReading();
    closeIfAnswered();
    StalledPeerClose.watch(channel, lingerBound());
  }

  /**
   * Once a peer that takes no more input has every reply: closed after they are written. A
   * half-closed peer's bytes were all read (it ended them), so a plain close is clean; after
   * garbage, bytes may be left unread, and the close lingers.
   */
  void closeIfAnswered() {
    if (connection.inputShut() && !closing && !connection.holdsCalls() && channel.isActive()) {
      closing = true;
      replies.writeBeforeClose();
      ChannelFuture written = channel.writeAndFlush(Unpooled.EMPTY_BUFFER);
      if (lingerAtClose && channel instanceof DuplexChannel duplex) {
        Duration linger = lingerBound();
        LingeringClose.afterReplies(written, duplex, connection.tlsInPlace(), linger,
            connection::startLingering);
      } else {
        written.addListener(ChannelFutureListener.CLOSE);
      }
    }
  }

  /** No longer than the calls were waited for: a short shutdown timeout keeps it short too. */
  private Duration lingerBound() {
    return LingeringClose.bound(closeTimeout);
  }

  /**
   * After a malformed stream: the calls read before it (often in the same read, pipelined by a
   * client that then sent garbage) are answered, as after a half-close, and then the connection
   * is closed, lingering ({@link LingeringClose}); nothing more is decoded. A call not done
   * within {@link #closeTimeout} is not waited for.
   */
  void closeAfterCallsRead() {
    if (connection.inputShut()) {
      return;
    }
    connection.shutInput();
    lingerAtClose = true;
    connection.updateReading();
    if (connection.holdsCalls()) {
      channel.eventLoop().schedule(() -> {
        // lingering: LingeringClose has its own deadline
        if (channel.isActive() && !connection.lingering()) {
          RateLimitedLog.debugOneLine(LOG,
              "closing {}: its calls were not done {} after its malformed stream",
              channel.remoteAddress(), closeTimeout);
          channel.close();
        }
      }, closeTimeout.toNanos(), TimeUnit.NANOSECONDS);
    }
    closeIfAnswered();
  }
}
