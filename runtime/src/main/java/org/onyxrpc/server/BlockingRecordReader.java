package org.onyxrpc.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.onyxrpc.internal.transport.RecordAssembler;

/**
 * The reading side of a {@link BlockingTcpConnection}, run on its thread: blocking reads into the
 * thread's {@link BlockingBuffers}, records reassembled by the event loops' {@link
 * RecordAssembler} and handed to the connection as they complete, the bytes held charged to the
 * byte budget ({@link HeldRecordBytes}), and the waits while that budget is spent.
 */
final class BlockingRecordReader {
  /** The most one read takes: what a connection may hold past a spent budget, as one read's. */
  static final int MAX_READ_BYTES = 64 * 1024;

  private final SocketChannel socket;
  private final RecordAssembler assembler;
  private final ByteBufAllocator alloc;
  private final BlockingBuffers buffers;
  private final HeldRecordBytes records;
  private final RecordClock clock;
  private final BlockingLinger linger;
  private final Consumer<ByteBuf> handler;
  private final Thread thread;
  private ByteBuf cumulation; // the bytes read and not yet taken by the assembler
  // Set when a budget this connection waits for has room: the thread then reads on.
  private volatile boolean fedSignal;
  private volatile boolean starved; // waiting for a budget: read by OpenConnections (for tests)
  private final Runnable fed = () -> {
    fedSignal = true;
    LockSupport.unpark(thread());
  };

  /** {@code handler} takes each record read whole; {@code thread} is the one that reads. */
  BlockingRecordReader(SocketChannel socket, RecordAssembler assembler, ByteBufAllocator alloc,
      BlockingBuffers buffers, HeldRecordBytes records, RecordClock clock, BlockingLinger linger,
      Consumer<ByteBuf> handler, Thread thread) {
    this.socket = socket;
    this.assembler = assembler;
    this.alloc = alloc;
    this.buffers = buffers;
    this.records = records;
    this.clock = clock;
    this.linger = linger;
    this.handler = handler;
    this.thread = thread;
  }

  private Thread thread() {
    return thread;
  }

  /**
   * Reads and hands over records until the peer ends its stream (true) or the close begins to
   * linger (false: the rest is dropped, undecoded); a closed socket throws.
   */
  boolean readUntilClosed(Object client) throws IOException {
    records.join(client);
    while (true) {
      awaitBudget();
      if (linger.begun()) {
        return false; // lingering: the rest is dropped, undecoded
      }
      cumulation = buffers.readRoom(cumulation);
      // Charged before the read waits: the room made for a large fragment is the peer's doing.
      records.charge(assembler.bufferedBytes() + BlockingBuffers.charged(cumulation));
      buffers.settle();
      // Nobody else holds the buffer now (readRoom): its own view, not a new one per read.
      ByteBuffer room = cumulation.internalNioBuffer(cumulation.writerIndex(),
          Math.min(cumulation.writableBytes(), MAX_READ_BYTES));
      int read = socket.read(room);
      if (read < 0) {
        return true;
      }
      cumulation.writerIndex(cumulation.writerIndex() + read);
      long now = System.nanoTime();
      clock.lastRead(now);
      records.arrived(read); // until the assembler has had its look
      assembler.decode(cumulation, alloc, handler);
      boolean midRecord = assembler.midRecord() || cumulation.isReadable();
      // The marks only now, once the records read whole have run: a call read whole touches
      // none (two fenced stores each way), and a part read behind them is timed from when they
      // are done, as the timer's moves of a begun record's start would have made it.
      clock.ran(midRecord ? System.nanoTime() : now, read, midRecord);
      records.charge(assembler.bufferedBytes() + BlockingBuffers.charged(cumulation));
      if (records.pauseWhileSpent(midRecord, fed) && !records.mayRead()) {
        buffers.dropKept(); // the budget is spent: a buffer kept for later is not worth a wait
      }
    }
  }

  /**
   * Waits, holding part of a record, while a budget it needs is spent ({@link HeldRecordBytes}),
   * as an event loop stops reading such a connection; the record clock runs on meanwhile, as it
   * does there. Closing the connection wakes it.
   */
  private void awaitBudget() throws IOException {
    try {
      while (!records.mayRead() && !linger.begun()) {
        if (fedSignal) {
          fedSignal = false;
          records.fed();
        } else if (!socket.isOpen()) {
          throw new ClosedChannelException();
        } else {
          starved = true;
          LockSupport.park(this);
        }
      }
    } finally {
      if (starved) { // read first: no volatile write on a read that did not wait
        starved = false;
      }
    }
  }

  /** True while the reader waits for the byte budget, or its client's share, to have room. */
  boolean starved() {
    return starved;
  }

  /** Once the thread reads no more: what it held of the budget and its buffers given back. */
  void release() {
    assembler.release();
    records.leave();
    if (cumulation != null) {
      cumulation.release();
      cumulation = null;
    }
    buffers.release();
  }
}
