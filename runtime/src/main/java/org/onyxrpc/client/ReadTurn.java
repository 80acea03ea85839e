package org.onyxrpc.client;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Whose turn it is to read a caller-runs connection (leader/followers): at most one thread, the
 * leader, holds the turn; waiting callers follow (park) until it is theirs; when nobody waits, a
 * background reader is started for the calls still outstanding.
 *
 * <p>The one rule that keeps replies from lying unread: whoever gives the turn up hands it on
 * ({@link #release}), since a thread that wanted a reader while the turn was held relied on
 * the holder to do so. Every holder, however briefly it held the turn, releases through here.
 *
 * <p>The turn is its holder, one reference: taken with one compare-and-set, given up with one
 * volatile write, and read as is by a thread that would wake the holder from its selector. A
 * {@code ReentrantLock} and a published leader beside it took two atomic writes more on a sync
 * call's path (the leader's, and the lock's release). The holder may take it again (a reply's
 * callback making a sync call while its batch is delivered), counted by the holder alone.
 */
final class ReadTurn {
  private final AtomicReference<Thread> holder = new AtomicReference<>();
  private int depth; // the holder's alone: how many takes it has not yet released
  private final Queue<Thread> followers = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean readerScheduled = new AtomicBoolean();
  private final BooleanSupplier callsOutstanding;
  private final BooleanSupplier open;
  private final Runnable startReader;

  /** {@code startReader} runs a background reader, which calls {@link #readerStarted} first. */
  ReadTurn(BooleanSupplier callsOutstanding, BooleanSupplier open, Runnable startReader) {
    this.callsOutstanding = callsOutstanding;
    this.open = open;
    this.startReader = startReader;
  }

  /** Takes the turn if nobody holds it. */
  boolean tryTake() {
    Thread me = Thread.currentThread();
    if (holder.get() == me) {
      depth++;
      return true;
    }
    if (!holder.compareAndSet(null, me)) {
      return false;
    }
    depth = 1;
    return true;
  }

  /** Whether {@code thread} holds the turn, and so may be waiting for bytes in its selector. */
  boolean isLeader(Thread thread) {
    return holder.get() == thread;
  }

  /** Unparks the holder, if any, to look again at what it waits for. */
  void wakeLeader() {
    Thread leader = holder.get();
    if (leader != null) {
      LockSupport.unpark(leader);
    }
  }

  boolean isMine() {
    return holder.get() == Thread.currentThread();
  }

  /**
   * Gives the turn up and hands it on: to a waiting caller, else to a background reader. A take
   * nested in another only counts down: the outer one still holds the turn, and hands it on.
   */
  void release() {
    if (holder.get() != Thread.currentThread()) {
      throw new IllegalMonitorStateException("the read turn is not held by this thread");
    }
    if (depth > 1) {
      depth--;
      return;
    }
    depth = 0;
    holder.set(null); // volatile: before handOn's reads, as a waiting caller writes before it reads
    handOn();
  }

  /**
   * Run whenever a thread stops leading or waiting: if nobody leads, a waiting caller or the
   * background reader must, or replies would lie unread.
   */
  void handOn() {
    if (!open.getAsBoolean()) {
      return;
    }
    if (!someoneReads() && callsOutstanding.getAsBoolean()) {
      readerWanted();
    }
  }

  /** True if a thread leads, or a waiting caller was just woken to lead. */
  private boolean someoneReads() {
    if (holder.get() != null) {
      return true; // its holder hands on when it releases
    }
    Thread next = followers.peek();
    if (next != null) {
      LockSupport.unpark(next);
      return true;
    }
    return false;
  }

  /** Starts a background reader unless a thread holds the turn (which hands on) or one is starting. */
  void readerWanted() {
    if (holder.get() == null && open.getAsBoolean() && readerScheduled.compareAndSet(false, true)) {
      startReader.run();
    }
  }

  /** A background reader began: the next one wanted may be started. */
  void readerStarted() {
    readerScheduled.set(false);
  }

  void follow(Thread me) {
    followers.add(me);
  }

  void unfollow(Thread me) {
    followers.remove(me);
  }

  /** Whether a caller waits for the turn: a background reader then gives it up. */
  boolean hasFollowers() {
    return !followers.isEmpty();
  }

  /** The connection is lost: every follower wakes to find it so. */
  void wakeAll() {
    Thread next;
    while ((next = followers.poll()) != null) {
      LockSupport.unpark(next);
    }
  }
}
