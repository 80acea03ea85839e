package org.onyxrpc.mq.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The room a log's sends leave for their TAKE records (FullDiskTest fills a real disk as root):
 * counted across logs, given back by takes and by an unlink.
 */
class DiskReserveTest {
  private static final QueueOwner OWNER = new QueueOwner(1000, 100, 0600);
  private static final LogRewriter INLINE = new LogRewriter(Runnable::run, Runnable::run, LogRewriter.Hook.NONE);
  private static final long TAKE = LogRecords.take(0).length;
  private static final long SEND = LogRecords.send(new StoredMessage(0, 0, new byte[8])).length;

  @TempDir
  Path dir;

  @Test
  void sendsLeaveRoomForEveryHeldMessagesTakeAcrossLogs() throws Exception {
    AtomicLong usable = new AtomicLong(SEND + 2 * TAKE + DiskReserve.SLACK);
    DiskReserve reserve = new DiskReserve(usable::get);
    QueueLog a = QueueLog.create(dir, "/a", OWNER, 10, 8, INLINE);
    QueueLog b = QueueLog.create(dir, "/b", OWNER, 10, 8, INLINE);
    a.reserveFrom(reserve, 0);
    b.reserveFrom(reserve, 1); // recovered with one message
    b.appendSend(new StoredMessage(0, 1, new byte[8])); // just room for its record and both takes

    usable.set(SEND + 3 * TAKE + DiskReserve.SLACK - 1); // a's send would leave one byte too few
    IOException full = assertThrows(IOException.class, () -> a.appendSend(new StoredMessage(0, 0, new byte[8])));
    assertTrue(full.getMessage().startsWith("No space left on device"), full.getMessage());
    usable.incrementAndGet();
    a.appendSend(new StoredMessage(0, 0, new byte[8]));
    assertEquals(3, reserve.held());

    b.appendTake(1);
    assertEquals(2, reserve.held());
    b.delete();
    assertEquals(1, reserve.held(), "an unlinked log's messages are never taken");
    a.close();
  }
}
