package org.onyxrpc.mq;

/**
 * A queue operation failed as POSIX would have it fail: {@link #error()} is the errno, the
 * message says which queue and why. Nothing the operation would have changed was changed.
 * (Failures of the call itself, a server that cannot be reached, say, are
 * {@link org.onyxrpc.rpc.RpcException}s.)
 */
public final class MessageQueueException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final MqError error;

  /** A failure with its errno and a message for people. */
  public MessageQueueException(MqError error, String message) {
    super(error + ": " + message);
    this.error = error;
  }

  /** The errno POSIX gives this failure. */
  public MqError error() {
    return error;
  }
}
