package org.onyxrpc.mq.internal.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Tells a record torn by a crash from damage a crash cannot cause. A log is written one record at
 * a time, each forced before the next, so after a crash only the bytes of the last write can be
 * wrong: a prefix of that record, then perhaps zeros or stale bytes up to the length the file
 * system had already given the file. So a record whose length is whole is torn only if nothing
 * but zeros follows where it ends, and one whose length is not only if it ends the file within
 * one record's length, or zeros follow.
 */
final class TornTail {
  private TornTail() {}

  /**
   * Whether the bad record at {@code start} and everything after it can be a torn last write.
   *
   * @param largestRecord the most bytes one record of this log takes, framing included
   * @param declaredLength the bad record's length field, or -1 if it was cut off
   */
  static boolean isTorn(FileChannel in, long start, long size, long largestRecord, int declaredLength)
      throws IOException {
    if (zerosFrom(in, start, size)) {
      return true; // a zero-filled tail holds no record, however long
    }
    long end = start + 4 + (long) declaredLength + 4;
    if (declaredLength >= 1 && end <= largestRecord + start && end <= size) {
      // A whole-length record: torn only if nothing but zeros was written after it.
      return zerosFrom(in, end, size);
    }
    // Its length is cut short or garbage: one write's worth of bytes at most.
    return size - start <= largestRecord;
  }

  private static boolean zerosFrom(FileChannel in, long position, long size) throws IOException {
    ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(64 * 1024, Math.max(1, size - position)));
    for (long p = position; p < size; ) {
      chunk.clear().limit((int) Math.min(chunk.capacity(), size - p));
      int n = in.read(chunk, p);
      if (n < 0) {
        return true;
      }
      for (int i = 0; i < n; i++) {
        if (chunk.get(i) != 0) {
          return false;
        }
      }
      p += n;
    }
    return true;
  }
}
