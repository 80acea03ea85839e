package org.onyxrpc.mq;

import static org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.COMMIT;
import static org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.RECEIVE;
import static org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.RELEASE;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.onyxrpc.client.CallOptions;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.mq.internal.wire.Message;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.Reply;
import org.onyxrpc.mq.internal.wire.Receipt;
import org.onyxrpc.mq.internal.wire.ReceiveRequest;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;

/**
 * One receive, in two steps: {@code receive} reserves a message for this call's receipt,
 * {@code commit} takes it. Until the commit is sent the call can be withdrawn, and withdrawing
 * sends {@code release}, which puts a reserved message back where it was (so does the
 * reservation's lease, if the release is lost). {@link #cancel} therefore answers true only while
 * no message has been taken for this caller, and false once the commit is on its way: the caller
 * then gets the message, unless the commit finds nothing reserved (the reservation's lease ended,
 * or its connection closed): nothing was taken, and the call ends cancelled rather than asking
 * again for a message its caller no longer wants. A wait without end is made of bounded waits,
 * each with a new receipt, so that a server that died is noticed within one attempt's deadline.
 * A reservation that lapsed before its commit is asked for again only by a wait without end or
 * while the caller's time lasts, for what is left of it: a timed or non-blocking receive that
 * asked again with its whole timeout after each lapse never ended against a server that let
 * every commit lapse, and outlived its timeout against any server whose commits came late. Any
 * receive, a wait without end too, fails with EIO at its {@link #MAX_LAPSES}th lapse (nothing
 * taken), rather than ask again as fast as such a server answers, without end.
 */
final class ReceiveCall extends CompletableFuture<ReceivedMessage> {
  /**
   * Where the call is. CANCEL_ASKED: the commit is on its way and the caller asked to cancel; a
   * commit that takes nothing then ends the call cancelled. One atomic state rather than a flag
   * beside it, so that a cancel cannot slip between the commit's answer and the next attempt.
   */
  private enum State { WAITING, COMMITTING, CANCEL_ASKED, DONE, WITHDRAWN }

  /** The runtime's statuses whose call may have run (its README's table of outcomes). */
  private static final Set<RpcStatus> MAY_HAVE_RUN = EnumSet.of(RpcStatus.TIMEOUT, RpcStatus.OUTCOME_UNKNOWN,
      RpcStatus.SYSTEM_ERR, RpcStatus.CANCELLED, RpcStatus.INTERNAL);

  /**
   * Reservations of one call that may lapse before it fails with EIO. A lapse means a commit
   * came later than the server's reservation lease (60 s by default) after the message was
   * reserved; eight in a row is a server or a network that no asking again will get through.
   */
  static final int MAX_LAPSES = 8;

  /**
   * Reservations of one call that may go back with their connection (a reset, a server that
   * crashed after it reserved) before it fails with EIO. A server puts a connection's
   * reservations back when it closes, so a commit sent on the next connection finds its message
   * gone: the network's doing, not a server that lets commits lapse, and not counted against
   * {@link #MAX_LAPSES}; this bound only keeps a server that closes every connection from being
   * asked without end.
   */
  static final int MAX_LOST_CONNECTIONS = 64;

  private final RpcClient rpc;
  private final Supplier<Receipt> receipts;
  private final long timeoutMillis;
  /** When a wait that does not repeat is over (System.nanoTime), its {@code timeoutMillis} after the start. */
  private final long deadlineNanos;
  /** When the call began (System.nanoTime), from which its RPCs' deadline counts. */
  private final long startedNanos;
  private final CallOptions options;
  private final Wait wait;
  /** The failure for a reserved message the queue cannot hold, or null for one it can. */
  private final Function<Message, MessageQueueException> refusal;
  private final AtomicReference<State> state = new AtomicReference<>(State.WAITING);
  private volatile Receipt receipt;
  private volatile CompletableFuture<Reply<Message>> reserving;
  /** Reservations lapsed so far; each commit's answer comes after the one before it. */
  private volatile int lapses;
  /** Reservations that went back with their connection so far. */
  private volatile int lostConnections;
  /** The client's connections made ({@code ClientStats.connects}) when the reserve was sent. */
  private volatile long connectsAtReserve;

  private ReceiveCall(RpcClient rpc, Supplier<Receipt> receipts, long timeoutMillis, CallOptions options,
      Wait wait, Function<Message, MessageQueueException> refusal) {
    this.rpc = rpc;
    this.refusal = refusal;
    this.receipts = receipts;
    this.timeoutMillis = timeoutMillis;
    this.startedNanos = System.nanoTime();
    this.deadlineNanos = startedNanos + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    this.options = options;
    this.wait = wait;
  }

