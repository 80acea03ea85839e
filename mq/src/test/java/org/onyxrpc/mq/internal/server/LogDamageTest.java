package org.onyxrpc.mq.internal.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a crash can leave at a log's end is dropped, and nothing more; damage a crash cannot cause
 * is refused with the file and the offset, and the file is left as it was.
 */
class LogDamageTest {
  private static final LogRewriter INLINE = new LogRewriter(Runnable::run, Runnable::run, LogRewriter.Hook.NONE);
  private static final QueueOwner OWNER = new QueueOwner(1000, 100, 0640);
  private static final int MESSAGE_SIZE = 64;

  @TempDir
  Path dir;

  /** A log of {@code sends} messages of 8 bytes, then a TAKE of the first; returns each record's offset. */
  private long[] log(int sends) throws IOException {
    QueueLog log = QueueLog.create(dir, "/q", OWNER, 100, MESSAGE_SIZE, INLINE);
    long[] offsets = new long[sends + 2];
    offsets[0] = 0;
    offsets[1] = Files.size(path());
    for (int i = 0; i < sends; i++) {
      log.appendSend(new StoredMessage(i % 2, i, ByteBuffer.allocate(8).putLong(i * 1_000_001L).array()));
      offsets[i + 2] = Files.size(path());
    }
    log.appendTake(0);
    log.close();
    return offsets;
  }

  private Path path() {
    return LogFiles.pathOf(dir, "/q");
  }

  private List<Long> sequences(LogReader.Recovered r) {
    return r.messages().stream().map(StoredMessage::sequence).toList();
  }

  @Test
  void aLastRecordCutShortAtAnyByteIsDroppedWithNothingBeforeIt() throws IOException {
    long[] offsets = log(3);
    byte[] whole = Files.readAllBytes(path());
    long lastStart = offsets[offsets.length - 1]; // the TAKE record
    for (long cut = lastStart + 1; cut < whole.length; cut++) {
      Files.write(path(), Arrays.copyOf(whole, (int) cut));
      LogReader.Recovered r = LogReader.read(path());
      assertEquals(List.of(0L, 1L, 2L), sequences(r), "cut at " + cut);
      assertEquals(lastStart, r.validBytes(), "cut at " + cut);
      assertEquals(cut - lastStart, r.tornBytes(), "cut at " + cut);
    }
    // A SEND record cut short, and the log continued after the whole records.
    Files.write(path(), Arrays.copyOf(whole, (int) offsets[3] - 5));
    LogReader.Recovered r = LogReader.read(path());
    assertEquals(List.of(0L), sequences(r));
    assertEquals(offsets[2], r.validBytes());
    QueueLog reopened = QueueLog.reopen(path(), r.createRecord(), r.validBytes(), INLINE);
    reopened.appendSend(new StoredMessage(3, r.nextSequence(), new byte[] {7}));
    reopened.close();
    LogReader.Recovered again = LogReader.read(path());
    assertEquals(List.of(0L, 1L), sequences(again));
    assertArrayEquals(new byte[] {7}, again.messages().get(1).payload());
    assertEquals(0, again.tornBytes());
  }

  @Test
  void aZeroFilledTailOfAnyLengthIsDropped() throws IOException {
    long[] offsets = log(3);
    byte[] whole = Files.readAllBytes(path());
    // The file system extended the file and never wrote the data: a torn record, then zeros.
    byte[] withZeros = Arrays.copyOf(whole, whole.length + 10_000);
    LogReader.Recovered r = LogReader.read(write(withZeros));
    assertEquals(List.of(1L, 2L), sequences(r));
    assertEquals(whole.length, r.validBytes());
    byte[] tornThenZeros = Arrays.copyOf(Arrays.copyOf(whole, (int) offsets[4] - 3), whole.length + 4096);
    r = LogReader.read(write(tornThenZeros));
    assertEquals(List.of(0L, 1L), sequences(r));
    assertEquals(offsets[3], r.validBytes());
  }

