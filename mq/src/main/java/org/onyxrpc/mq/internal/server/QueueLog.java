package org.onyxrpc.mq.internal.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/**
 * A durable queue's append-only log: one CREATE record, then a SEND record per accepted message
 * and a TAKE record per committed receive, each forced to the disk before the call that made it
 * is answered. Every record is {@code length, type, body, CRC32C}, so a record torn by a crash
 * is recognised and cut off when the log is read back ({@link LogReader}).
 */
final class QueueLog {
  static final byte CREATE = 1;
  static final byte SEND = 2;
  static final byte TAKE = 3;
  /** A drained log is rewritten once it is longer than this. */
  private static final long COMPACT_AT_BYTES = 1 << 20;

  private final Path path;
  private final byte[] createRecord;
  private FileChannel channel;
  private boolean broken;

  private QueueLog(Path path, byte[] createRecord, FileChannel channel) {
    this.path = path;
    this.createRecord = createRecord;
    this.channel = channel;
  }

  /** Names of at most this many bytes are spelt out in hex in their log's file name. */
  private static final int HEX_NAME_MAX = 120;

  /**
   * The file a queue's log lives in: its name in hex, so that any name ("/..", a NUL) is a safe
   * file name; a name over {@value #HEX_NAME_MAX} bytes by its SHA-256 instead, because a file
   * name has at most 255 bytes on most file systems and 255 bytes of queue name are 510 in hex.
   * Recovery reads each queue's name from its log, never from the file name.
   */
  static Path pathOf(Path directory, String queueName) {
    byte[] name = queueName.getBytes(StandardCharsets.UTF_8);
    String file = name.length <= HEX_NAME_MAX ? HexFormat.of().formatHex(name)
        : "sha256-" + HexFormat.of().formatHex(sha256(name));
    return directory.resolve(file + ".mqlog");
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** Creates the log of a new queue, its CREATE record forced to the disk. */
  static QueueLog create(Path directory, String name, QueueOwner owner, long maxMessages, long messageSize)
      throws IOException {
    Files.createDirectories(directory);
    Path path = pathOf(directory, name);
    byte[] create = createRecord(name, owner, maxMessages, messageSize);
    FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    QueueLog log = new QueueLog(path, create, channel);
    log.write(create);
    return log;
  }

  /** Continues an existing log after {@code validBytes}, the length {@link LogReader} trusted. */
  static QueueLog reopen(Path path, byte[] createRecord, long validBytes) throws IOException {
    FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE);
    channel.truncate(validBytes);
    channel.position(validBytes);
    return new QueueLog(path, createRecord, channel);
  }

  void appendSend(StoredMessage m) throws IOException {
    ByteBuffer body = ByteBuffer.allocate(12 + m.payload().length);
    body.putLong(m.sequence()).putInt(m.priority()).put(m.payload());
    write(record(SEND, body.array()));
  }

  void appendTake(long sequence) throws IOException {
    write(record(TAKE, ByteBuffer.allocate(8).putLong(sequence).array()));
  }

  /** A queue with no message left needs only its CREATE record: start the log again. */
  void compactIfEmptyAndLarge() throws IOException {
    if (channel.size() < COMPACT_AT_BYTES) {
      return;
    }
    Path fresh = path.resolveSibling(path.getFileName() + ".new");
    try (FileChannel out = FileChannel.open(fresh, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      out.write(ByteBuffer.wrap(createRecord));
      out.force(true);
    }
    Files.move(fresh, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    channel.close();
    channel = FileChannel.open(path, StandardOpenOption.WRITE);
    channel.position(channel.size());
  }

  /**
   * Appends a record and forces it to the disk. If that fails the record is cut off again, so
   * that a call answered with EIO did not happen after a restart either; a log that cannot even
   * be cut refuses every later write.
   */
  private void write(byte[] record) throws IOException {
    if (broken) {
      throw new IOException(path + " failed earlier and was not repaired");
    }
    long start = channel.position();
    try {
      ByteBuffer buffer = ByteBuffer.wrap(record);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(false);
    } catch (IOException e) {
      try {
        channel.truncate(start);
        channel.position(start);
        channel.force(false);
      } catch (IOException repair) {
        broken = true;
        e.addSuppressed(repair);
      }
      throw e;
    }
  }

  void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // Every acknowledged record was forced already.
    }
  }

  /** Deletes the log (an unlinked queue must not come back after a restart), then closes it. */
  void delete() throws IOException {
    Files.deleteIfExists(path);
    close();
  }

  static byte[] createRecord(String name, QueueOwner owner, long maxMessages, long messageSize) {
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    ByteBuffer body = ByteBuffer.allocate(28 + nameBytes.length);
    body.putInt(owner.uid()).putInt(owner.gid()).putInt(owner.mode())
        .putLong(maxMessages).putLong(messageSize).put(nameBytes);
    return record(CREATE, body.array());
  }

  /** {@code int length (of type and body), byte type, body, int CRC32C (of type and body)}. */
  static byte[] record(byte type, byte[] body) {
    ByteBuffer out = ByteBuffer.allocate(4 + 1 + body.length + 4);
    out.putInt(1 + body.length).put(type).put(body);
    CRC32C crc = new CRC32C();
    crc.update(out.array(), 4, 1 + body.length);
    out.putInt((int) crc.getValue());
    return out.array();
  }
}
