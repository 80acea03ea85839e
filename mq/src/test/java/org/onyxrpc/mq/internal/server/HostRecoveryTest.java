package org.onyxrpc.mq.internal.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.mq.internal.wire.Access;
import org.onyxrpc.mq.internal.wire.MqErrno;
import org.onyxrpc.mq.internal.wire.MqFailure;
import org.onyxrpc.mq.internal.wire.OpenRequest;
import org.onyxrpc.mq.internal.wire.Receipt;
import org.onyxrpc.mq.internal.wire.SendRequest;

/**
 * A host started again on the data directory of one that stopped without closing anything (as
 * after {@code kill -9}): what was committed stays taken, what was only reserved comes back, and
 * damaged logs stop the start without a byte of any log changed.
 */
class HostRecoveryTest {
  private static final Caller CALLER = new Caller(1000, 100, new int[0], "client");

  @TempDir
  Path dir;

  private final List<QueueHost> hosts = new ArrayList<>();

  @AfterEach
  void stop() {
    hosts.forEach(QueueHost::close);
  }

  private QueueHost host(long maxMessageSize) throws IOException {
    return host(maxMessageSize, LogRewriter.Hook.NONE);
  }

  private QueueHost host(long maxMessageSize, LogRewriter.Hook hook) throws IOException {
    QueueHost h = new QueueHost(new HostConfig(256, 65_536, maxMessageSize, 1L << 30, 256, 1L << 30, 1024, 65_536, 1024,
        64 << 20, 16 << 20, Duration.ofMinutes(1), Duration.ofMinutes(2), dir), hook);
    hosts.add(h);
    return h;
  }

  private static <T> T await(Future<T> call) throws Exception {
    return call.get(10, TimeUnit.SECONDS);
  }

  private static long open(QueueHost h, String name, long messageSize) throws Exception {
    return await(h.open(CALLER, new OpenRequest(name, Access.READ_WRITE, true, false, 0600, 10, messageSize, true)))
        .handle();
  }

  private static void send(QueueHost h, long handle, byte[] message) throws Exception {
    await(h.send(CALLER, new SendRequest(new Receipt(handle, 0), 0, message, 0)));
  }

  private static byte[] receive(QueueHost h, Receipt receipt) throws Exception {
    return await(h.receive(CALLER, receipt, 0)).message();
  }

  private static MqErrno errnoOf(Future<?> call) throws Exception {
    try {
      await(call);
    } catch (ExecutionException e) {
      return ((MqFailure) e.getCause()).errno();
    }
    throw new AssertionError("the call succeeded");
  }

  @Test
  void committedMessagesStayTakenAndReservedOnesComeBack() throws Exception {
    QueueHost before = host(1 << 20);
    long q = open(before, "/jobs", 16);
    for (int i = 0; i < 3; i++) {
      send(before, q, new byte[] {(byte) i});
    }
    Receipt committed = new Receipt(q, 1);
    assertArrayEquals(new byte[] {0}, receive(before, committed));
    await(before.commit(CALLER, committed));
    assertArrayEquals(new byte[] {1}, receive(before, new Receipt(q, 2))); // reserved, never committed

    // Started again while the first still holds everything, as after kill -9: nothing was closed.
    QueueHost after = host(1 << 20);
    long again = await(after.open(CALLER, new OpenRequest("/jobs", Access.READ_WRITE, false, false, 0, 0, 0, false)))
        .handle();
    assertArrayEquals(new byte[] {1}, receive(after, new Receipt(again, 1)));
    assertArrayEquals(new byte[] {2}, receive(after, new Receipt(again, 2)));
    assertEquals(MqErrno.EAGAIN, errnoOf(after.receive(CALLER, new Receipt(again, 3), 0)));
  }