  @Test
  void garbageNoLongerThanOneRecordAfterTheLastWholeOneIsDropped() throws IOException {
    log(3);
    byte[] whole = Files.readAllBytes(path());
    byte[] garbage = new byte[MESSAGE_SIZE];
    Arrays.fill(garbage, (byte) 0xA5); // a length of 0xA5A5A5A5: no record of this queue
    byte[] withGarbage = Arrays.copyOf(whole, whole.length + garbage.length);
    System.arraycopy(garbage, 0, withGarbage, whole.length, garbage.length);
    LogReader.Recovered r = LogReader.read(write(withGarbage));
    assertEquals(List.of(1L, 2L), sequences(r));
    assertEquals(whole.length, r.validBytes());
  }

  @Test
  void aBitFlippedInAMiddleRecordIsRefusedWithFileAndOffsetAndNothingIsCut() throws IOException {
    long[] offsets = log(20);
    byte[] bytes = Files.readAllBytes(path());
    bytes[(int) offsets[3] + 10] ^= 0x10; // the payload of the second SEND record
    write(bytes);
    DamagedLogException e = assertThrows(DamagedLogException.class, () -> LogReader.read(path()));
    assertEquals(offsets[3], e.offset());
    assertEquals(path(), e.path());
    assertTrue(e.getMessage().startsWith(path() + ": damaged record at offset " + offsets[3]
        + " (its checksum does not match), "), e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
    assertArrayEquals(bytes, Files.readAllBytes(path()));
  }

  @Test
  void aDamagedLengthInTheMiddleIsRefused() throws IOException {
    long[] offsets = log(20);
    byte[] bytes = Files.readAllBytes(path());
    bytes[(int) offsets[5]] = 0x40; // a length of 1 GiB and more, where 30 bytes follow
    write(bytes);
    assertEquals(offsets[5], assertThrows(DamagedLogException.class, () -> LogReader.read(path())).offset());
  }

  @Test
  void aDamagedLastRecordFollowedByARecordIsRefused() throws IOException {
    long[] offsets = log(2); // CREATE, SEND, SEND, TAKE: less than one large record after the damage
    byte[] bytes = Files.readAllBytes(path());
    bytes[(int) offsets[2] + 6] ^= 1; // the second SEND, with the TAKE after it
    write(bytes);
    assertEquals(offsets[2], assertThrows(DamagedLogException.class, () -> LogReader.read(path())).offset());
  }

  @Test
  void aWholeRecordThisVersionDoesNotWriteIsRefusedNotCut() throws IOException {
    long[] offsets = log(3);
    byte[] whole = Files.readAllBytes(path());
    byte[] unknown = LogRecords.record((byte) 9, new byte[] {1, 2, 3});
    byte[] shortSend = LogRecords.record(LogRecords.SEND, new byte[] {1, 2, 3}); // no sequence, no priority
    for (byte[] odd : List.of(unknown, shortSend)) {
      byte[] bytes = new byte[whole.length + odd.length];
      System.arraycopy(whole, 0, bytes, 0, (int) offsets[2]);
      System.arraycopy(odd, 0, bytes, (int) offsets[2], odd.length);
      System.arraycopy(whole, (int) offsets[2], bytes, (int) offsets[2] + odd.length, whole.length - (int) offsets[2]);
      write(bytes);
      DamagedLogException e = assertThrows(DamagedLogException.class, () -> LogReader.read(path()));
      assertEquals(offsets[2], e.offset());
      assertTrue(e.getMessage().contains("which this version does not write"), e.getMessage());
    }
  }

  @Test
  void aDamagedCreateRecordWithRecordsAfterItIsRefused() throws IOException {
    long[] offsets = log(3);
    byte[] bytes = Files.readAllBytes(path());
    bytes[10] ^= 1;
    write(bytes);
    assertEquals(0, assertThrows(DamagedLogException.class, () -> LogReader.read(path())).offset());
    assertTrue(offsets[1] > 0);
  }

  @Test
  void aCreateRecordCutShortIsACreationThatNeverFinished() throws IOException {
    long[] offsets = log(0);
    byte[] whole = Files.readAllBytes(path());
    for (int cut = 0; cut < offsets[1]; cut++) {
      write(Arrays.copyOf(whole, cut));
      assertThrows(LogReader.UnfinishedLogException.class, () -> LogReader.read(path()), "cut at " + cut);
    }
  }

  private Path write(byte[] bytes) throws IOException {
    return Files.write(path(), bytes);
  }
}
