package org.onyxrpc.client;

import java.util.concurrent.locks.LockSupport;

/** One connection (TCP) or connected socket (UDP) to the server, however its I/O is done. */
interface Connection {
  /**
   * Encodes and writes one transmission of {@code call}. Returns false, having written nothing,
   * if the connection is closed; a call that cannot be encoded is failed and removed.
   */
  boolean transmit(PendingCall<?, ?> call);

  /**
   * How a sync caller waits on this connection: returns when {@code call} may be done, its
   * deadline has passed, or the thread is interrupted. The caller checks which, and waits again.
   * {@code leftNanos} is {@code deadlineNanos} less now, as the caller has just read the clock,
   * so that the wait need not read it again.
   */
  void await(PendingCall<?, ?> call, long deadlineNanos, long leftNanos);

  /**
   * Wakes {@code waiter}, a sync caller whose call another thread has just completed: parked, or,
   * on a caller-runs connection, perhaps waiting for bytes as the reader.
   */
  default void wake(Thread waiter) {
    LockSupport.unpark(waiter);
  }

  /**
   * Why the server refused this connection before reading any call on it (a TLS alert about the
   * client's certificate, say), once it is lost; null if it did not.
   */
  default String refusal() {
    return null;
  }

  /**
   * Whether, once lost, the connection was lost because nothing listens at the server's address:
   * a UDP socket told so by an ICMP port unreachable. The server is not there to answer a later
   * transmission either, so the calls that wait on it need not wait for their deadlines.
   */
  default boolean nothingListens() {
    return false;
  }

  /**
   * Why the client closed this connection, once lost: what it found wrong (a reply over the
   * record limit, a reset); null if the server closed it, or the client was closed.
   */
  default String lostBecause() {
    return null;
  }

  /**
   * Whether calls on this connection go inside TLS, and whether this client sent a certificate in
   * its handshake: what a refusal's message (AUTH_TOOWEAK) takes into account.
   */
  default boolean tls() {
    return false;
  }

  /** Over TLS ({@link #tls}), whether this client sent a certificate in the handshake. */
  default boolean sentCertificate() {
    return false;
  }

  /**
   * Once it is lost: whether none of {@code call}'s bytes reached the socket, its one
   * transmission having gone out on this connection; then it cannot have run. False when not
   * known.
   */
  default boolean neverLeft(PendingCall<?, ?> call) {
    return false;
  }

  /** Whether calls can still be written. */
  boolean isActive();

  /** Closes the connection; the client's loss handler runs once. */
  void close();
}
