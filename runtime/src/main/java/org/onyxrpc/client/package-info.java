/**
 * The ONC RPC client: {@link org.onyxrpc.client.RpcClient}, its builder, per-call options and
 * the two I/O strategies.
 *
 * <h2>Ownership: who touches a client's state</h2>
 *
 * <p>A client has one owner, a serial executor (internal {@code CallOwner}). Only code running
 * on it touches the table of outstanding calls ({@code OutstandingCalls}), each call's
 * transmission and timer state ({@code CallTransmitter}, {@code PendingCall}, {@code
 * CallArming}), the tag probe ({@code TagProbe}), the connector and, with {@code CALLER_RUNS}, the socket's writing side ({@code
 * SocketWriter}). None of these holds a lock or an atomic field; other threads hand their work
 * to the owner, which never makes them wait:
 *
 * <ul>
 *   <li>{@link org.onyxrpc.client.IoStrategy#EVENT_LOOP} (and every Unix-domain or in-process
 *       client): the owner is the event loop of the client's connections. A caller hands its
 *       new call to the loop, which admits, encodes, writes and, when its reply is read on the
 *       same loop, completes it.
 *   <li>{@link org.onyxrpc.client.IoStrategy#CALLER_RUNS}: the owner has no thread of its own
 *       (internal {@code DrainingOwner}). Whichever thread has work for it and finds it free
 *       owns it for that while: a sync caller admits and writes its own call, and the thread
 *       that reads a batch of replies completes them, with no hand-off. A thread that finds it
 *       owned queues its work and goes on; the holder runs the queue before it lets go. Nothing
 *       done while owning waits: the socket writer never does, and a caller waiting for its
 *       reply reads the socket without owning.
 * </ul>
 *
 * <p>Timers fire on the shared timer thread, which only hands the call to the owner. A sync call
 * sent once has no timer at all: its caller's timed wait is its deadline, and at the deadline
 * the caller asks the owner to expire it.
 *
 * <p>What is shared outside the owner is small and named: the caller-runs read turn ({@code
 * ReadTurn}, taken and waited for through {@code LeaderFollowers}: one reader at a time, and
 * whoever stops reading hands the turn on), a connection's open flag, the requests to the
 * background reader, the count of calls outstanding (written by the owner, read by whoever decides whether a reader is wanted), and
 * the counters behind {@link org.onyxrpc.client.RpcClient#stats()}.
 */
package org.onyxrpc.client;
