package org.onyxrpc.client;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Gives back what a caller-runs connection keeps for large records (the read buffer grown for
 * a large reply, buffers set aside, the writer's copy of a large argument) once the connection
 * has been quiet for {@link #QUIET_NANOS}: fewer than {@link #QUIET_BYTES} read meanwhile, and no
 * large argument copied; within twice that of the last large read or call, as a check finding
 * them since it was set looks again that much later.
 *
 * <p>Before, they were kept until the next small reply or call, or the close: a client that made
 * one 1 MiB call and then sat idle held about 3 MiB of direct memory per connection for as long
 * as it lived. Kept while large records keep coming, they spare each its buffers' allocation.
 * Quiet was once no read at all: a server that, after a 4 MiB reply, sent a byte every 300 ms of
 * a record it never finished made every check find a read, and the client kept 7.6 MiB per
 * connection for as long as it dribbled (64 such connections: 487 MB).
 *
 * <p>The check runs on the client's timer; it takes the read turn without waiting (the read
 * buffers are the turn holder's alone) and the call owner for the writer's copy, and looks again
 * later if either is busy. One check at a time per connection, only while something is kept: a
 * small call costs nothing here.
 */
final class QuietRelease {
  /** How long a connection is quiet before what it keeps for large records is let go. */
  static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** Fewer bytes than this read in {@link #QUIET_NANOS}: no large record is coming. */
  static final long QUIET_BYTES = ReadBuffer.USUAL_BYTES;

  private final CallTimer timer;
  private final ReadTurn turn;
  private final SocketReader reader;
  private final SocketWriter writer;
  private final CallOwner owner;
  private final BooleanSupplier open;
  private final AtomicBoolean checking = new AtomicBoolean();
  /** The writer's count of large copies at the last check that took the owner; checks' alone. */
  private int copiesSeen = -1;

  QuietRelease(CallTimer timer, ReadTurn turn, SocketReader reader, SocketWriter writer,
      CallOwner owner, BooleanSupplier open) {
    this.timer = timer;
    this.turn = turn;
    this.reader = reader;
    this.writer = writer;
    this.owner = owner;
    this.open = open;
  }

  /** Something large is kept: a check is scheduled, unless one already is. */
  void keeping() {
    // Read first: every read of a large record calls this, and a check is nearly always set.
    if (!checking.get() && checking.compareAndSet(false, true)) {
      check(reader.bytesRead());
    }
  }

  private void check(long bytesThen) {
    timer.schedule(timeout -> letGoIfQuiet(bytesThen), QUIET_NANOS);
  }

  private void letGoIfQuiet(long bytesThen) {
    if (!open.getAsBoolean()) {
      checking.set(false); // the close frees them all
      return;
    }
    long bytes = reader.bytesRead();
    if (bytes - bytesThen >= QUIET_BYTES || !turn.tryTake()) {
      check(bytes); // a large record read since, or being read: not quiet
      return;
    }
    // Before letting go: whatever is kept from here on (a read, a large call) sets the next check.
    checking.set(false);
    boolean writerLetGo;
    try {
      reader.letGoOfKeptForLarge();
      writerLetGo = letGoOfWritersCopy();
    } finally {
      turn.release();
    }
    if (!writerLetGo) {
      keeping(); // its owner was busy: again later
    }
  }

  /**
   * Whether the writer's copy of a large argument, if any, was let go: it is the owner's, and
   * kept while large arguments are copied between checks (their replies may be small).
   */
  private boolean letGoOfWritersCopy() {
    if (!owner.tryEnter()) {
      return false;
    }
    try {
      int copies = writer.copies();
      if (writer.keepsCopy() && copies != copiesSeen) {
        copiesSeen = copies;
        return false; // copied since the last look: again later
      }
      writer.dropKeptCopy();
    } finally {
      owner.exit();
    }
    return true;
  }
}
