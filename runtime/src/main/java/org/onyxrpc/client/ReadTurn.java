package org.onyxrpc.client;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Whose turn it is to read a caller-runs connection (leader/followers): at most one thread, the
 * leader, holds the turn; waiting callers follow (park) until it is theirs; when nobody waits, a
 * background reader is started for the calls still outstanding.
 *
 * <p>The one rule that keeps replies from lying unread: whoever gives the turn up hands it on
 * ({@link #release}), since a thread that wanted a reader while the turn was held relied on
 * the holder to do so. Every holder, however briefly it held the turn, releases through here.
 */
final class ReadTurn {
  private final ReentrantLock turn = new ReentrantLock();
  /** The holder, published so that a thread completing its call can wake it from its selector. */
  private volatile Thread leader;
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
    if (!turn.tryLock()) {
      return false;
    }
    leader = Thread.currentThread();
    return true;
  }

  /** Whether {@code thread} holds the turn, and so may be waiting for bytes in its selector. */
  boolean isLeader(Thread thread) {
    return leader == thread;
  }

  /** Unparks the holder, if any, to look again at what it waits for. */
  void wakeLeader() {
    Thread holder = leader;
    if (holder != null) {
      LockSupport.unpark(holder);
    }
  }

  boolean isMine() {
    return turn.isHeldByCurrentThread();
  }

  /** Gives the turn up and hands it on: to a waiting caller, else to a background reader. */
  void release() {
    if (turn.getHoldCount() == 1) {
      leader = null;
    }
    turn.unlock();
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
    if (turn.isLocked()) {
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
    if (!turn.isLocked() && open.getAsBoolean() && readerScheduled.compareAndSet(false, true)) {
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
