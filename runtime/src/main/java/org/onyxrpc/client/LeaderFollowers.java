package org.onyxrpc.client;

import io.netty.handler.codec.DecoderException;
import java.io.IOException;
import java.nio.channels.ClosedSelectorException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * How the threads of a caller-runs connection, TCP or UDP, read it through its {@link ReadTurn}:
 * a sync caller leads (reads, completing whatever replies it finds) while nobody else does, and
 * otherwise follows (parks) until the leader completes its call or hands the turn on. Only the
 * turn's holder touches the {@link TurnReader}, and whoever lets the turn go once the connection
 * is closed frees the reader's buffers.
 */
final class LeaderFollowers {
  private final ReadTurn turn;
  private final CallOwner owner;
  private final BooleanSupplier open;
  private final TurnReader reader;
  private final Consumer<Throwable> lost;

  /** {@code lost} closes the connection after a failed read. */
  LeaderFollowers(ReadTurn turn, CallOwner owner, BooleanSupplier open, TurnReader reader,
      Consumer<Throwable> lost) {
    this.turn = turn;
    this.owner = owner;
    this.open = open;
    this.reader = reader;
    this.lost = lost;
  }

  /**
   * Wakes a waiting caller, which may be the leader, waiting in the reader's selector for bytes:
   * its reply was read by another thread, or completed by the owner it was handed to.
   */
  void wake(Thread waiter) {
    LockSupport.unpark(waiter);
    if (turn.isLeader(waiter)) {
      reader.wakeup();
    }
  }

  /**
   * Returns when {@code call} is done, its deadline has passed, the connection is lost, or the
   * thread is interrupted; reading the socket meanwhile whenever no other thread does.
   * {@code leftNanos} is {@code deadlineNanos} less now, as the caller has just read the clock:
   * the first wait takes it rather than reading the clock again (a sync call read it three times
   * before its first wait for bytes, each a clock_gettime).
   */
  void await(PendingCall<?, ?> call, long deadlineNanos, long leftNanos) {
    Thread me = Thread.currentThread();
    boolean ledLast = false; // a leader hands on as it stops; a follower that leaves must too
    long left = leftNanos;
    try {
      while (!call.isDone() && open.getAsBoolean() && !me.isInterrupted()) {
        if (left <= 0) {
          return;
        }
        owner.runLeft(); // a call made while owning: its reply may wait among them
        if (call.isDone()) {
          return;
        }
        ledLast = lead(call, deadlineNanos, left);
        if (!ledLast) {
          turn.follow(me);
          try {
            // Registered before trying again: a leader that stops now either sees us or lets us
            // lead.
            ledLast = !call.isDone() && lead(call, deadlineNanos, deadlineNanos - System.nanoTime());
            if (!ledLast && !call.isDone()) {
              LockSupport.parkNanos(turn, left);
            }
          } finally {
            turn.unfollow(me);
          }
        }
        if (!call.isDone()) {
          left = deadlineNanos - System.nanoTime();
        }
      }
    } finally {
      if (!ledLast) {
        turn.handOn();
      }
      if (!open.getAsBoolean()) {
        freeBuffers();
      }
    }
  }

  /**
   * Leads if nobody does: reads until {@code call} is done or its deadline passes; {@code
   * waitNanos}, the time left as last read, is the first wait for bytes.
   */
  private boolean lead(PendingCall<?, ?> call, long deadlineNanos, long waitNanos) {
    if (!turn.tryTake()) {
      return false;
    }
    try {
      Thread me = Thread.currentThread();
      turn.unfollow(me);
      long wait = waitNanos;
      while (open.getAsBoolean() && !me.isInterrupted() && !call.isDone()) {
        if (wait <= 0) {
          return true;
        }
        owner.runLeft();
        if (call.isDone()) {
          return true;
        }
        try {
          reader.readOnce(wait, call);
        } catch (IOException | DecoderException | ClosedSelectorException e) {
          lost.accept(e);
        }
        if (call.isDone()) {
          return true; // the usual end: the clock is not read again
        }
        wait = deadlineNanos - System.nanoTime();
      }
    } finally {
      releaseTurn();
    }
    return true;
  }

  /**
   * Reads what has arrived, without waiting, unless a thread holds the turn: it reads that
   * itself (or, if it is this thread, is delivering a batch already).
   */
  void readAvailable() {
    if (turn.isMine() || !turn.tryTake()) {
      return;
    }
    try {
      if (open.getAsBoolean()) { // not if lost meanwhile, and its buffers freed
        reader.readAvailable();
      }
    } catch (IOException | DecoderException | ClosedSelectorException e) {
      lost.accept(e);
    } finally {
      // Hands on, as every holder must: an async call written meanwhile saw the turn held and
      // left its replies to us (the lost wakeup this once had).
      releaseTurn();
    }
  }

  private void releaseTurn() {
    turn.release();
    if (!open.getAsBoolean()) {
      freeBuffers();
    }
  }

  /** Once the connection is closed: frees the reader's buffers, unless a leader still uses them. */
  void freeBuffers() {
    if (turn.isMine() || !turn.tryTake()) {
      return; // the leader frees them when it stops
    }
    try {
      reader.freeBuffers();
    } finally {
      turn.release();
    }
  }
}
