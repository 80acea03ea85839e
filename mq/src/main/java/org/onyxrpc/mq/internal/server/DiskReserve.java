package org.onyxrpc.mq.internal.server;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * Room on the data directory's disk kept for the TAKE records of the durable messages held, so
 * that a disk filled by sends can still be drained: each commit appends a TAKE record, and on a
 * full disk every commit failed (EIO, the message back in its place), so the queue could not be
 * emptied and the disk never freed. A send is refused instead while what the file system has left
 * is less than its record, a TAKE record for every durable message held (its own included) and
 * {@value #SLACK} bytes for the blocks those fill. Shared by the host's durable queues: they
 * share the disk. Touched only by the owner thread.
 */
final class DiskReserve {
  /** No reserve (no data directory, or tests over a log of their own). */
  static final DiskReserve NONE = new DiskReserve(() -> Long.MAX_VALUE);
  /** Beyond the TAKE records' bytes: the blocks they are written into, a file system's rounding. */
  static final long SLACK = 64 * 1024;
  private static final long TAKE_BYTES = LogRecords.take(0).length;

  private final LongSupplier usableBytes;
  /** Durable messages held by every queue, each one TAKE record to come. */
  private long held;

  DiskReserve(LongSupplier usableBytes) {
    this.usableBytes = usableBytes;
  }

  /** The reserve of the disk {@code directory} is on, asked for its usable space at each send. */
  static DiskReserve of(Path directory) throws IOException {
    FileStore store = Files.getFileStore(directory);
    return new DiskReserve(() -> {
      try {
        return store.getUsableSpace();
      } catch (IOException e) {
        return Long.MAX_VALUE; // the write itself will tell
      }
    });
  }

  /** Refuses a send of {@code recordBytes} that would leave too little room for the takes. */
  void checkRoomForSend(long recordBytes) throws IOException {
    long needed = recordBytes + (held + 1) * TAKE_BYTES + SLACK;
    if (usableBytes.getAsLong() < needed) {
      throw new IOException("No space left on device (what is left is kept for the receives of the " + held
          + " durable messages held)");
    }
  }

  void add(long messages) {
    held += messages;
  }

  long held() {
    return held;
  }
}
