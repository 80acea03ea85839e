package org.onyxrpc.mq.internal.server;

import static org.onyxrpc.mq.internal.server.Failures.fail;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NavigableMap;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.onyxrpc.mq.internal.wire.CurrentAttributes;
import org.onyxrpc.mq.internal.wire.Message;
import org.onyxrpc.mq.internal.wire.MqErrno;
import org.onyxrpc.mq.internal.wire.MqFailure;
import org.onyxrpc.mq.internal.wire.QueueStatus;
import org.onyxrpc.mq.internal.wire.Receipt;

/**
 * One queue: its messages in delivery order, the messages reserved for receivers, and the calls
 * parked on it. Touched only by the host's owner thread, so it has no locks.
 */
final class HostedQueue {
  final String name;
  final QueueOwner owner;
  final long maxMessages;
  final long messageSize;
  private final QueueLog log;
  private final ScheduledExecutorService timers;
  private final HostConfig config;
  private final Shares waitingSends;
  private final Shares senderPlaces; // of this queue, shared out among clients
  private final Shares receiverPlaces;

  private final PriorityQueue<StoredMessage> ready = new PriorityQueue<>(StoredMessage.DELIVERY_ORDER);
  /**
   * By handle, then sequence: a closing handle finds its own reservations without going through
   * every other handle's (up to maxMessages of them, each close of any handle of the queue).
   */
  private final NavigableMap<Receipt, Reservation> reserved = new TreeMap<>(
      Comparator.comparingLong(Receipt::handle).thenComparingLong(Receipt::sequence));
  private final ArrayDeque<Parked<Message>> receivers = new ArrayDeque<>();
  private final ArrayDeque<Parked<Void>> senders = new ArrayDeque<>();
  private Parked<Void> notification;
  private long bytes;
  private long nextSequence;
  int openHandles;
  boolean unlinked;

  HostedQueue(String name, QueueOwner owner, long maxMessages, long messageSize, QueueLog log,
      ScheduledExecutorService ownerThread, HostConfig config, Shares waitingSends) {
    this.name = name;
    this.owner = owner;
    this.maxMessages = maxMessages;
    this.messageSize = messageSize;
    this.log = log;
    this.timers = ownerThread;
    this.config = config;
    this.waitingSends = waitingSends;
    int places = config.maxWaitersPerQueue();
    this.senderPlaces = new Shares(places, Math.max(1, places / 2));
    this.receiverPlaces = new Shares(places, Math.max(1, places / 2));
  }

  /** Puts back what a durable queue's log held before a restart. */
  void restore(Iterable<StoredMessage> messages, long nextSequence) {
    for (StoredMessage m : messages) {
      ready.add(m);
      bytes += m.payload().length;
    }
    this.nextSequence = nextSequence;
  }

  /**
   * What each of a queue's places costs beyond its message's bytes: the {@link StoredMessage},
   * its array's header and its slot in the queue, 61 bytes for a one-byte message on a 64-bit JVM
   * (measured with 524,288 of them). Charged per place, as Linux charges each of mq_maxmsg a
   * {@code struct msg_msg} and a tree node against RLIMIT_MSGQUEUE; before, a queue of 65,536
   * one-byte messages was charged 64 KiB and held 3.5 MiB, and one client's 128 such queues
   * about half a GiB of heap.
   */
  static final long MESSAGE_OVERHEAD = 64;

  /**
   * What a reserved message costs on top: its {@link Reservation}, its lease's timer, its entry
   * in {@code reserved}, its receipt and its watch of the receiver's connection, 240 bytes
   * measured in process and an estimated 60 more for the connection's entry. Every message of a queue
   * may be reserved at once (one receive each, for a lease of 60 s), so a place is charged for
   * that too; with the message's alone, one client that reserved its own queues' one-byte
   * messages as fast as it could held five times what it was charged.
   */
  static final long RESERVATION_OVERHEAD = 256;

  /**
   * maxMessages × (messageSize + MESSAGE_OVERHEAD + RESERVATION_OVERHEAD), what the queue counts
   * against the host's maxTotalBytes: at most what its places can hold, all reserved.
   */
  long capacity() {
    return capacity(maxMessages, messageSize);
  }

  /** Saturated rather than overflowed: the operator's limits may allow a product beyond a long. */
  static long capacity(long maxMessages, long messageSize) {
    long overhead = MESSAGE_OVERHEAD + RESERVATION_OVERHEAD;
    long place = messageSize > Long.MAX_VALUE - overhead ? Long.MAX_VALUE : messageSize + overhead;
    return maxMessages > Long.MAX_VALUE / place ? Long.MAX_VALUE : maxMessages * place;
  }

  boolean durable() {
    return log != null;
  }

