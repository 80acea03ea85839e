package org.onyxrpc.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.onyxrpc.internal.transport.PollBeforeWait;
import org.onyxrpc.internal.transport.RecordAssembler;
import org.onyxrpc.internal.transport.RecordMarking;

/**
 * The reading side of a caller-runs connection, used only by whoever holds its {@link ReadTurn}:
 * reads the socket, reassembles records and dispatches the replies. Calls that the replies'
 * callbacks make meanwhile are written together when the batch ends.
 */
final class SocketReader implements TurnReader, AutoCloseable {
  private static final Consumer<SelectionKey> READY = key -> {};
  /**
   * The most one read(2) takes. The kernel tells the server its window has reopened as each read
   * ends, so a large reply read in pieces keeps the server writing while the client copies, where
   * one read of all that had arrived left the server waiting for it (libtirpc reads 64 KiB at a
   * time too). By hand, 1 MiB echoes against an Onyx and a C server: 10% to 24% more MiB/s.
   */
  private static final int READ_PIECE_BYTES = 64 << 10;
  /** What a record handed to a busy owner costs beyond its bytes: its slice, task and node. */
  private static final int HANDED_OVER_OVERHEAD_BYTES = 128;

  private final ConnectionSetup setup;
  private final SocketChannel channel;
  private final SocketWriter writer;
  private final Selector readable;
  private final PollBeforeWait<PendingCall<?, ?>> poll;
  private final ByteBufAllocator alloc;
  private final RecordAssembler assembler;
  private final int maxRecordBytes;
  private final Consumer<ByteBuf> deliver = this::deliver;
  private final Consumer<ByteBuf> handOver = this::handOver;
  private final long maxHandedOverBytes;
  /** Bytes of records handed to a busy owner that it has not taken yet, charges included. */
  private final AtomicLong handedOver = new AtomicLong();
  /** Run once the owner has taken enough of them that reading may go on. */
  private final Runnable resume;
  /** Run after a read that leaves the buffers larger than usual, to let them go when quiet. */
  private final Runnable keeping;
  private final ArrayDeque<ByteBuf> deferred = new ArrayDeque<>();
  private long deferredBytes;
  /** Null once the connection's buffers are freed. */
  private ReadBuffer buffer = new ReadBuffer();
  /** A view of the read buffer, set to each record delivered in place; made once per buffer. */
  private ByteBuf view;
  private ByteBuf viewOf;
  private boolean delivering;
  /**
   * Bytes read, counted by the turn's holder and published without a fence: a count, not a time,
   * so that a read costs no clock (the connection finds out when, roughly), and of bytes, not of
   * reads, so that a server sending a byte now and then does not look busy ({@link QuietRelease}).
   */
  private final AtomicLong bytesRead = new AtomicLong();

  /**
   * {@code writer} writes, on the owner, the calls that a batch's callbacks make; a leader looks
   * for bytes for up to {@code pollNanos} before it sleeps for them ({@link PollBeforeWait}).
   */
  SocketReader(ConnectionSetup setup, SocketChannel channel, SocketWriter writer,
      ByteBufAllocator alloc, int maxRecordBytes, long maxHandedOverBytes, Runnable resume,
      Runnable keeping, long pollNanos) throws IOException {
    this.setup = setup;
    this.keeping = keeping;
    this.maxHandedOverBytes = maxHandedOverBytes;
    this.resume = resume;
    this.channel = channel;
    this.writer = writer;
    this.alloc = alloc;
    this.assembler = new RecordAssembler(maxRecordBytes);
    this.maxRecordBytes = maxRecordBytes;
    this.readable = Selector.open();
    channel.register(readable, SelectionKey.OP_READ);
    // Backed up, it reads nothing until the owner takes what it was handed: the look ends, as it
    // does for a call done meanwhile (another thread read its reply).
    this.poll = new PollBeforeWait<>(pollNanos,
        call -> readSome() > 0 || backedUp() || call.isDone());
  }

  /** How many bytes have been read, from any thread. */
  long bytesRead() {
    return bytesRead.get();
  }

  /** Whether the current thread is delivering a batch of replies (and so holds the turn). */
  boolean delivering() {
    return delivering;
  }

  /** On the owner: keeps a call made by a reply's callback, to be written with the batch. */
  void defer(ByteBuf message) {
    deferred.add(message);
    deferredBytes += message.readableBytes();
  }

  /** On the owner: bytes of the calls kept to be written with the batch, queued as good as. */
  long deferredBytes() {
    return deferredBytes;
  }

  /**
   * Waits up to {@code waitNanos} for bytes, reads what there is, and delivers whole records,
   * {@code call}'s reply among them or not.
   */
  @Override
  public void readOnce(long waitNanos, PendingCall<?, ?> call) throws IOException {
    if (backedUp()) {
      // Its call completed or the owner caught up: either wakes this thread.
      LockSupport.parkNanos(this, waitNanos);
      return;
    }
    if (poll.arrived(waitNanos, call)) {
      return; // what came is read, or the call is done
    }
    if (readable.select(READY, millis(waitNanos)) > 0) {
      readAvailable();
    }
  }

  /** Ends a wait for bytes in progress, or makes the next one return at once. */
  @Override
  public void wakeup() {
    readable.wakeup();
  }

  private static long millis(long nanos) {
    return Math.max(1, java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(nanos + 999_999));
  }

  /**
   * Whether the records handed to a busy owner and not yet taken reach their bound: reading
   * then stops, the bytes left in the socket, until the owner takes them ({@code resume}).
   * Before, a reader went on reading behind an owner held by a reply's callback, and a server
   * sending 8-byte records made the client hold about fifteen times their bytes, without bound.
   */
  boolean backedUp() {
    return handedOver.get() >= maxHandedOverBytes;
  }

