package org.onyxrpc.mq.internal.server;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.onyxrpc.mq.internal.wire.MqConstants;

/**
 * Reads a durable queue's log back after a restart: the queue's attributes, the messages sent and
 * not taken, and how many bytes of the file are whole records.
 *
 * <p>Records are appended one at a time, each forced to the disk before the next is written, so a
 * crash can damage only the last one: cut short at any byte, or followed by zeros or garbage
 * where the file system had extended the file but not written it. Such a tail ({@link
 * TornTail}) is dropped. Damage anywhere else (a checksum that fails with records after it, a
 * record that is whole but makes no sense) is no crash's doing: the log is refused with a {@link
 * DamagedLogException} naming the file and the offset, and nothing is cut, because dropping what
 * follows would lose acknowledged messages and bring back taken ones.
 */
final class LogReader {
  /** Type and CRC32C around a body. */
  static final int FRAMING = 4 + 1 + 4;
  /** A SEND body before its payload: sequence and priority. */
  static final int SEND_HEADER = 8 + 4;
  /** A CREATE body before the name: uid, gid, mode, maxMessages, messageSize. */
  private static final int CREATE_HEADER = 4 + 4 + 4 + 8 + 8;
  private static final int MAX_CREATE_LENGTH = 1 + CREATE_HEADER + MqConstants.MQ_NAME_MAX;

  /**
   * A log as read.
   *
   * @param path the file
   * @param name the queue's name
   * @param owner its owner and mode
   * @param maxMessages mq_maxmsg
   * @param messageSize mq_msgsize
   * @param messages the messages not taken, in arrival order
   * @param nextSequence the sequence number the next message gets
   * @param validBytes the length of the whole records at the start of the file
   * @param tornBytes the bytes after them, a record torn by a crash, to be cut off
   * @param createRecord the CREATE record, kept for compaction
   */
  record Recovered(Path path, String name, QueueOwner owner, long maxMessages, long messageSize,
      List<StoredMessage> messages, long nextSequence, long validBytes, long tornBytes, byte[] createRecord) {}

  /** A log whose CREATE record was never whole: the server died creating it, and no call was answered. */
  static final class UnfinishedLogException extends IOException {
    UnfinishedLogException(Path path) {
      super(path + ": the queue's creation did not finish (no whole CREATE record)");
    }
  }

  /** A record read, or where and why it could not be. */
  private record Next(byte[] record, long end, String damage, int declaredLength) {}

  private final Path path;
  private final FileChannel in;
  private final long size;

  private LogReader(Path path, FileChannel in) throws IOException {
    this.path = path;
    this.in = in;
    this.size = in.size();
  }

  /** Reads {@code path} and leaves it as it is (cutting a torn tail is for whoever reopens it). */
  static Recovered read(Path path) throws IOException {
    try (FileChannel in = FileChannel.open(path, StandardOpenOption.READ)) {
      return new LogReader(path, in).read();
    }
  }

  private Recovered read() throws IOException {
    Created created = created();
    int maxLength = (int) (1 + SEND_HEADER + created.messageSize());
    Map<Long, StoredMessage> live = new LinkedHashMap<>();
    long nextSequence = 0;
    long position = created.end();
    while (position < size) {
      Next n = next(position, maxLength);
      if (n.damage() != null) {
        if (TornTail.isTorn(in, position, size, FRAMING + maxLength - 1, n.declaredLength())) {
          break;
        }
        throw damaged(position, n.damage());
      }
      ByteBuffer r = ByteBuffer.wrap(n.record(), 1, n.record().length - 1);
      if (n.record()[0] == LogRecords.SEND && r.remaining() >= SEND_HEADER) {
        long sequence = r.getLong();
        int priority = r.getInt();
        if (sequence < 0 || priority < 0 || priority >= MqConstants.MQ_PRIO_MAX) {
          throw damaged(position, "a SEND record with sequence " + sequence + " and priority " + priority);
        }
        byte[] payload = new byte[r.remaining()];
        r.get(payload);
        live.put(sequence, new StoredMessage(priority, sequence, payload));
        nextSequence = Math.max(nextSequence, sequence + 1);
      } else if (n.record()[0] == LogRecords.TAKE && r.remaining() == 8) {
        live.remove(r.getLong());
      } else {
        throw damaged(position, "a record of type " + n.record()[0] + " and " + r.remaining()
            + " bytes, which this version does not write");
      }
      position = n.end();
    }
    return new Recovered(path, created.name(), created.owner(), created.maxMessages(),
        created.messageSize(), new ArrayList<>(live.values()), nextSequence, position,
        size - position, created.record());
  }

  /** What the CREATE record, the log's first, says of the queue, and where the next record starts. */
  private record Created(String name, QueueOwner owner, long maxMessages, long messageSize,
      byte[] record, long end) {}

  private Created created() throws IOException {
    Next first = next(0, MAX_CREATE_LENGTH);
    if (first.damage() != null) {
      if (TornTail.isTorn(in, 0, size, FRAMING + MAX_CREATE_LENGTH - 1, first.declaredLength())) {
        throw new UnfinishedLogException(path);
      }
      throw damaged(0, first.damage());
    }
    byte[] create = first.record();
    if (create[0] != LogRecords.CREATE || create.length < 1 + CREATE_HEADER + 2) {
      throw damaged(0, "the first record is not a CREATE record");
    }
    ByteBuffer c = ByteBuffer.wrap(create, 1, create.length - 1);
    QueueOwner owner = new QueueOwner(c.getInt(), c.getInt(), c.getInt());
    long maxMessages = c.getLong();
    long messageSize = c.getLong();
    if (maxMessages < 1 || messageSize < 1 || messageSize > MqConstants.MQ_MSGSIZE_LIMIT) {
      throw damaged(0, "the CREATE record's attributes are out of range: " + maxMessages + " x " + messageSize);
    }
    String name = new String(create, c.position(), c.remaining(), StandardCharsets.UTF_8);
    byte[] createRecord = LogRecords.record(LogRecords.CREATE, Arrays.copyOfRange(create, 1, create.length));
    return new Created(name, owner, maxMessages, messageSize, createRecord, first.end());
  }

  /** The record at {@code position}: {@code int length (of type and body), type, body, int CRC32C}. */
  private Next next(long position, int maxLength) throws IOException {
    if (size - position < 4) {
      return new Next(null, 0, "cut short in its length", -1);
    }
    int length = readFully(position, 4).getInt();
    // A length beyond any record of this queue is damage, not a reason to allocate.
    if (length < 1 || length > maxLength) {
      return new Next(null, 0, "a length of " + length + " where at most " + maxLength + " can be", length);
    }
    if (size - position - 4 < length + 4L) {
      return new Next(null, 0, "cut short: " + length + " bytes and a checksum announced, "
          + (size - position - 4) + " there", length);
    }
    ByteBuffer framed = readFully(position + 4, length + 4);
    byte[] record = new byte[length];
    framed.get(record);
    CRC32C crc = new CRC32C();
    crc.update(record);
    if ((int) crc.getValue() != framed.getInt()) {
      return new Next(null, 0, "its checksum does not match", length);
    }
    return new Next(record, position + 4 + length + 4, null, length);
  }

  private ByteBuffer readFully(long position, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    while (buffer.hasRemaining()) {
      if (in.read(buffer, position + buffer.position()) < 0) {
        throw new EOFException(path + " shrank while it was read");
      }
    }
    return buffer.flip();
  }

  private DamagedLogException damaged(long offset, String why) {
    return new DamagedLogException(path, offset, why, size - offset);
  }
}
