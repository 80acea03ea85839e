package org.onyxrpc.mq;

import java.util.Objects;

/**
 * The {@code oflag}, {@code mode} and {@code attr} of {@code mq_open}, as an immutable value:
 *
 * <pre>{@code
 * OpenOptions.create(0640, QueueAttributes.of(10, 8192)).exclusive()   // O_RDWR|O_CREAT|O_EXCL
 * OpenOptions.existing().readOnly().nonBlocking()                      // O_RDONLY|O_NONBLOCK
 * }</pre>
 *
 * @param access which way the handle may be used
 * @param create {@code O_CREAT}: create the queue if the name is free
 * @param failIfExists {@code O_EXCL}: with create, fail with {@link MqError#EEXIST} if it is not
 * @param mode permission bits of a queue this open creates
 * @param attributes {@code mq_maxmsg} and {@code mq_msgsize} of a queue this open creates (null
 *     when creating: {@link QueueAttributes#DEFAULTS}, the server's defaults, as {@code mq_open}
 *     with a {@code NULL} attr)
 * @param nonBlockingHandle {@code O_NONBLOCK}
 * @param durableQueue a queue this open creates keeps its messages across a server restart
 */
public record OpenOptions(Access access, boolean create, boolean failIfExists, int mode,
    QueueAttributes attributes, boolean nonBlockingHandle, boolean durableQueue) {
  /** {@code O_RDONLY}, {@code O_WRONLY}, {@code O_RDWR}. */
  public enum Access {
    /** {@code O_RDONLY}: receive only. */
    READ_ONLY,
    /** {@code O_WRONLY}: send only. */
    WRITE_ONLY,
    /** {@code O_RDWR}: send and receive. */
    READ_WRITE
  }

  /**
   * Checks the mode; creating without attributes takes the defaults.
   *
   * @param access which way the handle may be used
   * @param create {@code O_CREAT}
   * @param failIfExists {@code O_EXCL}; only with {@code create}
   * @param mode permission bits, 0 .. 0777
   * @param attributes of a queue this open creates, or null for the defaults
   * @param nonBlockingHandle {@code O_NONBLOCK}
   * @param durableQueue whether a queue this open creates is durable
   * @throws IllegalArgumentException if {@code mode} holds more than permission bits, or
   *     {@code failIfExists} comes without {@code create}
   */
  public OpenOptions {
    Objects.requireNonNull(access, "access");
    if ((mode & ~0777) != 0) {
      throw new IllegalArgumentException("mode holds permission bits only (0 .. 0777): 0" + Integer.toOctalString(mode));
    }
    if (create && attributes == null) {
      attributes = QueueAttributes.DEFAULTS;
    }
    if (failIfExists && !create) {
      throw new IllegalArgumentException("exclusive (O_EXCL) only means something with create (O_CREAT)");
    }
  }

  /**
   * {@code O_RDWR | O_CREAT} with {@code mode} and {@code attributes}.
   *
   * @param mode permission bits, 0 .. 0777
   * @param attributes the new queue's {@code mq_maxmsg} and {@code mq_msgsize}
   * @return the options
   */
  public static OpenOptions create(int mode, QueueAttributes attributes) {
    return new OpenOptions(Access.READ_WRITE, true, false, mode, attributes, false, false);
  }

  /**
   * {@code O_RDWR | O_CREAT} with {@code mode} and the {@link QueueAttributes#DEFAULTS default
   * attributes}: 10 messages of 8,192 bytes, or the server's limits where they are lower.
   *
   * @param mode permission bits, 0 .. 0777
   * @return the options
   */
  public static OpenOptions create(int mode) {
    return create(mode, QueueAttributes.DEFAULTS);
  }

  /**
   * {@code O_RDWR}: the queue must exist.
   *
   * @return the options
   */
  public static OpenOptions existing() {
    return new OpenOptions(Access.READ_WRITE, false, false, 0, null, false, false);
  }

  /**
   * These options with {@code O_EXCL}.
   *
   * @return new options
   */
  public OpenOptions exclusive() {
    return new OpenOptions(access, create, true, mode, attributes, nonBlockingHandle, durableQueue);
  }

  /**
   * These options with {@code O_RDONLY}.
   *
   * @return new options
   */
  public OpenOptions readOnly() {
    return new OpenOptions(Access.READ_ONLY, create, failIfExists, mode, attributes, nonBlockingHandle, durableQueue);
  }

  /**
   * These options with {@code O_WRONLY}.
   *
   * @return new options
   */
  public OpenOptions writeOnly() {
    return new OpenOptions(Access.WRITE_ONLY, create, failIfExists, mode, attributes, nonBlockingHandle, durableQueue);
  }

  /**
   * These options with {@code O_NONBLOCK}.
   *
   * @return new options
   */
  public OpenOptions nonBlocking() {
    return new OpenOptions(access, create, failIfExists, mode, attributes, true, durableQueue);
  }

  /**
   * These options creating a durable queue: every acknowledged message survives a server crash.
   * A queue is durable or not from its creation: opening one that exists, with {@code create}
   * too, neither changes it nor fails. Creating one on a server without a data directory fails
   * with {@link MqError#EINVAL}.
   *
   * @return new options
   */
  public OpenOptions durable() {
    return new OpenOptions(access, create, failIfExists, mode, attributes, nonBlockingHandle, true);
  }
}