  /**
   * Starts a receive that asks the server to wait {@code timeoutMillis} (0: not at all), as
   * {@code wait} says; a reserved message for which {@code refusal} gives a failure is released,
   * not taken, and the call fails with it.
   */
  static ReceiveCall start(RpcClient rpc, Supplier<Receipt> receipts, long timeoutMillis, CallOptions options,
      Wait wait, Function<Message, MessageQueueException> refusal) {
    ReceiveCall call = new ReceiveCall(rpc, receipts, timeoutMillis, options, wait, refusal);
    call.attempt(timeoutMillis, options);
    return call;
  }

  /** Asks the server to reserve a message for a new receipt, waiting at most {@code waitMillis}, the RPC under {@code callOptions}. */
  private void attempt(long waitMillis, CallOptions callOptions) {
    Receipt r = receipts.get();
    receipt = r;
    long started = System.nanoTime();
    connectsAtReserve = rpc.stats().connects();
    CompletableFuture<Reply<Message>> reserve = rpc.callAsync(RECEIVE, new ReceiveRequest(r, waitMillis), callOptions);
    reserving = reserve;
    reserve.whenComplete((reply, failure) -> reserved(r, started, waitMillis, reply, failure));
  }

  /**
   * Its caller's own completion, as {@code completeOnTimeout} makes: as {@link #cancel}, it
   * withdraws the receive while no commit is on its way (a reserved message goes back) and
   * answers false once one is, the future then completing with the message. Before, the receive
   * went on and its message was taken for a future already done: delivered to no one.
   */
  @Override
  public boolean complete(ReceivedMessage value) {
    return withdrawn() && super.complete(value);
  }

  /** Its caller's failing it, as {@code orTimeout} does: as {@link #complete(ReceivedMessage)}. */
  @Override
  public boolean completeExceptionally(Throwable failure) {
    return withdrawn() && super.completeExceptionally(failure);
  }

  /** Withdraws the receive if no commit is on its way; the call's own ends go to the superclass. */
  private boolean withdrawn() {
    if (!state.compareAndSet(State.WAITING, State.WITHDRAWN)) {
      return false;
    }
    reserving.cancel(false);
    release(receipt);
    return true;
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    if (!state.compareAndSet(State.WAITING, State.WITHDRAWN)) {
      state.compareAndSet(State.COMMITTING, State.CANCEL_ASKED); // honoured if the commit takes nothing
      return false;
    }
    reserving.cancel(false);
    release(receipt);
    return super.cancel(mayInterruptIfRunning);
  }

  private void reserved(Receipt r, long started, long waitMillis, Reply<Message> reply, Throwable failure) {
    if (failure != null || reply.exception() != null) {
      reserveFailed(r, started, waitMillis, reply, failure);
      return;
    }
    Message message = reply.value();
    MessageQueueException refused = refusal.apply(message);
    if (refused != null) {
      // A server that does not keep to the protocol: the message goes back rather than be taken
      // and lost, and the caller never sees what no queue of these attributes holds.
      release(r);
      if (state.compareAndSet(State.WAITING, State.DONE)) {
        super.completeExceptionally(refused);
      }
      return;
    }
    if (!state.compareAndSet(State.WAITING, State.COMMITTING)) {
      // Withdrawn while the reply was on its way; release again now that the reservation exists.
      release(r);
      return;
    }
    rpc.callAsync(COMMIT, r).whenComplete((committed, error) -> committed(r, message, committed, error));
  }

  /** The reserve failed: a repeating wait whose time is not up asks again, else the receive fails. */
  private void reserveFailed(Receipt r, long started, long waitMillis, Reply<Message> reply,
      Throwable failure) {
    Throwable cause = Replies.translate(failure != null ? failure : reply.exception());
    if (wait.repeats() && state.get() == State.WAITING
        && cause instanceof MessageQueueException e && e.error() == MqError.ETIMEDOUT) {
      MessageQueueException early = wait.endedEarly(started, waitMillis);
      if (early == null) {
        retry(timeoutMillis, options);
        return;
      }
      cause = early;
    }
    if (state.compareAndSet(State.WAITING, State.DONE)) {
      if (failure != null) {
        // The reply may be what was lost: a reservation made for it goes back now, not at its lease.
        release(r);
      }
      super.completeExceptionally(wait.failure(tookNothing(cause)));
    }
  }

  /**
   * The runtime's failure of the reserve, said for what it means here: its words (the receive
   * "may have executed", or no reply in time) say that a message may have been reserved, which a
   * consumer reads as a message perhaps lost; but only the commit, never sent, takes one. The
   * status stays, as the caller may act on it; a lost commit says "may have taken it" instead.
   */
  private static Throwable tookNothing(Throwable cause) {
    if (cause instanceof RpcException e && MAY_HAVE_RUN.contains(e.status())) {
      return new RpcException(e.status(), "this receive took nothing (a message reserved for it goes back to the"
          + " queue, at the latest when its reservation lease ends): " + e.getMessage(), e);
    }
    return cause;
  }