  /** Reads what has arrived, without waiting; throws when the server has closed. */
  @Override
  public void readAvailable() throws IOException {
    readSome();
  }

  /** {@link #readAvailable}, telling how many bytes it read. */
  private int readSome() throws IOException {
    if (backedUp()) {
      return 0;
    }
    // A reply's callback made a sync call, which reads while its batch is being delivered: the
    // records are then sliced, and the buffer is left for the batch to tidy.
    boolean nested = delivering;
    buffer.makeRoom(!nested); // a batch under way delivers from this very buffer
    ByteBuf in = buffer.bytes();
    int n = readPieces(in);
    if (n < 0) {
      throw new IOException("the server closed the connection");
    }
    if (n > 0) {
      bytesRead.lazySet(bytesRead.get() + n); // the turn's holder alone writes it
    }
    CallOwner owner = setup.owner();
    if (owner.tryEnter()) { // the batch's replies completed here, and the calls they make written
      try {
        delivering = true;
        if (!nested) {
          deliverInPlace(in);
        }
        assembler.decode(in, alloc, deliver);
      } finally {
        delivering = nested;
        try {
          writeDeferred();
        } finally {
          owner.exit();
        }
      }
    } else {
      assembler.decode(in, alloc, handOver); // each reply handed to the owner
    }
    if (nested) {
      return n; // the batch's view of the buffer must stay where it is
    }
    buffer.tidy();
    if (buffer.keepsForLarge()) {
      keeping.run();
    }
    return n;
  }

  /** Only by the turn's holder, the connection quiet: lets go of what is kept for large records. */
  void letGoOfKeptForLarge() {
    if (buffer != null && !delivering) {
      buffer.letGoOfKeptForLarge();
    }
  }

  /**
   * On the owner: dispatches each one-fragment record that lies whole in the read buffer where
   * it lies, through one view of the buffer set to it, rather than through a slice of its own
   * (the commonest reply then costs no object). The record is consumed before it is delivered,
   * as a slice would be. Whatever else is there, a record in fragments, one still arriving or
   * one over the limit, is left to the assembler.
   */
  private void deliverInPlace(ByteBuf in) {
    while (!assembler.midRecord() && in.readableBytes() >= RecordMarking.HEADER_BYTES) {
      int header = in.getInt(in.readerIndex());
      int length = header & RecordMarking.LENGTH_MASK;
      if ((header & RecordMarking.LAST_FRAGMENT) == 0 || length > maxRecordBytes
          || in.readableBytes() - RecordMarking.HEADER_BYTES < length) {
        return;
      }
      int start = in.readerIndex() + RecordMarking.HEADER_BYTES;
      in.readerIndex(start + length);
      buffer.delivered(length);
      if (viewOf != in) {
        view = in.duplicate();
        viewOf = in;
      }
      view.setIndex(start, start + length);
      ReplyReader.dispatchRecord(setup, view); // on the owner, so at once: nothing keeps the view
    }
  }

  /**
   * Reads what the socket holds into {@code in}, a piece of at most {@value #READ_PIECE_BYTES} at
   * a time until a piece comes short or the buffer is full; returns the bytes read, or -1 if the
   * server has closed and nothing was read.
   */
  private int readPieces(ByteBuf in) throws IOException {
    int total = 0;
    while (true) {
      int asked = Math.min(in.writableBytes(), READ_PIECE_BYTES);
      int got = in.writeBytes(channel, asked);
      if (got < 0) {
        return total > 0 ? total : got;
      }
      total += got;
      if (got < asked || !in.isWritable()) {
        return total;
      }
    }
  }

  /** On the owner: writes the calls made by callbacks during a batch of replies, in one go. */
  private void writeDeferred() throws IOException {
    if (deferred.isEmpty()) {
      return;
    }
    java.util.List<ByteBuf> batch = java.util.List.copyOf(deferred);
    deferred.clear();
    deferredBytes = 0;
    writer.write(batch);
  }

  /** Off the owner: a record for the owner to dispatch, counted until it has. */
  private void handOver(ByteBuf record) {
    buffer.delivered(record.readableBytes());
    try {
      ReplyReader.requireXid(setup, record);
      if (ReplyReader.dispatchIfOwnerFree(setup, record)) {
        return;
      }
      int charge = record.readableBytes() + HANDED_OVER_OVERHEAD_BYTES;
      handedOver.addAndGet(charge);
      ReplyReader.dispatchLater(setup, record.retainedSlice(), () -> taken(charge));
    } finally {
      record.release();
    }
  }

  /** On the owner, once it has dispatched a record handed over: reading resumes below the bound. */
  private void taken(int charge) {
    long left = handedOver.addAndGet(-charge);
    if (left < maxHandedOverBytes && left + charge >= maxHandedOverBytes) {
      resume.run();
    }
  }

  private void deliver(ByteBuf record) {
    buffer.delivered(record.readableBytes());
    try {
      ReplyReader.dispatchRecord(setup, record);
    } finally {
      record.release();
    }
  }

  /** Frees the buffers; only by the turn's holder, once the connection is closed. */
  @Override
  public void freeBuffers() {
    if (buffer != null) {
      buffer.release();
      buffer = null;
      view = null;
      viewOf = null;
      assembler.release();
    }
    ByteBuf message;
    while ((message = deferred.poll()) != null) {
      message.release();
    }
    deferredBytes = 0;
  }

  @Override
  public void close() throws IOException {
    readable.close();
  }
}
