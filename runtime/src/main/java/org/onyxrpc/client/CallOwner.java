package org.onyxrpc.client;

/**
 * The one owner of a client's call state: its table of outstanding calls, their timers and
 * retransmissions, and the tag probe. Only code running "on the owner" touches that state, so it
 * needs no lock and no atomic field; other threads hand their work to it ({@link #execute}),
 * which never makes them wait.
 *
 * <p>With {@link IoStrategy#EVENT_LOOP} the owner is the connection's event loop ({@link
 * EventLoopOwner}). With {@link IoStrategy#CALLER_RUNS} there is no thread of its own: whichever
 * thread has work for it and finds it free owns it for that while, and runs the work others
 * left meanwhile before it lets go ({@link DrainingOwner}), so a sync caller admits, writes and
 * completes its own call without a thread hand-off.
 */
interface CallOwner {
  /** Whether the current thread is the owner now. */
  boolean isOwner();

  /**
   * Whether a sync call made on the current thread would wait for itself: on an event-loop
   * owner's own loop, which must read the reply the call waits for. A draining owner's thread
   * reads the replies as it waits.
   */
  default boolean waitWouldBlockItself() {
    return false;
  }

  /**
   * Becomes the owner if nobody is, or stays it: true if so, and then {@link #exit} must follow.
   * For hot paths that must not allocate a task; false means another thread owns, and the work
   * is to be handed over with {@link #execute}.
   */
  boolean tryEnter();

  /** Ends what {@link #tryEnter} began, running whatever other threads left meanwhile. */
  void exit();

  /**
   * Runs {@code task} on the owner: on this thread now if it may own, otherwise later on the
   * thread that owns. Never waits. Tasks handed over by one thread run in the order given, and
   * after every task handed over before this thread became the owner.
   */
  void execute(Runnable task);

  /**
   * If this thread owns now, runs the tasks other threads left meanwhile; else does nothing. A
   * thread that must wait while it owns (a sync call made by code the owner runs, such as a
   * reply's callback) runs them as it waits: nobody else may, and its own reply may be one.
   */
  void runLeft();
}
