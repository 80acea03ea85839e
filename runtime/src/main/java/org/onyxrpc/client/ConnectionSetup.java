package org.onyxrpc.client;

import java.util.function.Consumer;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.transport.Transport;

/**
 * What a connection, of either I/O strategy, needs of its client; {@code calls} are the
 * {@code owner}'s alone, and {@code clock} is the client's (a test's manual one, or the real).
 */
record ConnectionSetup(Transport transport, String peer, CallOwner owner, CallTimer clock,
    OutstandingCalls calls,
    OpaqueAuth credential, long clientHigh, long clientLow, int maxMessageBytes,
    long maxQueuedBytes, Consumer<Connection> onLost) {

  /**
   * Whether a transmission of {@code bytes} may join {@code queued} bytes waiting to be written:
   * always to an empty queue, else only within the limit. A first transmission refused fails
   * with RESOURCE_EXHAUSTED (it was not sent); a retransmission refused waits for its next turn.
   */
  boolean mayQueue(long queued, int bytes) {
    return queued == 0 || queued + bytes <= maxQueuedBytes;
  }

  /**
   * The most bytes that may wait to be written on a TLS connection before it is given up
   * ({@link TlsQueueBound}): what {@link #mayQueue} lets the calls queue (one message, however
   * large, or up to maxQueuedBytes), with room for TLS's records and Netty's bookkeeping of them.
   */
  long mostQueuedBytesWithTls() {
    long calls = maxQueuedBytes + maxMessageBytes;
    return calls + calls / 8;
  }

  /** Settles a transmission that {@link #mayQueue} refused; releases {@code message}. */
  void refuse(PendingCall<?, ?> call, io.netty.buffer.ByteBuf message, long queued) {
    int bytes = message.readableBytes();
    message.release();
    refuse(call, bytes, queued);
  }

  /** Settles a transmission of {@code bytes} that {@link #mayQueue} refused. */
  void refuse(PendingCall<?, ?> call, int bytes, long queued) {
    if (call.sent) {
      return; // an earlier transmission went out: this one is as good as lost, and goes again
    }
    call.forget();
    call.fail(org.onyxrpc.rpc.RpcStatus.RESOURCE_EXHAUSTED, queued + " bytes already wait to be "
        + "written to " + peer + " (the server reads slowly, or not at all); not sending "
        + call.procedure.describe() + " of " + bytes + " bytes", null);
  }
}
