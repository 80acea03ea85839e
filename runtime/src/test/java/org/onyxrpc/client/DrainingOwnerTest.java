package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.onyxrpc.testing.Actors;

/**
 * The caller-runs owner of a client's calls: work handed to it runs once, one task at a time,
 * in the order each thread gave it, and none is left behind when its holder lets go.
 */
class DrainingOwnerTest {
  @RegisterExtension final Actors actors = new Actors(3);

  /** What the owner did with the tasks: which ran, in what order, and whether two overlapped. */
  private static final class Record {
    final List<String> ran = new ArrayList<>();
    final AtomicInteger running = new AtomicInteger();
    final AtomicBoolean overlapped = new AtomicBoolean();
    final AtomicBoolean holding = new AtomicBoolean();

    Runnable task(String name) {
      return () -> {
        if (running.incrementAndGet() != 1) {
          overlapped.set(true);
        }
        synchronized (ran) {
          ran.add(name);
        }
        running.decrementAndGet();
      };
    }
  }

  private interface Step {
    void run(DrainingOwner owner, Record record);
  }

  private static final Step ENTER = (owner, r) -> r.holding.set(owner.tryEnter());
  private static final Step EXIT = (owner, r) -> {
    if (r.holding.getAndSet(false)) {
      owner.exit();
    }
  };

  private static Step execute(String name) {
    return (owner, r) -> owner.execute(r.task(name));
  }

  /**
   * Every interleaving of a holder (enter, exit: a reader completing replies) and two threads
   * handing over work (a caller's two calls, a timer): whenever nobody holds the owner, every
   * task handed over has run, once, alone, and each thread's in the order it gave them.
   */
  @Test
  void inEveryInterleavingEveryTaskRunsOnceAloneAndInOrder() throws Exception {
    List<List<Step>> programs = List.of(List.of(ENTER, EXIT),
        List.of(execute("a1"), execute("a2")), List.of(execute("b")));
    List<List<String>> names = List.of(List.of(), List.of("a1", "a2"), List.of("b"));
    int[] orders = {0};
    Interleavings.each(programs, order -> {
      orders[0]++;
      DrainingOwner owner = new DrainingOwner();
      Record record = new Record();
      int[] next = new int[programs.size()];
      List<String> given = new ArrayList<>();
      for (int who : order) {
        int index = next[who]++;
        Step step = programs.get(who).get(index);
        if (index < names.get(who).size()) {
          given.add(names.get(who).get(index));
        }
        actors.on(who, () -> step.run(owner, record));
        if (!record.holding.get()) {
          assertEquals(given.size(), record.ran.size(), "work left behind after " + order);
        }
      }
      assertEquals(3, record.ran.size(), "after " + order);
      assertTrue(record.ran.indexOf("a1") < record.ran.indexOf("a2"), "out of order: " + order);
      assertFalse(record.overlapped.get());
      assertTrue(owner.tryEnter(), "left owned after " + order);
      owner.exit();
    });
    assertEquals(30, orders[0]); // 5! / (2! 2! 1!)
  }

  @Test
  void workHandedOverWhileOwnedRunsOnTheHolderWhenItLetsGo() throws Exception {
    DrainingOwner owner = new DrainingOwner();
    AtomicBoolean entered = new AtomicBoolean();
    List<Thread> ranOn = new ArrayList<>();
    actors.on(0, () -> entered.set(owner.tryEnter()));
    actors.on(1, () -> owner.execute(() -> ranOn.add(Thread.currentThread())));
    assertTrue(entered.get());
    assertTrue(ranOn.isEmpty(), "the giver did not wait for the holder");
    Thread[] holder = new Thread[1];
    actors.on(0, () -> {
      holder[0] = Thread.currentThread();
      owner.exit();
    });
    assertEquals(List.of(holder[0]), ranOn);
  }

  @Test
  void theOwnerRunsWhatItHandsItselfAtOnce() {
    DrainingOwner owner = new DrainingOwner();
    List<String> ran = new ArrayList<>();
    owner.execute(() -> {
      ran.add("outer");
      owner.execute(() -> ran.add("inner")); // a reply's callback making a call
      assertTrue(owner.isOwner());
      ran.add("outer again");
    });
    assertEquals(List.of("outer", "inner", "outer again"), ran);
    assertFalse(owner.isOwner());
  }

  /**
   * A task left for the holder that itself hands the owner work (a reply's callback making a
   * call): before, its inner exit let the owner go while the holder was still running the queue,
   * and a second thread could own at the same time (two writers on one socket).
   */
  @Test
  void aQueuedTaskThatHandsOverWorkKeepsTheOwnerOwned() throws Exception {
    DrainingOwner owner = new DrainingOwner();
    AtomicBoolean entered = new AtomicBoolean();
    List<Boolean> stillOwned = new ArrayList<>();
    actors.on(0, () -> entered.set(owner.tryEnter()));
    actors.on(1, () -> owner.execute(() -> {
      owner.execute(() -> { }); // nested, on the holder
      stillOwned.add(owner.isOwner());
    }));
    actors.on(1, () -> owner.execute(() -> stillOwned.add(owner.isOwner())));
    actors.on(0, owner::exit);
    assertTrue(entered.get());
    assertEquals(List.of(true, true), stillOwned);
    assertTrue(owner.tryEnter(), "let go at the end");
    owner.exit();
  }

  @Test
  void aFailingTaskDoesNotStopTheOthers() throws Exception {
    DrainingOwner owner = new DrainingOwner();
    AtomicBoolean entered = new AtomicBoolean();
    AtomicBoolean after = new AtomicBoolean();
    actors.on(0, () -> entered.set(owner.tryEnter()));
    actors.on(1, () -> owner.execute(() -> {
      throw new IllegalStateException("a broken callback");
    }));
    actors.on(1, () -> owner.execute(() -> after.set(true)));
    actors.on(0, owner::exit);
    assertTrue(entered.get());
    assertTrue(after.get());
  }

  /** Many threads at once: no task lost or run twice, never two at a time (no timing asserted). */
  @Test
  void underContentionEveryTaskRunsOnceAndAlone() throws Exception {
    DrainingOwner owner = new DrainingOwner();
    int threads = 4;
    int each = 20_000;
    int[] unguarded = {0}; // touched only by tasks: correct only if they never overlap
    Record record = new Record();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> started = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread thread = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < each; i++) {
          owner.execute(() -> {
            if (record.running.incrementAndGet() != 1) {
              record.overlapped.set(true);
            }
            if ((unguarded[0]++ & 7) == 0) {
              owner.execute(() -> { }); // now and then, as a callback that makes a call
            }
            record.running.decrementAndGet();
          });
        }
      });
      thread.start();
      started.add(thread);
    }
    go.countDown();
    for (Thread t : started) {
      t.join(TimeUnit.MINUTES.toMillis(1));
    }
    assertFalse(record.overlapped.get());
    assertTrue(owner.tryEnter()); // and with it, what anyone left has run
    owner.exit();
    assertEquals(threads * each, unguarded[0]);
  }
}
