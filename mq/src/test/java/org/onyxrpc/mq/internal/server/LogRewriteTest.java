package org.onyxrpc.mq.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.onyxrpc.mq.internal.wire.Access;
import org.onyxrpc.mq.internal.wire.MqErrno;
import org.onyxrpc.mq.internal.wire.MqFailure;
import org.onyxrpc.mq.internal.wire.OpenRequest;
import org.onyxrpc.mq.internal.wire.Receipt;
import org.onyxrpc.mq.internal.wire.SendRequest;

/**
 * A large log is rewritten in the background: the host's other queues, and the queue itself, are
 * served while it is written, and a crash at any step of it loses no acknowledged message and
 * brings back no taken one.
 */
class LogRewriteTest {
  private static final Caller CALLER = new Caller(1000, 100, new int[0], "client");
  private static final int FILLERS = 20;
  private static final int FILLER_SIZE = 64 * 1024;

  @TempDir
  Path dir;
  @TempDir
  Path crashes;

  private final List<QueueHost> hosts = new ArrayList<>();
  private long receipts = 1;

  @AfterEach
  void stop() {
    hosts.forEach(QueueHost::close);
  }

  private QueueHost host(Path data, LogRewriter.Hook hook) throws IOException {
    QueueHost h = new QueueHost(new HostConfig(256, 65_536, 1 << 20, 1L << 30, 256, 1L << 30, 1024, 65_536, 1024,
        64 << 20, 16 << 20, Duration.ofMinutes(1), Duration.ofMinutes(2), data), hook);
    hosts.add(h);
    return h;
  }

  private static <T> T await(Future<T> call) throws Exception {
    return call.get(10, TimeUnit.SECONDS);
  }

  private static long open(QueueHost h, String name, boolean create) throws Exception {
    return await(h.open(CALLER, new OpenRequest(name, Access.READ_WRITE, create, false, 0600, 64, FILLER_SIZE,
        true))).handle();
  }

  /** A message that says which it is in its first four bytes. */
  private static byte[] message(int id, int size) {
    return ByteBuffer.allocate(size).putInt(id).array();
  }

  private void send(QueueHost h, long q, int id, int priority, int size) throws Exception {
    await(h.send(CALLER, new SendRequest(new Receipt(q, receipts++), priority, message(id, size), 0)));
  }

  /** Receives and commits the next message; its id. */
  private int take(QueueHost h, long q) throws Exception {
    Receipt r = new Receipt(q, receipts++);
    int id = ByteBuffer.wrap(await(h.receive(CALLER, r, 0)).message()).getInt();
    await(h.commit(CALLER, r));
    return id;
  }

  /** What a host started on {@code data} delivers from {@code name}, in order, ids only. */
  private List<Integer> recoveredIds(Path data, String name) throws Exception {
    QueueHost h = host(data, LogRewriter.Hook.NONE);
    long q = open(h, name, false);
    List<Integer> ids = new ArrayList<>();
    while (true) {
      try {
        ids.add(ByteBuffer.wrap(await(h.receive(CALLER, new Receipt(q, receipts++), 0)).message()).getInt());
      } catch (ExecutionException e) {
        assertEquals(MqErrno.EAGAIN, ((MqFailure) e.getCause()).errno());
        return ids;
      }
    }
  }