  long depth() {
    return ready.size() + reserved.size();
  }

  CurrentAttributes attributes() {
    return new CurrentAttributes(maxMessages, messageSize, depth());
  }

  QueueStatus status() {
    return new QueueStatus(name, depth(), bytes, reserved.size(), senders.size(), receivers.size(),
        openHandles, maxMessages, messageSize, durable(), unlinked, notification != null);
  }

  // --- send ---

  void send(Receipt receipt, int priority, byte[] payload, long timeoutMillis, Object client,
      CompletableFuture<Void> reply) throws MqFailure {
    if (depth() < maxMessages) {
      accept(priority, payload);
      reply.complete(null);
      return;
    }
    checkWaitable(timeoutMillis);
    if (timeoutMillis == 0) {
      throw fail(MqErrno.EAGAIN, "queue " + name + " is full (" + maxMessages + " messages)");
    }
    takePlace(senderPlaces, "senders", client, reply);
    holdWhileWaiting(client, payload.length, reply);
    park(senders, new Parked<>(receipt, reply, new StoredMessage(priority, -1, payload), PeerWatch.NONE),
        timeoutMillis, "full");
  }

  /**
   * A call about to wait needs a timeout that can be: -1 (no end), 0 or more milliseconds. POSIX's
   * mq_timedsend and mq_timedreceive need check it only then, and fail EINVAL (Linux checks it
   * on every call); before, any negative timeout waited without end, and its caller was never told.
   */
  private static void checkWaitable(long timeoutMillis) throws MqFailure {
    if (timeoutMillis < -1) {
      throw fail(MqErrno.EINVAL, "timeout must be -1 (no end), 0 or more milliseconds, got " + timeoutMillis);
    }
  }

  /**
   * Takes one of the queue's places for a waiting call of {@code client}, given back when the
   * call is answered: half of them at most, so that one client cannot fill the queue's line.
   */
  private void takePlace(Shares places, String who, Object client, CompletableFuture<?> reply) throws MqFailure {
    Shares.Refusal refused = places.take(client, 1);
    if (refused != null) {
      throw fail(MqErrno.EAGAIN, "queue " + name + " already has " + (refused == Shares.Refusal.CLIENT
          ? places.held(client) + " " + who + " of " + client + " waiting, as many as one client may"
          : places.total() + " " + who + " waiting"));
    }
    reply.whenComplete((done, failure) -> places.give(client, 1));
  }

  /**
   * A waiting sender keeps its message in memory: counted against its client's share until its
   * call is answered, however it ends (admitted, timed out, withdrawn, closed).
   */
  private void holdWhileWaiting(Object client, int bytes, CompletableFuture<Void> reply) throws MqFailure {
    Shares.Refusal refused = waitingSends.take(client, bytes);
    if (refused != null) {
      throw fail(MqErrno.EAGAIN, "queue " + name + " is full, and waiting sends hold "
          + (refused == Shares.Refusal.CLIENT
              ? waitingSends.held(client) + " bytes of " + client + "'s, its limit being " + waitingSends.perClient()
              : "as many bytes as this server allows, " + waitingSends.total()));
    }
    reply.whenComplete((done, failure) -> waitingSends.give(client, bytes));
  }

  /** A message goes in: logged first when durable, then to a waiting receiver or the queue. */
  private void accept(int priority, byte[] payload) throws MqFailure {
    StoredMessage message = new StoredMessage(priority, nextSequence, payload);
    if (log != null) {
      try {
        log.rewriteIfGone(this::heldMessages);
        log.appendSend(message);
      } catch (IOException e) {
        throw fail(MqErrno.EIO, "queue " + name + ": log not written: " + Failures.reason(e));
      }
    }
    nextSequence++;
    bytes += payload.length;
    offer(message);
  }

  /** Hands a message (new or put back) to the longest-waiting receiver, else queues it. */
  private void offer(StoredMessage message) {
    Parked<Message> receiver = receivers.poll();
    if (receiver != null) {
      receiver.cancelDeadline();
      reserve(receiver.receipt, message, receiver.peer);
      receiver.reply.complete(new Message(message.priority(), message.payload()));
      return;
    }
    boolean wasEmpty = ready.isEmpty();
    ready.add(message);
    if (wasEmpty && notification != null) {
      // mq_notify: fired once, when a message arrives on an empty queue nobody waits on.
      Parked<Void> fired = notification;
      notification = null;
      fired.reply.complete(null);
    }
  }

  // --- receive ---

