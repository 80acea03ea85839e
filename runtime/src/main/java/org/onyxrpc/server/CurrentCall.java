package org.onyxrpc.server;

/**
 * The call whose procedure runs on this thread, for {@link CallContext#current()}: set by {@link
 * ServerMethod} around a synchronous procedure and until an asynchronous one returns its stage.
 * What was current before is put back after, so a procedure that serves another call on its own
 * thread (an in-process server with a direct executor) finds its own again; it is cleared by
 * writing the previous value, not by {@code remove}, so that a worker's entry is made once and no
 * call allocates one.
 */
final class CurrentCall {
  private static final ThreadLocal<CallContext> CURRENT = new ThreadLocal<>();

  private CurrentCall() {}

  /** This thread's call, or null. */
  static CallContext get() {
    return CURRENT.get();
  }

  /** Makes {@code context} current; returns what was, to hand to {@link #restore}. */
  static CallContext enter(CallContext context) {
    CallContext previous = CURRENT.get();
    CURRENT.set(context);
    return previous;
  }

  /** Puts back what {@link #enter} returned. */
  static void restore(CallContext previous) {
    CURRENT.set(previous);
  }
}
