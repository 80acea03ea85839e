package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.onyxrpc.testing.Actors;

/**
 * The leader/followers rule of a caller-runs connection, without a socket: whoever gives the
 * turn up hands it on. Each actor runs on its own thread (the turn is a lock, which a thread may
 * take again), driven one step at a time in every order.
 */
class ReadTurnTest {
  @RegisterExtension final Actors actors = new Actors(3);

  /**
   * The lost wakeup, step by step: a one-way call checks the quiet connection for a close
   * (holding the turn) while an async call is written; the async call sees the turn held and
   * starts no reader. Before, the check let go of the turn without handing on, and the async
   * call's reply lay unread until its deadline.
   */
  @Test
  void aCloseCheckThatLetsGoStartsTheReaderAnAsyncCallLeftToIt() throws Exception {
    AtomicInteger started = new AtomicInteger();
    AtomicBoolean outstanding = new AtomicBoolean();
    ReadTurn turn = new ReadTurn(outstanding::get, () -> true, started::incrementAndGet);
    AtomicBoolean took = new AtomicBoolean();
    actors.on(0, () -> took.set(turn.tryTake())); // the one-way call's close check
    actors.on(1, () -> {
      outstanding.set(true); // the async call is written...
      turn.readerWanted(); // ...and finds a reader (the check) already there
    });
    assertTrue(took.get());
    assertEquals(0, started.get());
    actors.on(0, turn::release);
    assertEquals(1, started.get(), "the released turn went to a background reader");
  }

  /** One action of one actor: what it does, given what the actor did before. */
  private interface Step {
    void run(ReadTurn turn, AtomicBoolean outstanding, AtomicBoolean holds);
  }

  private static final Step TAKE = (turn, outstanding, holds) -> holds.set(turn.tryTake());
  private static final Step RELEASE = (turn, outstanding, holds) -> {
    if (holds.getAndSet(false)) {
      turn.release();
    }
  };
  private static final Step CALL = (turn, outstanding, holds) -> outstanding.set(true);
  private static final Step WANT_READER = (turn, outstanding, holds) -> turn.readerWanted();

  /**
   * Every interleaving of a turn holder (take, release), an async caller (outstanding, want a
   * reader) and a sync caller (take, release): once all are done with a call outstanding and
   * nobody holding the turn, a background reader has been started.
   */
  @Test
  void inEveryInterleavingACallOutstandingIsLeftToAReader() throws Exception {
    List<List<Step>> programs = List.of(List.of(TAKE, RELEASE), List.of(CALL, WANT_READER),
        List.of(TAKE, RELEASE));
    int[] orders = {0};
    Interleavings.each(programs, order -> {
      orders[0]++;
      AtomicInteger started = new AtomicInteger();
      AtomicBoolean outstanding = new AtomicBoolean();
      ReadTurn turn = new ReadTurn(outstanding::get, () -> true, started::incrementAndGet);
      AtomicBoolean[] holds = {new AtomicBoolean(), new AtomicBoolean(), new AtomicBoolean()};
      int[] next = new int[programs.size()];
      for (int who : order) {
        Step step = programs.get(who).get(next[who]++);
        actors.on(who, () -> step.run(turn, outstanding, holds[who]));
      }
      assertTrue(started.get() >= 1, "no reader for the outstanding call after " + order);
    });
    assertEquals(90, orders[0]); // 6! / (2! 2! 2!)
  }

  /** A step of an actor that may hold the turn more than once: how many takes it holds. */
  private interface NestedStep {
    void run(ReadTurn turn, AtomicBoolean outstanding, AtomicInteger held);
  }

  private static final NestedStep NESTED_TAKE = (turn, outstanding, held) -> {
    if (turn.tryTake()) {
      held.incrementAndGet();
    }
  };
  private static final NestedStep NESTED_RELEASE = (turn, outstanding, held) -> {
    if (held.get() > 0) {
      held.decrementAndGet();
      turn.release();
    }
  };
  private static final NestedStep NESTED_CALL = (turn, outstanding, held) -> outstanding.set(true);
  private static final NestedStep NESTED_WANT_READER = (turn, outstanding, held) -> turn.readerWanted();

