package org.onyxrpc.client;

/**
 * Which threads do a client's socket I/O, over TCP and UDP. Both multiplex any number of sync
 * and async calls on one connection; they differ in who waits for the socket.
 *
 * <p>Either way a callback on an async call's future runs on the thread that completes the
 * call: the event loop, or with {@link #CALLER_RUNS} a sync caller reading for others, the
 * background thread or a timer's. One that blocks holds up every reply that thread would read
 * meanwhile, other calls' included: give slow work to an executor of your own ({@code
 * thenApplyAsync(f, executor)}).
 */
public enum IoStrategy {
  /**
   * A Netty event loop reads and writes; a sync caller hands its call to the loop and is woken
   * with the reply, looking for it a short while before it sleeps ({@link
   * RpcClientBuilder#pollBeforeWaiting}). Best when many calls are outstanding at once: calls
   * written while replies are read share one flush. The default.
   */
  EVENT_LOOP,

  /**
   * The calling thread writes its own call and, if no other thread is reading the connection,
   * reads the socket itself until its reply arrives, completing any other calls' replies it
   * reads on the way (leader/followers, as a blocking RPC client does, but with calls
   * multiplexed): a sync call costs no thread hand-off. The replies of async calls,
   * retransmissions and calls whose reader has left are read, and the bytes a full socket did
   * not take are written, by one background thread that all caller-runs clients of the process
   * share: no write waits for the socket. A caller that reads looks for its reply for a short
   * while before it sleeps for it ({@link RpcClientBuilder#pollBeforeWaiting}). Best for
   * sequential and lightly concurrent sync callers.
   *
   * <p>A connection with no call outstanding is not read: a late reply is read with the next
   * call's reply, and the server closing a connection that has been quiet (10 ms or more) is
   * noticed when the next call is about to be written, which then goes on a new connection.
   *
   * <p>Over UDP the caller sends its datagram and reads the replies of its connected socket
   * the same way, one reader at a time, and one background thread of the process reads the
   * replies nobody waits for; retransmissions are the client's, as with the event loop.
   */
  CALLER_RUNS
}