  /**
   * Reserves the best message for {@code receipt}, or parks the call; a message reserved for it
   * goes back if {@code peer}'s connection closes before the commit.
   */
  void receive(Receipt receipt, long timeoutMillis, Object client, CompletableFuture<Message> reply, PeerWatch peer)
      throws MqFailure {
    Reservation existing = reserved.get(receipt);
    if (existing != null) {
      watch(receipt, existing, peer);
      reply.complete(toWire(existing.message));
      return;
    }
    StoredMessage next = ready.poll();
    if (next != null) {
      reserve(receipt, next, peer);
      reply.complete(toWire(next));
      return;
    }
    checkWaitable(timeoutMillis);
    if (timeoutMillis == 0) {
      throw fail(MqErrno.EAGAIN, "queue " + name + " is empty");
    }
    // One waiting call per receipt: a second (another xid with the same receipt, which only a
    // hand-written or hostile client sends) takes the first's place. Two would each be handed a
    // message for the one receipt, and the second reservation would replace the first, whose
    // message would then be in neither the queue nor a reservation: lost.
    withdrawFrom(receivers, p -> p.receipt.equals(receipt),
        fail(MqErrno.ECANCELED, "superseded by a later receive with the same receipt"));
    takePlace(receiverPlaces, "receivers", client, reply);
    park(receivers, new Parked<>(receipt, reply, null, peer), timeoutMillis, "empty");
  }

  /**
   * Parks a call among {@code waiting} until it is served or withdrawn, or, with a positive
   * {@code timeoutMillis}, fails with ETIMEDOUT once the queue has stayed {@code state} that long.
   */
  private <T> void park(ArrayDeque<Parked<T>> waiting, Parked<T> parked, long timeoutMillis, String state) {
    waiting.add(parked);
    if (timeoutMillis > 0) {
      parked.deadline = timers.schedule(() -> {
        if (waiting.remove(parked)) {
          parked.reply.completeExceptionally(fail(MqErrno.ETIMEDOUT,
              "queue " + name + " stayed " + state + " for " + timeoutMillis + " ms"));
        }
      }, timeoutMillis, TimeUnit.MILLISECONDS);
    }
  }

  private static Message toWire(StoredMessage m) {
    return new Message(m.priority(), m.payload());
  }

  private void reserve(Receipt receipt, StoredMessage message, PeerWatch peer) {
    long leaseMillis = config.reservationLease().toMillis();
    Reservation r = new Reservation(message,
        timers.schedule(() -> putBack(receipt), leaseMillis, TimeUnit.MILLISECONDS));
    reserved.put(receipt, r);
    watch(receipt, r, peer);
  }

  /**
   * A receiver whose connection closed cannot commit: its message goes back at once, rather than
   * when the lease ends (unless the receipt's reservation is another by then, or another call's,
   * a receive sent again over a new connection, whose close it now waits for). Over UDP, with no
   * connection to watch, the lease alone brings it back.
   */
  private void watch(Receipt receipt, Reservation r, PeerWatch peer) {
    r.watch(peer, () -> {
      try {
        timers.execute(() -> {
          if (reserved.get(receipt) == r && r.watchedBy(peer)) {
            putBack(receipt);
          }
        });
      } catch (RejectedExecutionException e) {
        // the host closed, and its queues with it
      }
    });
  }

  /** The second half of a receive: the reserved message is gone for good. */
  void commit(Receipt receipt) throws MqFailure {
    Reservation r = reserved.get(receipt);
    if (r == null) {
      throw fail(MqErrno.ETIMEDOUT, "queue " + name
          + ": nothing reserved for this receipt (released, or its lease of "
          + config.reservationLease().toMillis() + " ms ended); the message went back");
    }
    if (log != null) {
      boolean wasBroken = log.broken();
      try {
        log.rewriteIfGone(this::heldMessages);
        log.appendTake(r.message.sequence());
      } catch (IOException e) {
        // Not taken: back in its place at once, for the next receiver, rather than when the lease ends.
        putBack(receipt);
        // Unless the record was written and could not be cut back: then a restart may read it.
        String outcome = !wasBroken && log.broken()
            ? "log not written whole nor cut back, so the message is back in the queue but a restart may find it"
                + " taken"
            : "log not written, so the message was not taken and is back in the queue";
        throw fail(MqErrno.EIO, "queue " + name + ": " + outcome + ": " + Failures.reason(e));
      }
    }
    reserved.remove(receipt);
    r.end();
    bytes -= r.message.payload().length;
    admitSenders();
    compactLog();
  }

  private void admitSenders() {
    while (depth() < maxMessages && !senders.isEmpty()) {
      Parked<Void> sender = senders.poll();
      sender.cancelDeadline();
      try {
        accept(sender.message.priority(), sender.message.payload());
        sender.reply.complete(null);
      } catch (MqFailure e) {
        sender.reply.completeExceptionally(e);
      }
    }
  }

