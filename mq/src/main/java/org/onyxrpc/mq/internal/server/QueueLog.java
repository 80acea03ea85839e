package org.onyxrpc.mq.internal.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable queue's append-only log: one CREATE record, then a SEND record per accepted message
 * and a TAKE record per committed receive, each forced to the disk before the call that made it
 * is answered. Every record is {@code length, type, body, CRC32C}, so a record torn by a crash
 * is recognised and cut off when the log is read back, and damage elsewhere is found
 * ({@link LogReader}). A write that fails is cut off again, so the records after it are whole.
 * A new log, and a compacted one, is written aside and renamed into place; a compacted one is
 * written in the background ({@link LogRewriter}) while this log takes records as before.
 */
final class QueueLog {
  private static final Logger logger = LoggerFactory.getLogger(QueueLog.class);
  static final byte CREATE = 1;
  static final byte SEND = 2;
  static final byte TAKE = 3;
  /** A log is rewritten only once it is longer than this (and than twice its live records). */
  static final long COMPACT_AT_BYTES = 1 << 20;
  /** What a log being written aside is called until it is renamed into place; left over after a crash. */
  static final String TEMPORARY_SUFFIX = ".tmp";
  /**
   * What a compacted log is written as, beside the log: {@code <file>.rw.mqlog.tmp}, so that it is
   * removed at a start as any log written aside, and is never the file a new queue of the same
   * name is created in while the rewrite of an unlinked one is abandoned (3 more bytes: the
   * longest log name, 246 bytes, stays a file name).
   */
  private static final String REWRITE_INFIX = ".rw";

  private final Path path;
  private final byte[] createRecord;
  private final LogRewriter rewriter;
  private FileChannel channel;
  /** Why the log takes no more writes until a restart, or null. */
  private String broken;
  /**
   * Unlinked: the queue lives on only until its last handle closes, never after a restart, so
   * nothing is written; above all no compaction, which would put a log back at the path, where a
   * new queue of the same name may keep its own.
   */
  private boolean deleted;
  /** After a rewrite failed (a full disk, say), not tried again before the log grows this long. */
  private long compactNoSoonerThan = COMPACT_AT_BYTES;
  /** The rewrite under way, or null. */
  private Rewrite rewrite;

  /**
   * The most of this log's tail (what it took while the rewrite was written) that the owner
   * thread appends itself; a longer tail is copied in the background first, as many times as it
   * takes, so the owner's share stays this small however busy the queue was meanwhile.
   */
  static final long TAIL_ON_OWNER_BYTES = 256 * 1024;

  /** A compacted log being written aside; it holds this log's records up to {@code copied}. */
  private static final class Rewrite {
    final Path aside;
    final FileChannel channel;
    long copied;

    Rewrite(Path aside, FileChannel channel, long copied) {
      this.aside = aside;
      this.channel = channel;
      this.copied = copied;
    }
  }

  /** Over an open channel positioned at the log's end (tests give one that fails on demand). */
  QueueLog(Path path, byte[] createRecord, FileChannel channel, LogRewriter rewriter) {
    this.path = path;
    this.createRecord = createRecord;
    this.channel = channel;
    this.rewriter = rewriter;
  }

  /** Where the compacted log of {@code log} is written before it takes its place. */
  static Path rewriteAsideOf(Path log) {
    String file = log.getFileName().toString();
    return log.resolveSibling(file.substring(0, file.length() - ".mqlog".length()) + REWRITE_INFIX + ".mqlog"
        + TEMPORARY_SUFFIX);
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

  /**
   * Creates the log of a new queue: written whole under a temporary name, forced, then renamed
   * into place and the directory forced, so that a crash leaves either no log or a whole one,
   * and an acknowledged creation is on the disk.
   */
  static QueueLog create(Path directory, String name, QueueOwner owner, long maxMessages, long messageSize,
      LogRewriter rewriter) throws IOException {
    Files.createDirectories(directory);
    Path path = pathOf(directory, name);
    if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      throw new FileAlreadyExistsException(path.toString(), null, "a log of that name exists already");
    }
    byte[] create = createRecord(name, owner, maxMessages, messageSize);
    FileChannel channel = writeAndRename(path, out -> writeFully(out, create));
    try {
      forceDirectory(directory);
    } catch (IOException e) {
      // The creation is answered EIO, so the queue must not appear after a restart either.
      channel.close();
      Files.deleteIfExists(path);
      throw e;
    }
    return new QueueLog(path, create, channel, rewriter);
  }

