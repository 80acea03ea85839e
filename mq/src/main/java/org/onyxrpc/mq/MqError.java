package org.onyxrpc.mq;

/**
 * Why a queue operation failed, named after the errno POSIX gives the same failure
 * ({@code mq_open(3)}, {@code mq_send(3)}, {@code mq_receive(3)}, {@code mq_notify(3)}).
 */
public enum MqError {
  /** No queue of that name, and {@code O_CREAT} not given. */
  ENOENT,
  /** Not an open handle of this caller, or not open for this direction (read or write). */
  EBADF,
  /**
   * Non-blocking: the queue is full (send) or empty (receive); or too many calls wait already, or
   * waiting sends hold as many bytes as the caller's network address (or the server) may.
   */
  EAGAIN,
  /** The caller's identity lacks the permission bits the access needs. */
  EACCES,
  /** Another handle already holds the queue's arrival notification. */
  EBUSY,
  /** {@code O_CREAT | O_EXCL} and the name exists. */
  EEXIST,
  /** A priority out of range, attributes beyond the server's limits, a malformed name. */
  EINVAL,
  /** The server hosts as many queues, or as much capacity, as it may. */
  ENOSPC,
  /** The server holds as many open handles, of all clients together, as it may. */
  ENFILE,
  /**
   * The caller's network address holds as many open handles, or has created as many queues (or
   * as much capacity), as one client may.
   */
  EMFILE,
  /** The name is longer than 255 bytes. */
  ENAMETOOLONG,
  /**
   * A durable queue's log could not be written; the operation did not happen. Also a receive's
   * when the server handed out a message the queue cannot hold (longer than its message size, a
   * priority out of range): the message was left in the queue.
   */
  EIO,
  /** The message is longer than the queue's message size (nothing is truncated). */
  EMSGSIZE,
  /** The deadline passed before the queue could take or give a message. */
  ETIMEDOUT,
  /** The waiting call was withdrawn. */
  ECANCELED
}
