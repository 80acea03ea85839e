package org.onyxrpc.server;

import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.onyxrpc.internal.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Times one connection's records and its quiet between them, whoever reads it (an event loop's
 * {@link ReceiveGuard}, a {@link BlockingTcpConnection}'s thread): a record must arrive whole
 * within the record timeout plus one second per minimum-rate bytes of it, however often the peer
 * sends a byte (slowloris), and a connection quiet between records with no call in flight is
 * closed after the idle timeout, if one is set.
 *
 * <p>Its reader reports the bytes ({@link #read}) and the ends of records; a timer calls {@link
 * #expired} now and then, on its own thread (the connection's event loop, or any for a blocking
 * reader): what the two share is atomic, and the timer's move of a record's start (while the
 * server holds it up) loses to the reader's change of it.
 */
final class RecordClock {
  private static final Logger LOG = LoggerFactory.getLogger(RecordClock.class);
  private static final RateLimitedLog SLOW = new RateLimitedLog(RateLimitedLog.DEFAULT_INTERVAL);
  private static final long MIN_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  /** How far behind the minimum rate a record must be before it counts as trickled. */
  static final long BEHIND_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  private final long recordTimeoutNanos;
  private final long minBytesPerSecond;
  private final long idleNanos;
  private final AtomicLong recordStart = new AtomicLong(-1); // a record's first byte; -1 between
  private volatile long recordBytes; // written by the reader alone
  private volatile long lastReadNanos = System.nanoTime();
  private long lastCheck = lastReadNanos; // the timer's own
  private long repliesPendingAt = lastCheck; // the last check that found replies not yet taken

  RecordClock(ServerConfig config) {
    this.recordTimeoutNanos = config.recordTimeout().toNanos();
    this.minBytesPerSecond = config.minRecordBytesPerSecond();
    this.idleNanos = config.idleTimeout().isZero() ? Long.MAX_VALUE : config.idleTimeout().toNanos();
  }

  /** How often {@link #expired} is to be asked: a quarter of the shorter timeout, at least 10 ms. */
  long checkPeriodNanos() {
    return Math.max(MIN_CHECK_NANOS, Math.min(recordTimeoutNanos, idleNanos) / 4);
  }

  /** The reader got {@code bytes} at {@code now}: part of a record, begun now if none was. */
  void read(long now, long bytes) {
    lastReadNanos = now;
    begin(now);
    recordBytes += bytes;
  }

  /** A record (or what carries one: a TLS record) has begun arriving, if none had. */
  void begin(long now) {
    if (recordStart.get() < 0) {
      recordStart.set(now);
    }
  }

  /** The reader holds no part of a record. */
  void recordEnded() {
    recordStart.set(-1);
    recordBytes = 0;
  }

  /** When the record arriving began, or -1 between records. */
  long recordStart() {
    return recordStart.get();
  }

  /** The bytes of the record arriving so far. */
  long recordBytes() {
    return recordBytes;
  }

  /**
   * {@code since}, when a record of which {@code bytes} came began, if it has been arriving for
   * {@link #BEHIND_GRACE_NANOS} longer than its bytes earn at the minimum rate (a trickle, which
   * goes before connections quiet between records when room must be made); else -1.
   */
  long behindMinimumRateSince(long now, long since, long bytes) {
    return since >= 0 && now - since > BEHIND_GRACE_NANOS + bytes * 1_000_000_000L / minBytesPerSecond
        ? since : -1;
  }

  /** When the reader last got bytes. */
  long lastReadNanos() {
    return lastReadNanos;
  }

  /**
   * The timer's check: true (and logged) when the connection is to be closed, its record too slow
   * or its quiet too long.
   *
   * @param serverHolds the server, not the peer, holds the record up (the connection is at its
   *     call limit): the time does not count against the record
   * @param repliesUnsent a reply has not yet been taken by the peer: not idle, and idle from when
   *     it is taken
   * @param idleOfCalls the connection holds no call
   */
  boolean expired(long now, SocketAddress peer, boolean serverHolds, boolean repliesUnsent,
      boolean idleOfCalls) {
    long sinceLastCheck = now - lastCheck;
    lastCheck = now;
    long start = recordStart.get();
    if (start >= 0) {
      if (serverHolds) {
        recordStart.compareAndSet(start, start + sinceLastCheck);
        return false;
      }
      long bytes = recordBytes;
      if (now - start > recordTimeoutNanos + bytes * 1_000_000_000L / minBytesPerSecond) {
        SLOW.warn(LOG, "closing {}: {} bytes of a record in {} ms, slower than allowed", peer,
            bytes, TimeUnit.NANOSECONDS.toMillis(now - start));
        return true;
      }
    } else if (repliesUnsent) {
      repliesPendingAt = now;
    } else if (idleOfCalls && now - Math.max(lastReadNanos, repliesPendingAt) > idleNanos) {
      RateLimitedLog.debugOneLine(LOG, "closing {}: idle for {} ms", peer,
          TimeUnit.NANOSECONDS.toMillis(now - lastReadNanos));
      return true;
    }
    return false;
  }
}