  /** Continues an existing log after {@code validBytes}, the length {@link LogReader} trusted. */
  static QueueLog reopen(Path path, byte[] createRecord, long validBytes, LogRewriter rewriter) throws IOException {
    FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      if (channel.size() > validBytes) {
        channel.truncate(validBytes);
        channel.force(false);
      }
      channel.position(validBytes);
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    return new QueueLog(path, createRecord, channel, rewriter);
  }

  void appendSend(StoredMessage m) throws IOException {
    write(sendRecord(m));
  }

  void appendTake(long sequence) throws IOException {
    write(record(TAKE, ByteBuffer.allocate(8).putLong(sequence).array()));
  }

  /**
   * Rewrites the log as its CREATE record and one SEND record per message still held, once it
   * is past {@value #COMPACT_AT_BYTES} bytes and more than twice what those records take: so a
   * log stays within about twice its queue's live messages (or 1 MiB), and each byte written is
   * rewritten at most once on average.
   *
   * <p>The new file is written aside and forced in the background ({@link LogRewriter}), while
   * this log takes records as before; back on the owner thread, the records this log took since
   * (their TAKEs name messages the new file holds, their SENDs come after) are appended to it
   * (in the background too while they are more than {@value #TAIL_ON_OWNER_BYTES} bytes), it
   * is forced, renamed into place and the directory forced. Until the rename the old log is
   * whole and the one a restart reads (the file aside is removed then); after it, the new one
   * holds every record. If the rewrite fails, the log stays as it was (correct, only longer) and
   * the next try waits until it has grown by another {@value #COMPACT_AT_BYTES} bytes.
   *
   * @param messages how many messages the queue holds (reserved ones included)
   * @param payloadBytes their bytes
   * @param live those messages, asked for only when the log is rewritten
   * @return whether a rewrite began
   * @throws IOException if the file aside cannot even be opened
   */
  boolean compactIfLarge(long messages, long payloadBytes, Supplier<List<StoredMessage>> live) throws IOException {
    long size = channel.position();
    long needed = createRecord.length + messages * (LogReader.FRAMING + LogReader.SEND_HEADER) + payloadBytes;
    if (deleted || broken != null || rewrite != null || size < compactNoSoonerThan || size < 2 * needed) {
      return false;
    }
    List<StoredMessage> held = new ArrayList<>(live.get());
    held.sort(Comparator.comparingLong(StoredMessage::sequence));
    Path aside = rewriteAsideOf(path);
    FileChannel out;
    try {
      rewriter.reached(LogRewriter.Step.STARTED, path);
      out = FileChannel.open(aside, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.READ, StandardOpenOption.WRITE);
    } catch (IOException e) {
      // Not at every commit: each try writes all the queue's messages before it can fail.
      compactNoSoonerThan = size + COMPACT_AT_BYTES;
      rewriter.ended(LogRewriter.Step.GAVE_UP, path);
      throw e;
    }
    Rewrite r = new Rewrite(aside, out, size);
    rewrite = r;
    rewriter.write(path, out, createRecord, held, failure -> finishRewrite(r, failure));
    return true;
  }

