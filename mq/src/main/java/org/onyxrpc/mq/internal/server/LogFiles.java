package org.onyxrpc.mq.internal.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;

/**
 * The files of durable queues: what each log is called, and the writes that make a log durable
 * (written aside, forced, renamed into place, the directory forced).
 */
final class LogFiles {
  private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");
  /** What a log being written aside is called until it is renamed into place; left over after a crash. */
  static final String TEMPORARY_SUFFIX = ".tmp";
  /**
   * What a compacted log is written as, beside the log: {@code <file>.rw.mqlog.tmp}, so that it is
   * removed at a start as any log written aside, and is never the file a new queue of the same
   * name is created in while the rewrite of an unlinked one is abandoned (3 more bytes: the
   * longest log name, 246 bytes, stays a file name).
   */
  private static final String REWRITE_INFIX = ".rw";

  /** Names of at most this many bytes are spelt out in hex in their log's file name. */
  private static final int HEX_NAME_MAX = 120;

  private LogFiles() {}

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

  /** Where the compacted log of {@code log} is written before it takes its place. */
  static Path rewriteAsideOf(Path log) {
    String file = log.getFileName().toString();
    return log.resolveSibling(file.substring(0, file.length() - ".mqlog".length()) + REWRITE_INFIX + ".mqlog"
        + TEMPORARY_SUFFIX);
  }

  /** What goes into a new file before it takes a log's name. */
  @FunctionalInterface
  interface Contents {
    void writeTo(FileChannel out) throws IOException;
  }

  /**
   * Opens a file to write a log into, created readable by the server's user alone: a log holds
   * every message of its queue, whatever the queue's mode, and with the umask's 0644 any local
   * user read them off the disk.
   */
  static FileChannel openNew(Path path) throws IOException {
    Set<StandardOpenOption> options = EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.READ, StandardOpenOption.WRITE);
    return posix() ? FileChannel.open(path, options, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE))
        : FileChannel.open(path, options);
  }

  /** Creates the data directory, if it is not there, open to the server's user alone (0700). */
  static void createPrivateDirectory(Path directory) throws IOException {
    if (Files.isDirectory(directory) || !posix()) {
      Files.createDirectories(directory);
      return;
    }
    Path parent = directory.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try {
      Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
    } catch (FileAlreadyExistsException e) {
      Files.createDirectories(directory); // made meanwhile, or a file: says which as before
    }
  }

  static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  /**
   * Writes a file aside, forces it and renames it to {@code path}; returns it open for appends.
   * Once renamed it is the log, whatever fails after: the caller forces the directory.
   */
  static FileChannel writeAndRename(Path path, Contents contents) throws IOException {
    Path aside = path.resolveSibling(path.getFileName() + TEMPORARY_SUFFIX);
    FileChannel out = openNew(aside);
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

  /** Writes all of {@code bytes} at the channel's position. */
  static void writeFully(FileChannel out, byte[] bytes) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    while (buffer.hasRemaining()) {
      out.write(buffer);
    }
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

  /** Closes a log's channel; what a close fails to do does not matter, every record being forced. */
  static void closeQuietly(FileChannel c) {
    try {
      c.close();
    } catch (IOException e) {
      // Every acknowledged record was forced already.
    }
  }
}
