package org.onyxrpc.mq;

/**
 * A queue operation failed as POSIX would have it fail: {@link #error()} is the errno, the
 * message says which queue and why. Nothing the operation would have changed was changed.
 * (Failures of the call itself, a server that cannot be reached, say, are
 * {@link org.onyxrpc.rpc.RpcException}s.)
 */
public final class MessageQueueException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The errno POSIX gives this failure. */
  private final MqError error;
  /** Which queue and why. */
  private final String detail;


  /**
   * A failure with its errno and a message for people.
   *
   * @param error the errno
   * @param detail which queue and why; the message is {@code error: detail}
   */
  public MessageQueueException(MqError error, String detail) {
    this(error, detail, null);
  }

  /** The same failure, raised again in the caller's thread (so its stack trace is the caller's). */
  MessageQueueException(MqError error, String detail, Throwable cause) {
    super(error + ": " + detail, cause);
    this.error = error;
    this.detail = detail;
  }

  /**
   * The message without the errno: which queue and why.
   *
   * @return the detail given
   */
  public String detail() {
    return detail;
  }

  /**
   * The errno POSIX gives this failure.
   *
   * @return the errno, never null
   */
  public MqError error() {
    return error;
  }
}