  @Test
  void aQueueKeepsItsMessagesWhenTheServerAllowsSmallerOnesNow() throws Exception {
    QueueHost before = host(1 << 20);
    long q = open(before, "/big", 8192);
    send(before, q, new byte[8000]);
    send(before, q, new byte[] {1});

    QueueHost after = host(1024);
    long again = await(after.open(CALLER, new OpenRequest("/big", Access.READ_ONLY, false, false, 0, 0, 0, false)))
        .handle();
    assertEquals(8000, receive(after, new Receipt(again, 1)).length);
    assertArrayEquals(new byte[] {1}, receive(after, new Receipt(again, 2)));
  }

  @Test
  void theLogOfAQueueThatNeverDrainsStaysBoundedAndKeepsReservedMessages() throws Exception {
    AtomicInteger rewrites = new AtomicInteger();
    Semaphore rewritten = new Semaphore(0);
    QueueHost before = host(1 << 20, (step, path) -> {
      switch (step) {
        case STARTED -> rewrites.incrementAndGet();
        case SWAPPED, GAVE_UP -> rewritten.release();
        default -> { }
      }
    });
    long q = open(before, "/busy", 64 * 1024);
    Path log = LogFiles.pathOf(dir, "/busy");
    long bound = QueueLog.COMPACT_AT_BYTES + 4 * (64 * 1024 + 64);
    send(before, q, message(0));
    for (int i = 1; i <= 40; i++) {
      send(before, q, message(i));
      assertEquals(i - 1, receive(before, new Receipt(q, i))[0]); // one reserved, one ready, always
      if (i >= 2) {
        await(before.commit(CALLER, new Receipt(q, i - 1)));
      }
      // A rewrite runs in the background: the log is measured once the one a commit began is done.
      assertTrue(rewritten.tryAcquire(rewrites.getAndSet(0), 10, TimeUnit.SECONDS));
      assertTrue(Files.size(log) <= bound, "the log has " + Files.size(log) + " bytes after " + i + " rounds");
    }
    QueueHost after = host(1 << 20);
    long again = await(after.open(CALLER, new OpenRequest("/busy", Access.READ_ONLY, false, false, 0, 0, 0, false)))
        .handle();
    assertEquals(39, receive(after, new Receipt(again, 1))[0]);
    assertEquals(40, receive(after, new Receipt(again, 2))[0]);
    assertEquals(MqErrno.EAGAIN, errnoOf(after.receive(CALLER, new Receipt(again, 3), 0)));
  }

  @Test
  void anUnlinkedQueueStillInUseNeverWritesOverTheLogOfANewQueueOfItsName() throws Exception {
    QueueHost before = host(1 << 20);
    long old = open(before, "/u", 512 * 1024);
    await(before.unlink(CALLER, "/u"));
    long fresh = open(before, "/u", 16);
    send(before, fresh, new byte[] {42});
    for (int i = 1; i <= 3; i++) { // the old queue's traffic: past 1 MiB, drained, as compaction wants it
      send(before, old, new byte[512 * 1024]);
      receive(before, new Receipt(old, i));
      await(before.commit(CALLER, new Receipt(old, i)));
    }
    QueueHost after = host(1 << 20);
    long again = await(after.open(CALLER, new OpenRequest("/u", Access.READ_ONLY, false, false, 0, 0, 0, false)))
        .handle();
    assertArrayEquals(new byte[] {42}, receive(after, new Receipt(again, 1)));
  }

  private static byte[] message(int i) {
    byte[] m = new byte[64 * 1024];
    m[0] = (byte) i;
    return m;
  }

