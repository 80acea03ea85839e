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
 * #expired} now and then. Where the two are one thread (an event loop's, {@link #ofOneThread})
 * the record's marks are plain fields, so a read costs no more volatile writes on the event
 * loop's path than before the clock was shared; where they are not (a blocking reader and a
 * shared timer, {@link #ofTwoThreads}) they are atomic, and the timer's move of a record's start
 * (while the server holds it up) loses to the reader's change of it. One logic, here; the two
 * differ only in how the marks are kept.
 */
abstract class RecordClock {
  private static final Logger LOG = LoggerFactory.getLogger(RecordClock.class);
  private static final RateLimitedLog SLOW = new RateLimitedLog(RateLimitedLog.DEFAULT_INTERVAL);
  private static final long MIN_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  /** How far behind the minimum rate a record must be before it counts as trickled. */
  static final long BEHIND_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  private final long recordTimeoutNanos;
  private final long minBytesPerSecond;
  private final long idleNanos;
  private long lastCheck; // the timer's own
  private long repliesPendingAt; // the last check that found replies not yet taken
  // Shared in either variant: ConnectionLimiter reads it from other threads to choose whom to
  // evict. Set in an ordered store (a plain one on x86, no fence per read): the readers need it
  // soon, not at once.
  private final AtomicLong lastRead = new AtomicLong();

  private RecordClock(ServerConfig config, long now) {
    this.recordTimeoutNanos = config.recordTimeout().toNanos();
    this.minBytesPerSecond = config.minRecordBytesPerSecond();
    this.idleNanos = config.idleTimeout().isZero() ? Long.MAX_VALUE : config.idleTimeout().toNanos();
    this.lastCheck = now;
    this.repliesPendingAt = now;
    this.lastRead.set(now);
  }

  /** A clock whose reader and timer are one thread (an event loop's): plain fields. */
  static RecordClock ofOneThread(ServerConfig config) {
    return new OneThread(config, System.nanoTime());
  }

  /** A clock whose reader and timer are different threads: atomic marks. */
  static RecordClock ofTwoThreads(ServerConfig config) {
    return new TwoThreads(config, System.nanoTime());
  }

  // The marks: a record's start (-1 between records) and its bytes so far (written by the reader
  // alone).
  abstract long start();

  abstract void start(long start);

  /** Moves the start from {@code expected} to {@code moved}, unless the reader changed it. */
  abstract void moveStart(long expected, long moved);

  abstract long bytes();

  abstract void bytes(long bytes);

  final void lastRead(long now) {
    lastRead.lazySet(now);
  }

  /** How often {@link #expired} is to be asked: a quarter of the shorter timeout, at least 10 ms. */
  long checkPeriodNanos() {
    return Math.max(MIN_CHECK_NANOS, Math.min(recordTimeoutNanos, idleNanos) / 4);
  }

  /** The reader got {@code bytes} at {@code now}: part of a record, begun now if none was. */
  void read(long now, long bytes) {
    lastRead(now);
    begin(now);
    bytes(bytes() + bytes);
  }

  /** A record (or what carries one: a TLS record) has begun arriving, if none had. */
  void begin(long now) {
    if (start() < 0) {
      start(now);
    }
  }

  /** The reader holds no part of a record. */
  void recordEnded() {
    start(-1);
    bytes(0);
  }

  /**
   * A blocking reader's read of {@code bytes}, told after it ran the records the read completed
   * (the time of the read itself told before, {@link #lastRead(long)}): {@code midRecord}, it
   * holds part of one, begun at {@code now} (after those records, which the server held up, not
   * the peer) if none was; else none. A call read whole touches no mark: none was arriving.
   */
  void ran(long now, long bytes, boolean midRecord) {
    if (midRecord) {
      begin(now);
      bytes(bytes() + bytes);
    } else if (start() >= 0) { // a read: no store when no record was arriving
      recordEnded();
    }
  }

  /** When the record arriving began, or -1 between records. */
  long recordStart() {
    return start();
  }

  /** The bytes of the record arriving so far. */
  long recordBytes() {
    return bytes();
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
  final long lastReadNanos() {
    return lastRead.get();
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
    long start = start();
    if (start >= 0) {
      if (serverHolds) {
        moveStart(start, start + sinceLastCheck);
        return false;
      }
      long bytes = bytes();
      if (now - start > recordTimeoutNanos + bytes * 1_000_000_000L / minBytesPerSecond) {
        SLOW.warn(LOG, "closing {}: {} bytes of a record in {} ms, slower than allowed", peer,
            bytes, TimeUnit.NANOSECONDS.toMillis(now - start));
        return true;
      }
    } else if (repliesUnsent) {
      repliesPendingAt = now;
    } else if (idleOfCalls && now - Math.max(lastReadNanos(), repliesPendingAt) > idleNanos) {
      RateLimitedLog.debugOneLine(LOG, "closing {}: idle for {} ms", peer,
          TimeUnit.NANOSECONDS.toMillis(now - lastReadNanos()));
      return true;
    }
    return false;
  }

  /** Reader and timer on one thread: plain fields. */
  private static final class OneThread extends RecordClock {
    private long start = -1;
    private long bytes;

    OneThread(ServerConfig config, long now) {
      super(config, now);
    }

    @Override
    long start() {
      return start;
    }

    @Override
    void start(long start) {
      this.start = start;
    }

    @Override
    void moveStart(long expected, long moved) {
      start = moved; // the reader cannot have changed it: it is this thread
    }

    @Override
    long bytes() {
      return bytes;
    }

    @Override
    void bytes(long bytes) {
      this.bytes = bytes;
    }
  }

  /** Reader and timer on different threads: what they share is atomic. */
  private static final class TwoThreads extends RecordClock {
    private final AtomicLong start = new AtomicLong(-1);
    private volatile long bytes;

    TwoThreads(ServerConfig config, long now) {
      super(config, now);
    }

    @Override
    long start() {
      return start.get();
    }

    @Override
    void start(long start) {
      this.start.set(start);
    }

    @Override
    void moveStart(long expected, long moved) {
      start.compareAndSet(expected, moved);
    }

    @Override
    long bytes() {
      return bytes;
    }

    @Override
    void bytes(long bytes) {
      this.bytes = bytes;
    }
  }
}
