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
  private final String detail;

  /** A failure with its errno and a message for people. */
  public MessageQueueException(MqError error, String detail) {
    this(error, detail, null);
  }

  /** The same failure, raised again in the caller's thread (so its stack trace is the caller's). */
  MessageQueueException(MqError error, String detail, Throwable cause) {
    super(error + ": " + detail, cause);
    this.error = error;
    this.detail = detail;
  }

  /** The message without the errno: which queue and why. */
  public String detail() {
    return detail;
  }

  /** The errno POSIX gives this failure. */
  public MqError error() {
    return error;
  }
}