  /** On the owner thread, once the file aside is written and forced, or failed. */
  private void finishRewrite(Rewrite r, IOException failure) {
    if (rewrite != r) {
      return; // abandoned (the log was closed or deleted), its file aside with it
    }
    long size = r.copied;
    try {
      if (failure != null) {
        throw failure;
      }
      size = channel.position();
      if (broken != null) {
        throw new IOException(broken);
      }
      if (size - r.copied > TAIL_ON_OWNER_BYTES) {
        // Appended and forced, so fixed: a failed write only ever cuts back what comes after.
        long from = r.copied;
        r.copied = size;
        rewriter.copy(path, channel, from, size, r.channel, f -> finishRewrite(r, f));
        return;
      }
      copyTail(channel, r.copied, size, r.channel);
      r.channel.force(true);
      rewriter.reached(LogRewriter.Step.TAIL_COPIED, path);
      Files.move(r.aside, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      // Before the rename: the old log is whole, and nothing is left under way.
      rewrite = null;
      discard(r);
      compactNoSoonerThan = size + COMPACT_AT_BYTES;
      logger.warn("{}: not compacted, it stays as it is: {}", path, e.toString());
      rewriter.ended(LogRewriter.Step.GAVE_UP, path);
      return;
    }
    rewrite = null;
    compactNoSoonerThan = COMPACT_AT_BYTES;
    FileChannel old = channel;
    channel = r.channel;
    closeQuietly(old);
    try {
      rewriter.reached(LogRewriter.Step.RENAMED, path);
      forceDirectory(path.getParent());
    } catch (IOException e) {
      // After a power loss the old log may be back under the name, without what is written from now on.
      broken = "the log was rewritten and its directory could not be forced";
      logger.warn("{}: {}, so it takes no more writes until a restart: {}", path, broken, e.toString());
    }
    rewriter.ended(LogRewriter.Step.SWAPPED, path);
  }

  /** Appends the bytes of {@code in} from {@code from} to {@code to} to {@code out}. */
  static void copyTail(FileChannel in, long from, long to, FileChannel out) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(64 * 1024, Math.max(1, to - from)));
    for (long at = from; at < to; ) {
      buffer.clear().limit((int) Math.min(buffer.capacity(), to - at));
      int n = in.read(buffer, at);
      if (n < 0) {
        throw new IOException("the log ended at " + at + ", before " + to);
      }
      at += n;
      buffer.flip();
      while (buffer.hasRemaining()) {
        out.write(buffer);
      }
    }
  }

  /** The rewrite under way, if any, is given up: the log is closed or deleted. */
  private void abandonRewrite() {
    Rewrite r = rewrite;
    if (r != null) {
      rewrite = null;
      discard(r);
      rewriter.ended(LogRewriter.Step.GAVE_UP, path);
    }
  }

  /** Closes and removes a file aside (its writer, if still writing, fails on the closed channel). */
  private static void discard(Rewrite r) {
    closeQuietly(r.channel);
    try {
      Files.deleteIfExists(r.aside);
    } catch (IOException e) {
      // Removed at the next start, as any file left aside.
    }
  }

  private static void closeQuietly(FileChannel c) {
    try {
      c.close();
    } catch (IOException e) {
      // Every acknowledged record was forced already.
    }
  }

  /** What goes into a new file before it takes a log's name. */
  @FunctionalInterface
  private interface Contents {
    void writeTo(FileChannel out) throws IOException;
  }

  /**
   * Writes a file aside, forces it and renames it to {@code path}; returns it open for appends.
   * Once renamed it is the log, whatever fails after: the caller forces the directory.
   */
  private static FileChannel writeAndRename(Path path, Contents contents) throws IOException {
    Path aside = path.resolveSibling(path.getFileName() + TEMPORARY_SUFFIX);
    FileChannel out = FileChannel.open(aside, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      contents.writeTo(out);
      out.force(true);
      Files.move(aside, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return out;
    } catch (IOException | RuntimeException e) {
      out.close();
      Files.deleteIfExists(aside);
      throw e;
    }
  }

  /**
   * Forces a directory, so that a file created, renamed or deleted in it stays so after a power
   * loss. Where directories cannot be opened (Windows), the rename is as durable as the OS makes it.
   */
  static void forceDirectory(Path directory) throws IOException {
    FileChannel d;
    try {
      d = FileChannel.open(directory, StandardOpenOption.READ);
    } catch (IOException e) {
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        throw e;
      }
      return;
    }
    try (d) {
      d.force(true);
    }
  }

  static void writeFully(FileChannel out, byte[] bytes) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    while (buffer.hasRemaining()) {
      out.write(buffer);
    }
  }

  /**
   * Appends a record and forces it to the disk. If that fails the record is cut off again, so
   * that a call answered with EIO did not happen after a restart either; a log that cannot even
   * be cut refuses every later write.
   */
  private void write(byte[] record) throws IOException {
    if (deleted) {
      return;
    }
    if (broken != null) {
      // No path: the reason goes to clients.
      throw new IOException(broken + "; the log takes no more until a restart");
    }
    long start = channel.position();
    try {
      writeFully(channel, record);
      channel.force(false);
    } catch (IOException e) {
      try {
        channel.truncate(start);
        channel.position(start);
        channel.force(false);
      } catch (IOException repair) {
        broken = "an earlier write failed and could not be cut back";
        e.addSuppressed(repair);
      }
      throw e;
    }
  }

  /**
   * Whether the log takes no more writes until a restart: a write failed and could not be cut
   * back, so the record it was writing may still be read by a restart.
   */
  boolean broken() {
    return broken != null;
  }

  void close() {
    abandonRewrite();
    closeQuietly(channel);
  }

  /** Deletes the log (an unlinked queue must not come back after a restart, nor a power loss), then closes it. */
  void delete() throws IOException {
    Files.deleteIfExists(path);
    deleted = true;
    close();
    try {
      forceDirectory(path.getParent());
    } catch (IOException e) {
      // The log is gone already; only whether its removal outlives a power loss is in doubt.
    }
  }

  static byte[] sendRecord(StoredMessage m) {
    ByteBuffer body = ByteBuffer.allocate(LogReader.SEND_HEADER + m.payload().length);
    body.putLong(m.sequence()).putInt(m.priority()).put(m.payload());
    return record(SEND, body.array());
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