  @Test
  void aLogWhoseCreationNeverFinishedIsRemovedAndTheOthersServe() throws Exception {
    QueueHost before = host(1 << 20);
    send(before, open(before, "/kept", 16), new byte[] {5});
    Path kept = LogFiles.pathOf(dir, "/kept");
    byte[] create = LogRecords.create("/half", new QueueOwner(1000, 100, 0600), 10, 16);
    Files.write(LogFiles.pathOf(dir, "/empty"), new byte[0]); // created, nothing written yet
    Path halfCreated = LogFiles.pathOf(dir, "/half");
    Files.write(halfCreated, Arrays.copyOf(create, create.length / 2));
    Path aside = dir.resolve(kept.getFileName() + LogFiles.TEMPORARY_SUFFIX); // a creation never renamed
    Files.write(aside, new byte[] {1, 2, 3});
    Path rewrite = LogFiles.rewriteAsideOf(kept); // a compaction never renamed
    Files.write(rewrite, new byte[] {1, 2, 3});

    QueueHost after = host(1 << 20);
    assertFalse(Files.exists(LogFiles.pathOf(dir, "/empty")));
    assertFalse(Files.exists(halfCreated));
    assertFalse(Files.exists(aside));
    assertFalse(Files.exists(rewrite));
    assertTrue(Files.exists(kept));
    long again = await(after.open(CALLER, new OpenRequest("/kept", Access.READ_ONLY, false, false, 0, 0, 0, false)))
        .handle();
    assertArrayEquals(new byte[] {5}, receive(after, new Receipt(again, 1)));
    assertEquals(MqErrno.ENOENT,
        errnoOf(after.open(CALLER, new OpenRequest("/half", Access.READ_ONLY, false, false, 0, 0, 0, false))));
  }

  @Test
  void aDamagedLogStopsTheStartAndNoLogIsChanged() throws Exception {
    QueueHost before = host(1 << 20);
    long torn = open(before, "/torn", 16);
    long damaged = open(before, "/z-damaged", 16);
    for (int i = 0; i < 10; i++) {
      send(before, torn, new byte[] {(byte) i});
      send(before, damaged, new byte[] {(byte) i});
    }
    Path tornLog = LogFiles.pathOf(dir, "/torn");
    Path damagedLog = LogFiles.pathOf(dir, "/z-damaged");
    byte[] tornBytes = Files.readAllBytes(tornLog);
    tornBytes = Arrays.copyOf(tornBytes, tornBytes.length - 3);
    Files.write(tornLog, tornBytes);
    byte[] damagedBytes = Files.readAllBytes(damagedLog);
    damagedBytes[60] ^= 4; // in its first SEND record, nine after it
    Files.write(damagedLog, damagedBytes);

    // "/torn"'s log is read first (logs are read in name order), and must not be cut all the same.
    DamagedLogException e = assertThrows(DamagedLogException.class, () -> host(1 << 20));
    assertEquals(damagedLog, e.path());
    assertArrayEquals(tornBytes, Files.readAllBytes(tornLog), "the torn log was cut although the start failed");
    assertArrayEquals(damagedBytes, Files.readAllBytes(damagedLog));
  }

  @Test
  void twoLogsOfOneQueueStopTheStart() throws Exception {
    QueueHost before = host(1 << 20);
    send(before, open(before, "/twice", 16), new byte[] {1});
    Path log = LogFiles.pathOf(dir, "/twice");
    Path copy = dir.resolve("copy.mqlog");
    Files.copy(log, copy);
    // Else one would be served and the other come back after its unlink, at the next start.
    IOException e = assertThrows(IOException.class, () -> host(1 << 20));
    assertEquals(log + " and " + copy + " are both logs of queue /twice; move the one that does not belong away",
        e.getMessage());
  }

  @Test
  void createNeedsNoLogOfThatNameAndLeavesNoneWhenRefused() throws Exception {
    Files.createDirectories(dir);
    Files.write(LogFiles.pathOf(dir, "/taken"), new byte[] {9});
    QueueHost h = host(1 << 20);
    assertFalse(Files.exists(LogFiles.pathOf(dir, "/taken")), "an unfinished creation is removed at start");
    Files.write(LogFiles.pathOf(dir, "/taken"), new byte[] {9}); // appears while the host runs
    assertEquals(MqErrno.EIO, errnoOf(h.open(CALLER,
        new OpenRequest("/taken", Access.READ_WRITE, true, false, 0600, 10, 16, true))));
    assertArrayEquals(new byte[] {9}, Files.readAllBytes(LogFiles.pathOf(dir, "/taken")));
  }
}
