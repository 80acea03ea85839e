package org.onyxrpc.mq.internal.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Reads a durable queue's log back after a restart: the queue's attributes, the messages sent and
 * not taken, and how many bytes of the file are whole records (a crash may have torn the last).
 */
final class LogReader {
  /**
   * A log as read.
   *
   * @param name the queue's name
   * @param owner its owner and mode
   * @param maxMessages mq_maxmsg
   * @param messageSize mq_msgsize
   * @param messages the messages not taken, in arrival order
   * @param nextSequence the sequence number the next message gets
   * @param validBytes the length of the whole records at the start of the file
   * @param createRecord the CREATE record, kept for compaction
   */
  record Recovered(String name, QueueOwner owner, long maxMessages, long messageSize,
      List<StoredMessage> messages, long nextSequence, long validBytes, byte[] createRecord) {}

  private LogReader() {}

  /** Reads {@code path}; a log whose CREATE record is not whole is not a queue. */
  static Recovered read(Path path, long maxMessageSize) throws IOException {
    ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(path));
    byte[] create = next(in, maxMessageSize);
    if (create == null || create[0] != QueueLog.CREATE) {
      throw new IOException(path + ": no CREATE record");
    }
    long valid = in.position();
    ByteBuffer c = ByteBuffer.wrap(create, 1, create.length - 1);
    QueueOwner owner = new QueueOwner(c.getInt(), c.getInt(), c.getInt());
    long maxMessages = c.getLong();
    long messageSize = c.getLong();
    String name = new String(create, c.position(), c.remaining(), StandardCharsets.UTF_8);
    byte[] createRecord = QueueLog.record(QueueLog.CREATE, Arrays.copyOfRange(create, 1, create.length));

    Map<Long, StoredMessage> live = new LinkedHashMap<>();
    long nextSequence = 0;
    byte[] record;
    while ((record = next(in, maxMessageSize)) != null) {
      ByteBuffer r = ByteBuffer.wrap(record, 1, record.length - 1);
      if (record[0] == QueueLog.SEND) {
        long sequence = r.getLong();
        int priority = r.getInt();
        byte[] payload = new byte[r.remaining()];
        r.get(payload);
        live.put(sequence, new StoredMessage(priority, sequence, payload));
        nextSequence = Math.max(nextSequence, sequence + 1);
      } else if (record[0] == QueueLog.TAKE) {
        live.remove(r.getLong());
      } else {
        break;
      }
      valid = in.position();
    }
    return new Recovered(name, owner, maxMessages, messageSize, new ArrayList<>(live.values()),
        nextSequence, valid, createRecord);
  }

  /** The next whole record's type and body, or null at the end or at a torn or corrupt record. */
  private static byte[] next(ByteBuffer in, long maxMessageSize) {
    if (in.remaining() < 4) {
      return null;
    }
    int length = in.getInt();
    // A length beyond any record this host writes is a torn header, not a reason to allocate.
    if (length < 1 || length > maxMessageSize + 64 || in.remaining() < length + 4) {
      return null;
    }
    byte[] record = new byte[length];
    in.get(record);
    CRC32C crc = new CRC32C();
    crc.update(record);
    return (int) crc.getValue() == in.getInt() ? record : null;
  }
}
