package org.onyxrpc.mq.internal.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The records of a durable queue's log ({@link QueueLog}), as {@link LogReader} reads them back:
 * {@code length, type, body, CRC32C}, the type one of {@link #CREATE}, {@link #SEND} and {@link
 * #TAKE}.
 */
final class LogRecords {
  /** The first record: the queue's name, owner, mode and attributes. */
  static final byte CREATE = 1;
  /** A message accepted: its sequence number, priority and bytes. */
  static final byte SEND = 2;
  /** A message committed to a receiver: its sequence number. */
  static final byte TAKE = 3;

  private LogRecords() {}

  /** {@code int length (of type and body), byte type, body, int CRC32C (of type and body)}. */
  static byte[] record(byte type, byte[] body) {
    ByteBuffer out = ByteBuffer.allocate(4 + 1 + body.length + 4);
    out.putInt(1 + body.length).put(type).put(body);
    CRC32C crc = new CRC32C();
    crc.update(out.array(), 4, 1 + body.length);
    out.putInt((int) crc.getValue());
    return out.array();
  }

  /** The SEND record of {@code m}. */
  static byte[] send(StoredMessage m) {
    ByteBuffer body = ByteBuffer.allocate(LogReader.SEND_HEADER + m.payload().length);
    body.putLong(m.sequence()).putInt(m.priority()).put(m.payload());
    return record(SEND, body.array());
  }

  /** The CREATE record of a queue. */
  static byte[] create(String name, QueueOwner owner, long maxMessages, long messageSize) {
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    ByteBuffer body = ByteBuffer.allocate(28 + nameBytes.length);
    body.putInt(owner.uid()).putInt(owner.gid()).putInt(owner.mode())
        .putLong(maxMessages).putLong(messageSize).put(nameBytes);
    return record(CREATE, body.array());
  }

  /** The TAKE record of the message numbered {@code sequence}. */
  static byte[] take(long sequence) {
    return record(TAKE, ByteBuffer.allocate(8).putLong(sequence).array());
  }
}
