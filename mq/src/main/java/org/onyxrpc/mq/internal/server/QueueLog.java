package org.onyxrpc.mq.internal.server;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable queue's append-only log: one CREATE record, then a SEND record per accepted message
 * and a TAKE record per committed receive, each forced to the disk before the call that made it
 * is answered. Every record is {@code length, type, body, CRC32C} ({@link LogRecords}), so a
 * record torn by a crash is recognised and cut off when the log is read back, and damage
 * elsewhere is found ({@link LogReader}). A write that fails is cut off again, so the records
 * after it are whole. A new log, and a compacted one, is written aside and renamed into place
 * ({@link LogFiles}); a compacted one is written in the background ({@link LogRewriter}) while
 * this log takes records as before.
 */
final class QueueLog {
  private static final Logger logger = LoggerFactory.getLogger(QueueLog.class);
  /** A log is rewritten only once it is longer than this (and than twice its live records). */
  static final long COMPACT_AT_BYTES = 1 << 20;

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
  /** Where room is kept for the TAKE records of the {@code held} messages. */
  private DiskReserve reserve = DiskReserve.NONE;
  private long held;
  /**
   * The file (device and inode) this log is, to tell before each write that it is still the one
   * at its path; null where the file system gives none (then not checked).
   */
  private Object fileKey;

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
    this.fileKey = fileKeyOf(path);
  }

  /** The file at {@code path} (not following a link), or null if there is none or no key is given. */
  private static Object fileKeyOf(Path path) {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    } catch (IOException e) {
      return null;
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
    Path path = LogFiles.pathOf(directory, name);
    if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      throw new FileAlreadyExistsException(path.toString(), null, "a log of that name exists already");
    }
    byte[] create = LogRecords.create(name, owner, maxMessages, messageSize);
    FileChannel channel = LogFiles.writeAndRename(path, out -> LogFiles.writeFully(out, create));
    try {
      LogFiles.forceDirectory(directory);
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

  /**
   * Writes the log again, as a compaction would, if its file is no longer at its path: removed
   * (an operator's {@code rm}, a cleaner of old files; its directory too) or replaced (an old
   * copy put back) under the running server. Appending to the removed file would succeed, force
   * and all, and a restart would find neither the queue nor the messages acknowledged meanwhile.
   * The queue's memory holds every message the log must keep, so they are written whole, aside,
   * and renamed into place before the next record; if that fails, so does the call (EIO), and the
   * next one tries again.
   *
   * @param live the messages the queue holds, reserved ones included, asked for only when written
   */
  void rewriteIfGone(Supplier<List<StoredMessage>> live) throws IOException {
    if (deleted || broken != null || fileKey == null || fileKey.equals(fileKeyOf(path))) {
      return;
    }
    abandonRewrite();
    List<StoredMessage> held = new ArrayList<>(live.get());
    held.sort(Comparator.comparingLong(StoredMessage::sequence));
    Path directory = path.getParent();
    if (!Files.isDirectory(directory)) {
      LogFiles.createPrivateDirectory(directory);
    }
    DataDirectory.checkOnlyOursToWrite(directory); // made again meanwhile by someone else?
    FileChannel fresh = LogFiles.writeAndRename(path, out -> {
      LogFiles.writeFully(out, createRecord);
      for (StoredMessage m : held) {
        LogFiles.writeFully(out, LogRecords.send(m));
      }
    });
    FileChannel old = channel;
    channel = fresh;
    fileKey = fileKeyOf(path);
    LogFiles.closeQuietly(old);
    logger.warn("{}: was removed or replaced under the running server; written again with the {} messages"
        + " its queue holds", path, held.size());
    LogFiles.forceDirectory(directory);
  }

  /**
   * Counts this log's messages against {@code shared}, the data directory's {@link DiskReserve},
   * starting with the {@code messages} it holds.
   */
  void reserveFrom(DiskReserve shared, long messages) {
    reserve = shared;
    held = messages;
    reserve.add(messages);
  }

  void appendSend(StoredMessage m) throws IOException {
    if (deleted) {
      return;
    }
    byte[] record = LogRecords.send(m);
    reserve.checkRoomForSend(record.length);
    write(record);
    held++;
    reserve.add(1);
  }

  void appendTake(long sequence) throws IOException {
    if (deleted) {
      return;
    }
    write(LogRecords.take(sequence));
    held--;
    reserve.add(-1);
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
    Path aside = LogFiles.rewriteAsideOf(path);
    FileChannel out;
    try {
      rewriter.reached(LogRewriter.Step.STARTED, path);
      out = LogFiles.openNew(aside);
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
      LogFiles.copyTail(channel, r.copied, size, r.channel);
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
    fileKey = fileKeyOf(path);
    LogFiles.closeQuietly(old);
    try {
      rewriter.reached(LogRewriter.Step.RENAMED, path);
      LogFiles.forceDirectory(path.getParent());
    } catch (IOException e) {
      // After a power loss the old log may be back under the name, without what is written from now on.
      broken = "the log was rewritten and its directory could not be forced";
      logger.warn("{}: {}, so it takes no more writes until a restart: {}", path, broken, e.toString());
    }
    rewriter.ended(LogRewriter.Step.SWAPPED, path);
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
    LogFiles.closeQuietly(r.channel);
    try {
      Files.deleteIfExists(r.aside);
    } catch (IOException e) {
      // Removed at the next start, as any file left aside.
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
      LogFiles.writeFully(channel, record);
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
    LogFiles.closeQuietly(channel);
  }

  /** Deletes the log (an unlinked queue must not come back after a restart, nor a power loss), then closes it. */
  void delete() throws IOException {
    Files.deleteIfExists(path);
    deleted = true;
    reserve.add(-held); // never taken now: their room is free
    held = 0;
    close();
    try {
      LogFiles.forceDirectory(path.getParent());
    } catch (IOException e) {
      // The log is gone already; only whether its removal outlives a power loss is in doubt.
    }
  }
}
