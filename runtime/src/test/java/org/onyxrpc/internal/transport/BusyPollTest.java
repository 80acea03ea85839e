package org.onyxrpc.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.channel.SelectStrategy;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The busy-polling loop's choice between polling again and sleeping, on a clock of the test's. */
class BusyPollTest {
  private static final long POLL = 50_000;

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final AtomicInteger ready = new AtomicInteger();
  private final AtomicInteger polls = new AtomicInteger();
  private final BusyPoll poll = new BusyPoll(POLL, now::get);

  private int strategy(boolean hasTasks) throws Exception {
    return poll.calculateStrategy(() -> {
      polls.incrementAndGet();
      return ready.get();
    }, hasTasks);
  }

  @Test
  void eventsThatAreReadyAreHandledAtOnce() throws Exception {
    ready.set(3);
    assertEquals(3, strategy(false));
    assertEquals(1, polls.get());
  }

  @Test
  void afterAnEventItPollsAgainUntilThePollingTimeIsOverThenSleeps() throws Exception {
    ready.set(1);
    strategy(false);
    ready.set(0);
    now.addAndGet(POLL - 1);
    assertEquals(0, strategy(false), "within the polling time: ask again");
    now.addAndGet(1);
    assertEquals(SelectStrategy.SELECT, strategy(false), "the polling time is over: sleep");
  }

  @Test
  void eachEventStartsThePollingTimeAgain() throws Exception {
    ready.set(1);
    strategy(false);
    now.addAndGet(POLL - 1);
    assertEquals(1, strategy(false));
    ready.set(0);
    now.addAndGet(POLL - 1);
    assertEquals(0, strategy(false));
  }

  @Test
  void tasksCountAsActivityAndNeverSleep() throws Exception {
    now.addAndGet(10 * POLL);
    assertEquals(0, strategy(true), "a loop with tasks must run them, not sleep");
    now.addAndGet(POLL - 1);
    assertEquals(0, strategy(false));
  }

  @Test
  void aLoopThatHasSeenNothingSleepsOnceThePollingTimeFromItsStartIsOver() throws Exception {
    assertEquals(0, strategy(false));
    now.addAndGet(POLL);
    assertEquals(SelectStrategy.SELECT, strategy(false));
  }
}