  /** Copies the data directory as it is now: what a crash at this instant leaves on the disk. */
  private static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
  }

  /** Ids of the messages held: fillers {@code firstFiller..} (priority 1) first, then {@code low} (priority 0). */
  private static List<Integer> expected(int firstFiller, List<Integer> low) {
    List<Integer> ids = new ArrayList<>();
    for (int i = firstFiller; i < FILLERS; i++) {
      ids.add(i);
    }
    ids.addAll(low);
    return ids;
  }

  /**
   * Fills {@code /big} with three small low-priority messages and {@value #FILLERS} of 64 KiB,
   * then takes fillers until a commit starts a rewrite of its log (past 1 MiB, twice what it
   * holds); returns how many were taken.
   */
  private int fillAndDrainUntilRewrite(QueueHost h, long big, Watch watch) throws Exception {
    for (int i = 0; i < 3; i++) {
      send(h, big, 100 + i, 0, 4);
    }
    for (int i = 0; i < FILLERS; i++) {
      send(h, big, i, 1, FILLER_SIZE);
    }
    int taken = 0;
    while (!watch.started.await(0, TimeUnit.SECONDS)) {
      assertEquals(taken, take(h, big));
      taken++;
      assertTrue(taken < FILLERS, "no rewrite began");
    }
    return taken;
  }

  /** Counts steps and lets a test stop the rewrite at one. */
  private static class Watch implements LogRewriter.Hook {
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch swapped = new CountDownLatch(1);
    final CountDownLatch gaveUp = new CountDownLatch(1);
    final CountDownLatch tailCopiedAside = new CountDownLatch(1);
    private int recordsWritten; // on the writer thread only

    @Override
    public void reached(LogRewriter.Step step, Path log) throws IOException {
      if (!log.getFileName().equals(LogFiles.pathOf(log.getParent(), "/big").getFileName())) {
        return;
      }
      if (step == LogRewriter.Step.RECORD_WRITTEN) {
        recordsWritten++;
      }
      at(step, recordsWritten);
      switch (step) {
        case STARTED -> started.countDown();
        case SWAPPED -> swapped.countDown();
        case GAVE_UP -> gaveUp.countDown();
        case TAIL_COPIED_ASIDE -> tailCopiedAside.countDown();
        default -> { }
      }
    }

    /** The test's own action at a step, before the latches hear of it. */
    void at(LogRewriter.Step step, int records) throws IOException {}
  }

  /** Holds the rewrite once its second record is written aside, until released. */
  private static class HeldMidFile extends Watch {
    final CountDownLatch writing = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    volatile Thread writer; // the host's background thread, held

    @Override
    void at(LogRewriter.Step step, int records) {
      if (step == LogRewriter.Step.RECORD_WRITTEN && records == 2) {
        writer = Thread.currentThread();
        writing.countDown();
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt(); // a close stops the writer
        }
      }
    }
  }

  private static void awaitLatch(CountDownLatch latch) throws InterruptedException {
    assertTrue(latch.await(10, TimeUnit.SECONDS));
  }

  @Test
  void otherQueuesAndTheQueueItselfAreServedWhileItsLogIsRewritten() throws Exception {
    HeldMidFile watch = new HeldMidFile(); // in the middle until the others were served
    QueueHost h = host(dir, watch);
    long big = open(h, "/big", true);
    long other = open(h, "/other", true);
    int taken = fillAndDrainUntilRewrite(h, big, watch);
    awaitLatch(watch.writing);

    send(h, other, 7, 0, 16);
    assertEquals(7, take(h, other));
    // More than the owner thread copies itself at the end: the background copies this tail first.
    for (int i = 0; i < 5; i++) {
      send(h, big, 200 + i, 0, FILLER_SIZE);
    }
    assertEquals(taken, take(h, big));
    assertEquals(1, watch.swapped.getCount(), "the rewrite finished while it was held");
    watch.release.countDown();
    awaitLatch(watch.swapped);
    assertEquals(0, watch.tailCopiedAside.getCount());

    assertTrue(Files.size(LogFiles.pathOf(dir, "/big")) < QueueLog.COMPACT_AT_BYTES);
    send(h, big, 210, 0, 4);
    copy(dir, crashes.resolve("after"));
    assertEquals(expected(taken + 1, List.of(100, 101, 102, 200, 201, 202, 203, 204, 210)),
        recoveredIds(crashes.resolve("after"), "/big"));
  }

  @ParameterizedTest(name = "{0} #{1}")
  @CsvSource({"RECORD_WRITTEN, 1", "RECORD_WRITTEN, 6", "ASIDE_WRITTEN, 0", "TAIL_COPIED_ASIDE, 0", "TAIL_COPIED, 0",
      "RENAMED, 0", "SWAPPED, 0"})
  void aCrashAtAnyStepOfARewriteLosesNothing(LogRewriter.Step crashAt, int crashAtRecord) throws Exception {
    Path image = crashes.resolve("image");
    CountDownLatch asideWritten = new CountDownLatch(1);
    CountDownLatch moreDone = new CountDownLatch(1);
    Watch watch = new Watch() {
      @Override
      void at(LogRewriter.Step step, int written) throws IOException {
        if (step == crashAt && (step != LogRewriter.Step.RECORD_WRITTEN || written == crashAtRecord)) {
          copy(dir, image); // nothing else moves meanwhile: the test waits, or this is the owner thread
        }
        if (step == LogRewriter.Step.ASIDE_WRITTEN) {
          asideWritten.countDown();
          try {
            moreDone.await(30, TimeUnit.SECONDS); // the queue takes more records before the rewrite is handed back
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }
    };
    QueueHost h = host(dir, watch);
    long big = open(h, "/big", true);
    int taken = fillAndDrainUntilRewrite(h, big, watch);
    awaitLatch(asideWritten);
    List<Integer> before = expected(taken, List.of(100, 101, 102));
    // A TAKE and SENDs the rewritten log must get from the old one's tail, more than the owner copies itself.
    assertEquals(taken, take(h, big));
    for (int i = 0; i < 5; i++) {
      send(h, big, 200 + i, 0, FILLER_SIZE);
    }
    List<Integer> after = expected(taken + 1, List.of(100, 101, 102, 200, 201, 202, 203, 204));
    moreDone.countDown();
    awaitLatch(watch.swapped);
    assertEquals(0, watch.tailCopiedAside.getCount());

    assertTrue(Files.exists(image), "no crash image taken");
    boolean beforeTheMore = crashAt == LogRewriter.Step.RECORD_WRITTEN || crashAt == LogRewriter.Step.ASIDE_WRITTEN;
    assertEquals(beforeTheMore ? before : after, recoveredIds(image, "/big"));
    try (Stream<Path> left = Files.list(image)) {
      assertEquals(List.of(LogFiles.pathOf(image, "/big")), left.toList(), "a start removes what was left aside");
    }
    copy(dir, crashes.resolve("done"));
    assertEquals(after, recoveredIds(crashes.resolve("done"), "/big"));
  }

  /**
   * A failure in the background or on the owner thread, an I/O error or a bug, gives the rewrite
   * up: nothing is left under way, which would keep its file aside open and the log from ever
   * being compacted again.
   */
  @ParameterizedTest(name = "{0} at {1}")
  @CsvSource({"true, RECORD_WRITTEN", "false, RECORD_WRITTEN", "true, TAIL_COPIED", "false, TAIL_COPIED"})
  void aRewriteThatFailsLeavesTheLogAsItWas(boolean ioError, LogRewriter.Step failAt) throws Exception {
    Watch watch = new Watch() {
      @Override
      void at(LogRewriter.Step step, int records) throws IOException {
        if (step == failAt && (step != LogRewriter.Step.RECORD_WRITTEN || records == 3)) {
          if (ioError) {
            throw new IOException("No space left on device");
          }
          throw new IllegalStateException("a bug");
        }
      }
    };
    QueueHost h = host(dir, watch);
    long big = open(h, "/big", true);
    Path log = LogFiles.pathOf(dir, "/big");
    int taken = fillAndDrainUntilRewrite(h, big, watch);
    awaitLatch(watch.gaveUp);
    assertFalse(Files.exists(LogFiles.rewriteAsideOf(log)));
    assertTrue(Files.size(log) > QueueLog.COMPACT_AT_BYTES);
    assertEquals(taken, take(h, big)); // the log still takes records
    copy(dir, crashes.resolve("image"));
    assertEquals(expected(taken + 1, List.of(100, 101, 102)), recoveredIds(crashes.resolve("image"), "/big"));
  }

  @Test
  void aHostClosedWhileALogIsRewrittenLeavesTheLogWholeAndNothingAside() throws Exception {
    HeldMidFile watch = new HeldMidFile(); // never released: the close interrupts the writer
    QueueHost h = host(dir, watch);
    long big = open(h, "/big", true);
    int taken = fillAndDrainUntilRewrite(h, big, watch);
    awaitLatch(watch.writing);
    h.close();
    awaitLatch(watch.gaveUp);
    watch.writer.join(TimeUnit.SECONDS.toMillis(10));
    assertFalse(watch.writer.isAlive(), "the host's rewrite thread outlived its close");
    Path log = LogFiles.pathOf(dir, "/big");
    assertFalse(Files.exists(LogFiles.rewriteAsideOf(log)));
    assertEquals(expected(taken, List.of(100, 101, 102)), recoveredIds(dir, "/big"));
  }

  @Test
  void aQueueUnlinkedWhileItsLogIsRewrittenLeavesNothingOverANewQueueOfItsName() throws Exception {
    HeldMidFile watch = new HeldMidFile();
    QueueHost h = host(dir, watch);
    long big = open(h, "/big", true);
    fillAndDrainUntilRewrite(h, big, watch);
    awaitLatch(watch.writing);
    await(h.unlink(CALLER, "/big"));
    awaitLatch(watch.gaveUp);
    long fresh = open(h, "/big", true);
    send(h, fresh, 300, 0, 4);
    watch.release.countDown(); // the abandoned writer goes on, into a file no longer there
    send(h, big, 301, 0, 4); // the unlinked queue lives on for its handle, writing no log

    copy(dir, crashes.resolve("image"));
    assertEquals(List.of(300), recoveredIds(crashes.resolve("image"), "/big"));
  }
}
