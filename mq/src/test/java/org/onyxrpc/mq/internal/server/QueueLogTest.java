package org.onyxrpc.mq.internal.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The durable log read back: sends minus takes, a torn or corrupt last record cut off; compaction. */
class QueueLogTest {
  private static final LogRewriter INLINE = new LogRewriter(Runnable::run, Runnable::run, LogRewriter.Hook.NONE);
  private static final QueueOwner OWNER = new QueueOwner(1000, 100, 0640);

  @TempDir
  Path dir;

  private QueueLog logWithThreeSendsAndATake() throws IOException {
    QueueLog log = QueueLog.create(dir, "/q", OWNER, 10, 64, INLINE);
    log.appendSend(new StoredMessage(1, 0, new byte[] {0}));
    log.appendSend(new StoredMessage(5, 1, new byte[] {1, 1}));
    log.appendSend(new StoredMessage(1, 2, new byte[] {2}));
    log.appendTake(1);
    return log;
  }

  @Test
  void readsBackWhatWasSentAndNotTaken() throws IOException {
    logWithThreeSendsAndATake().close();
    LogReader.Recovered r = LogReader.read(LogFiles.pathOf(dir, "/q"));
    assertEquals("/q", r.name());
    assertEquals(OWNER, r.owner());
    assertEquals(10, r.maxMessages());
    assertEquals(64, r.messageSize());
    assertEquals(List.of(0L, 2L), r.messages().stream().map(StoredMessage::sequence).toList());
    assertEquals(3, r.nextSequence());
    assertEquals(Files.size(LogFiles.pathOf(dir, "/q")), r.validBytes());
  }

  @Test
  void aTornLastRecordIsCutOffAndTheLogContinuesAfterTheWholeOnes() throws IOException {
    logWithThreeSendsAndATake().close();
    Path path = LogFiles.pathOf(dir, "/q");
    long whole = Files.size(path);
    byte[] torn = LogRecords.record(LogRecords.SEND, new byte[] {0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 1, 9});
    Files.write(path, Arrays.copyOf(torn, torn.length - 3), StandardOpenOption.APPEND);

    LogReader.Recovered r = LogReader.read(path);
    assertEquals(whole, r.validBytes());
    assertEquals(2, r.messages().size());
    QueueLog reopened = QueueLog.reopen(path, r.createRecord(), r.validBytes(), INLINE);
    reopened.appendSend(new StoredMessage(7, r.nextSequence(), new byte[] {7}));
    reopened.close();
    LogReader.Recovered again = LogReader.read(path);
    assertEquals(3, again.messages().size());
    assertArrayEquals(new byte[] {7}, again.messages().get(2).payload());
  }

  @Test
  void aCorruptLastRecordIsCutOffAsATornWrite() throws IOException {
    logWithThreeSendsAndATake().close();
    Path path = LogFiles.pathOf(dir, "/q");
    byte[] bytes = Files.readAllBytes(path);
    bytes[bytes.length - 6] ^= 1; // inside the TAKE record: its CRC no longer matches
    Files.write(path, bytes);
    LogReader.Recovered r = LogReader.read(path);
    assertEquals(3, r.messages().size());
    assertEquals(bytes.length - 17, r.validBytes()); // a TAKE record is 17 bytes
  }

  @Test
  void aHugeLengthIsNotAllocated() throws IOException {
    Path path = dir.resolve("x.mqlog");
    Files.write(path, new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1});
    assertThrows(LogReader.UnfinishedLogException.class, () -> LogReader.read(path));
  }

  @Test
  void aDrainedLargeLogStartsAgainWithItsCreateRecord() throws IOException {
    QueueLog log = QueueLog.create(dir, "/big", OWNER, 10, 1 << 20, INLINE);
    for (int i = 0; i < 3; i++) {
      log.appendSend(new StoredMessage(0, i, new byte[512 * 1024]));
      log.appendTake(i);
    }
    assertTrue(log.compactIfLarge(0, 0, List::of));
    log.appendSend(new StoredMessage(0, 3, new byte[] {3}));
    log.close();
    Path path = LogFiles.pathOf(dir, "/big");
    LogReader.Recovered r = LogReader.read(path);
    assertEquals(1, r.messages().size());
    assertEquals(r.validBytes(), Files.size(path));
    assertEquals(true, Files.size(path) < 1024);
  }

  @Test
  void aRewriteThatFailsLeavesTheLogAndIsNotTriedAgainAtOnce() throws IOException {
    QueueLog log = QueueLog.create(dir, "/full", OWNER, 10, 1 << 20, INLINE);
    Path path = LogFiles.pathOf(dir, "/full");
    for (int i = 0; i < 3; i++) {
      log.appendSend(new StoredMessage(0, i, new byte[512 * 1024]));
      log.appendTake(i);
    }
    long size = Files.size(path);
    Path aside = LogFiles.rewriteAsideOf(path);
    Files.createDirectories(aside.resolve("in-the-way")); // the new log cannot be written
    assertThrows(IOException.class, () -> log.compactIfLarge(0, 0, List::of));
    assertEquals(size, Files.size(path));
    assertEquals(false, log.compactIfLarge(0, 0, List::of), "tried again at the next commit");

    Files.delete(aside.resolve("in-the-way"));
    Files.delete(aside);
    log.appendSend(new StoredMessage(0, 3, new byte[512 * 1024]));
    log.appendTake(3);
    assertEquals(false, log.compactIfLarge(0, 0, List::of));
    log.appendSend(new StoredMessage(0, 4, new byte[512 * 1024]));
    log.appendTake(4);
    assertTrue(log.compactIfLarge(0, 0, List::of));
    log.close();
    assertEquals(List.of(), LogReader.read(path).messages());
  }
}