  /** The commit of the reserved {@code message} answered, or failed with {@code error}. */
  private void committed(Receipt r, Message message, Reply<?> committed, Throwable error) {
    Throwable cause = error != null ? Replies.translate(error)
        : committed.exception() != null ? Replies.translate(committed.exception()) : null;
    if (cause instanceof MessageQueueException e && e.error() == MqError.ETIMEDOUT) {
      commitLapsed(e);
      return;
    }
    state.set(State.DONE);
    if (error != null) {
      // The commit may not have arrived: a release puts the message back now, not at its
      // lease's end, and is a no-op for a receipt the commit did take.
      release(r);
    }
    if (cause instanceof RpcException unknown
        && (unknown.status() == RpcStatus.TIMEOUT || unknown.status() == RpcStatus.OUTCOME_UNKNOWN)) {
      // Said, since the same status from the reserve means nothing was taken: here the message
      // may be gone, taken by this commit and handed to no one (at most once, never twice).
      super.completeExceptionally(new RpcException(unknown.status(), "the commit of the message reserved for"
          + " this receive may have taken it, and a message so taken is delivered to no one: "
          + unknown.getMessage(), unknown));
    } else if (cause != null) {
      super.completeExceptionally(cause);
    } else {
      super.complete(new ReceivedMessage(message.message(), message.priority()));
    }
  }

  /**
   * The reservation lapsed before the commit came: the message went back, so ask again, unless
   * the caller asked to cancel meanwhile (nothing was taken, so now it can be) or its time is up
   * (nothing was taken: the time ran out, as the server says).
   */
  private void commitLapsed(MessageQueueException e) {
    // At most MAX_LAPSES of them: a server that let every commit lapse made a receive without
    // end (or with a 29-day timeout) ask again at once, without end, as fast as it answered.
    long left = wait.repeats() ? timeoutMillis : millisLeft();
    boolean reconnected = rpc.stats().connects() != connectsAtReserve;
    int lapsed = reconnected ? lapses : ++lapses;
    int lost = reconnected ? ++lostConnections : lostConnections;
    if (left > 0 && lapsed < MAX_LAPSES && lost < MAX_LOST_CONNECTIONS
        && state.compareAndSet(State.COMMITTING, State.WAITING)) {
      retry(left, wait.repeats() ? options : rpcTimeLeft());
    } else if (left <= 0 && state.compareAndSet(State.COMMITTING, State.DONE)) {
      super.completeExceptionally(new MessageQueueException(MqError.ETIMEDOUT, "the time was up when the"
          + " reservation of a message lapsed before its commit, and nothing was taken: " + e.detail()));
    } else if (state.compareAndSet(State.COMMITTING, State.DONE)) {
      super.completeExceptionally(new MessageQueueException(MqError.EIO, lost >= MAX_LOST_CONNECTIONS
          ? "the reservations of " + lost + " messages in a row went back with their connections"
              + " before their commits; nothing was taken, not asked again: " + e.detail()
          : "the reservations of " + lapsed + " messages in a row lapsed before their commits,"
              + " which a server whose commits arrive within its reservation lease never does;"
              + " nothing was taken, not asked again: " + e.detail()));
    } else {
      state.set(State.WITHDRAWN);
      super.cancel(false);
    }
  }

  /**
   * What is left of a wait that does not repeat, in whole milliseconds rounded up (a wait of 0
   * would not wait, and an empty queue would be EAGAIN, not ETIMEDOUT); 0 once it is over.
   */
  private long millisLeft() {
    long nanos = deadlineNanos - System.nanoTime();
    return nanos <= 0 ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999));
  }

  /**
   * The options of an attempt after a lapse of a wait that does not repeat: the RPC deadline is
   * what is left of the first attempt's, so that asking again (and the RPC's retransmissions)
   * ends with the receive's time and its grace; before, every attempt had the whole deadline
   * again, and a server that let a commit lapse near the end and then never answered kept the
   * caller waiting almost twice as long.
   */
  private CallOptions rpcTimeLeft() {
    if (options.deadline() == null) {
      return options;
    }
    long left = startedNanos + options.deadline().toNanos() - System.nanoTime();
    return options.withDeadline(Duration.ofNanos(Math.max(1, left)));
  }

  /** Asks again with a new receipt; a cancel() that came meanwhile withdrew only the old one. */
  private void retry(long waitMillis, CallOptions callOptions) {
    attempt(waitMillis, callOptions);
    if (state.get() == State.WITHDRAWN) {
      reserving.cancel(false);
      release(receipt);
    }
  }

  private void release(Receipt r) {
    rpc.callAsync(RELEASE, r).exceptionally(e -> null);
  }
}