  /**
   * As above with a holder that takes the turn again before it lets go (a reply's callback making
   * a sync call mid-batch): in every interleaving a call left outstanding gets a reader once
   * everyone is done, and the turn is free again.
   */
  @Test
  void inEveryInterleavingANestedHolderHandsOnAsItLetsGo() throws Exception {
    List<List<NestedStep>> programs = List.of(
        List.of(NESTED_TAKE, NESTED_TAKE, NESTED_RELEASE, NESTED_RELEASE),
        List.of(NESTED_CALL, NESTED_WANT_READER), List.of(NESTED_TAKE, NESTED_RELEASE));
    int[] orders = {0};
    Interleavings.each(programs, order -> {
      orders[0]++;
      AtomicInteger started = new AtomicInteger();
      AtomicBoolean outstanding = new AtomicBoolean();
      ReadTurn turn = new ReadTurn(outstanding::get, () -> true, started::incrementAndGet);
      AtomicInteger[] held = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger()};
      int[] next = new int[programs.size()];
      for (int who : order) {
        NestedStep step = programs.get(who).get(next[who]++);
        actors.on(who, () -> step.run(turn, outstanding, held[who]));
      }
      assertTrue(started.get() >= 1, "no reader for the outstanding call after " + order);
      AtomicBoolean free = new AtomicBoolean();
      actors.on(1, () -> free.set(turn.tryTake()));
      assertTrue(free.get(), "the turn still held after " + order);
    });
    assertEquals(420, orders[0]); // 8! / (4! 2! 2!)
  }

  @Test
  void aWaitingCallerIsWokenRatherThanAReaderStarted() throws Exception {
    AtomicInteger started = new AtomicInteger();
    ReadTurn turn = new ReadTurn(() -> true, () -> true, started::incrementAndGet);
    Thread follower = new Thread(() -> { });
    turn.follow(follower);
    AtomicBoolean took = new AtomicBoolean();
    actors.on(0, () -> took.set(turn.tryTake()));
    actors.on(0, turn::release);
    assertTrue(took.get());
    assertEquals(0, started.get(), "the waiting caller leads next");
    assertTrue(turn.hasFollowers());
  }

  @Test
  void nothingIsStartedOnceTheConnectionIsClosed() throws Exception {
    AtomicInteger started = new AtomicInteger();
    ReadTurn turn = new ReadTurn(() -> true, () -> false, started::incrementAndGet);
    actors.on(0, turn::readerWanted);
    actors.on(0, () -> {
      turn.tryTake();
      turn.release();
    });
    assertEquals(0, started.get());
  }

  @Test
  void aReaderIsStartedOnceUntilItBegins() throws Exception {
    AtomicInteger started = new AtomicInteger();
    ReadTurn turn = new ReadTurn(() -> true, () -> true, started::incrementAndGet);
    actors.on(0, turn::readerWanted);
    actors.on(1, turn::readerWanted);
    assertEquals(1, started.get());
    actors.on(2, turn::readerStarted);
    actors.on(1, turn::readerWanted);
    assertEquals(2, started.get());
  }

  /**
   * The holder takes the turn again when a reply's callback makes a sync call in the middle of
   * its batch: the inner release only counts down, and the turn is handed on once, by the outer.
   */
  @Test
  void aNestedTakeKeepsTheTurnUntilTheOuterReleaseHandsItOn() throws Exception {
    AtomicInteger started = new AtomicInteger();
    ReadTurn turn = new ReadTurn(() -> true, () -> true, started::incrementAndGet);
    AtomicBoolean took = new AtomicBoolean();
    AtomicBoolean tookAgain = new AtomicBoolean();
    actors.on(0, () -> took.set(turn.tryTake()));
    actors.on(0, () -> tookAgain.set(turn.tryTake()));
    assertTrue(took.get());
    assertTrue(tookAgain.get(), "its holder takes it again");
    actors.on(0, turn::release); // the inner
    AtomicBoolean other = new AtomicBoolean(true);
    actors.on(1, () -> other.set(turn.tryTake()));
    assertFalse(other.get(), "still held after the inner release");
    actors.on(1, turn::readerWanted);
    assertEquals(0, started.get(), "nobody else reads while the outer holds it");
    actors.on(0, turn::release); // the outer
    assertEquals(1, started.get(), "the outer release handed it on");
    actors.on(1, () -> other.set(turn.tryTake()));
    assertTrue(other.get(), "let go by the outer release");
  }

  /** Its holder is the leader a completing thread wakes; only while it holds the turn. */
  @Test
  void theHolderIsTheLeaderUntilItLetsGo() throws Exception {
    ReadTurn turn = new ReadTurn(() -> false, () -> true, () -> {});
    AtomicReference<Thread> zero = new AtomicReference<>();
    actors.on(0, () -> zero.set(Thread.currentThread()));
    assertFalse(turn.isLeader(zero.get()));
    actors.on(0, turn::tryTake);
    assertTrue(turn.isLeader(zero.get()));
    assertFalse(turn.isMine(), "not this thread's");
    AtomicBoolean mine = new AtomicBoolean();
    actors.on(0, () -> mine.set(turn.isMine()));
    assertTrue(mine.get());
    actors.on(0, turn::release);
    assertFalse(turn.isLeader(zero.get()));
  }

  /** A thread that does not hold the turn cannot let it go, as a lock's unlock refuses. */
  @Test
  void aThreadThatDoesNotHoldTheTurnCannotReleaseIt() throws Exception {
    ReadTurn turn = new ReadTurn(() -> false, () -> true, () -> {});
    actors.on(0, turn::tryTake);
    assertThrows(IllegalMonitorStateException.class, turn::release);
    AtomicBoolean other = new AtomicBoolean(true);
    actors.on(1, () -> other.set(turn.tryTake()));
    assertFalse(other.get(), "still its holder's");
  }
}