  private void compactLog() {
    if (log != null) {
      try {
        log.compactIfLarge(depth(), bytes, this::heldMessages);
      } catch (IOException e) {
        // The log stays as it is: still correct, only longer.
      }
    }
  }

  /** Every message the queue holds, reserved ones included: what a compacted log must keep. */
  private List<StoredMessage> heldMessages() {
    List<StoredMessage> held = new ArrayList<>(ready);
    reserved.values().forEach(r -> held.add(r.message));
    return held;
  }

  /** A reservation released or lapsed: its message goes back to its place. True if there was one. */
  boolean putBack(Receipt receipt) {
    Reservation r = reserved.remove(receipt);
    if (r == null) {
      return false;
    }
    r.end();
    offer(r.message);
    return true;
  }

  /** Ends the parked call (a send, a receive or the notification) answered by {@code reply}; true if there was one. */
  boolean withdraw(CompletableFuture<?> reply, Throwable why) {
    if (notification != null && notification.reply == reply) {
      notification = null;
      reply.completeExceptionally(why);
      return true;
    }
    return withdrawFrom(receivers, p -> p.reply == reply, why) || withdrawFrom(senders, p -> p.reply == reply, why);
  }

  /** Withdraws the receipt's parked call; true if there was one. */
  boolean withdraw(Receipt receipt, MqFailure why) {
    return withdrawFrom(receivers, p -> p.receipt.equals(receipt), why)
        || withdrawFrom(senders, p -> p.receipt.equals(receipt), why);
  }

  private static <T> boolean withdrawFrom(ArrayDeque<Parked<T>> parked, Predicate<Parked<?>> which, Throwable why) {
    for (Iterator<Parked<T>> it = parked.iterator(); it.hasNext(); ) {
      Parked<T> p = it.next();
      if (which.test(p)) {
        it.remove();
        p.cancelDeadline();
        p.reply.completeExceptionally(why);
        return true;
      }
    }
    return false;
  }

  /**
   * A handle closes: its parked calls fail, its notification goes, its reservations go back (in
   * that order, so that a message coming back to the empty queue does not fire the notification
   * of the handle that is closing). {@code because} ends their failures' detail: "" or ": why".
   */
  void closeHandle(long handle, String because) {
    MqFailure closed = fail(MqErrno.EBADF, "handle of queue " + name + " closed while waiting" + because);
    failParked(receivers, handle, closed);
    failParked(senders, handle, closed);
    if (notification != null && notification.receipt.handle() == handle) {
      removeNotification(because);
    }
    List.copyOf(reserved.subMap(new Receipt(handle, Long.MIN_VALUE), true, new Receipt(handle, Long.MAX_VALUE), true)
        .keySet()).forEach(this::putBack);
    openHandles--;
  }

  private static <T> void failParked(ArrayDeque<Parked<T>> parked, long handle, MqFailure why) {
    for (Iterator<Parked<T>> it = parked.iterator(); it.hasNext(); ) {
      Parked<T> p = it.next();
      if (p.receipt.handle() == handle) {
        it.remove();
        p.cancelDeadline();
        p.reply.completeExceptionally(why);
      }
    }
  }

  // --- notification ---

  /** Registers {@code registration}'s call; EBUSY if any registration is held, its own included. */
  void registerNotification(Receipt registration, CompletableFuture<Void> reply) throws MqFailure {
    if (notification != null) {
      throw fail(MqErrno.EBUSY, "queue " + name + " already has an arrival notification registered");
    }
    notification = new Parked<>(registration, reply, null, PeerWatch.NONE);
  }

  /** Removes the registration if it is {@code registration}'s; true if it was. */
  boolean cancelNotification(Receipt registration) {
    if (notification == null || !notification.receipt.equals(registration)) {
      return false;
    }
    removeNotification("");
    return true;
  }

  /** Removes the handle's registration, whichever call made it (close, and clients before receipts). */
  void cancelNotification(long handle) {
    if (notification != null && notification.receipt.handle() == handle) {
      removeNotification("");
    }
  }

  private void removeNotification(String because) {
    Parked<Void> cancelled = notification;
    notification = null;
    cancelled.reply.completeExceptionally(fail(MqErrno.ECANCELED, "notification of queue " + name + " cancelled" + because));
  }

  /** The queue is gone (unlinked and last handle closed, or the host closing). */
  void destroy() {
    reserved.values().forEach(Reservation::end);
    reserved.clear();
    if (log != null) {
      log.close();
    }
  }

  /** Removes a durable queue's log, so that a restart does not bring back an unlinked queue. */
  void deleteLog() throws IOException {
    if (log != null) {
      log.delete();
    }
  }
}
