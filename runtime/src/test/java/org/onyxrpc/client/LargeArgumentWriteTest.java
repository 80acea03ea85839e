package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.onyxrpc.internal.transport.RecordMarking;
import org.onyxrpc.testing.Allocations;
import org.onyxrpc.xdr.XdrWriter;

/**
 * The caller-runs client's socket writer and a record that wraps a caller's large array, as
 * {@link XdrWriter#gatheringByReference} makes for a 1 MiB argument: the record goes out in one
 * write when the socket takes it all (it went in sixteen, 64 KiB each, and each woke the server);
 * what the socket leaves is queued as the caller gave it, whatever the caller does to its array
 * once the write returns.
 */
class LargeArgumentWriteTest {
  private static final int ARGUMENT_BYTES = 1 << 20;

  private static byte[] argument() {
    byte[] bytes = new byte[ARGUMENT_BYTES];
    new Random(ARGUMENT_BYTES).nextBytes(bytes);
    return bytes;
  }

  /** A record mark, a stand-in header, the argument by reference. */
  private static ByteBuf record(byte[] argument) {
    XdrWriter out = XdrWriter.gatheringByReference(ByteBufAllocator.DEFAULT.ioBuffer());
    int mark = RecordMarking.begin(out.buffer());
    out.writeInt(0x1234);
    out.writeOpaque(argument, ARGUMENT_BYTES);
    ByteBuf record = out.buffer();
    RecordMarking.end(record, mark);
    return record;
  }

  @Test
  void aRecordThatWrapsAnArrayGoesInOneWrite() throws Exception {
    byte[] argument = argument();
    ByteBuf record = record(argument);
    byte[] expected = ByteBufUtil.getBytes(record);
    TakingChannel socket = new TakingChannel(Long.MAX_VALUE);
    SocketWriter writer = new SocketWriter(socket, ByteBufAllocator.DEFAULT, () -> { });
    try {
      writer.write(record);
      assertEquals(1, socket.writes(), "writes for one record of " + expected.length + " bytes");
      assertEquals(0, writer.queuedBytes());
      assertArrayEquals(expected, socket.taken());
    } finally {
      writer.release();
    }
  }

  /**
   * The copy into direct memory is the one copy: writing the composite whole into the
   * allocator's buffer merged its parts into a new heap array first (a 1 MiB argument cost 1 MiB
   * of heap and a second copy per call, as much as decoding the result).
   */
  @Test
  void copyingSuchARecordAllocatesNoArrayOfItsSize() {
    byte[] argument = argument();
    for (int warm = 0; warm < 3; warm++) { // the allocator's own first chunks
      SocketWriter.owned(record(argument), ByteBufAllocator.DEFAULT).release();
    }
    ByteBuf sample = record(argument);
    byte[] expected = ByteBufUtil.getBytes(sample);
    sample.release();
    List<ByteBuf> copies = new ArrayList<>();
    // The record made inside too: it wraps the array, a few small objects.
    long allocated = Allocations.of(
        () -> copies.add(SocketWriter.owned(record(argument), ByteBufAllocator.DEFAULT)));
    try {
      assertTrue(allocated < ARGUMENT_BYTES / 8, allocated + " bytes of heap to copy " + expected.length);
      assertArrayEquals(expected, ByteBufUtil.getBytes(copies.get(0)));
    } finally {
      copies.forEach(ByteBuf::release);
    }
  }

  /**
   * Large calls one after another copy into the one direct buffer: a new one per call (1 MiB the
   * JDK allocates and zeroes) took about a seventh of the caller-runs client's time in the 1 MiB
   * echo. A small call gives it up.
   */
  @Test
  void largeRecordsOneAfterAnotherShareOneCopy() throws Exception {
    byte[] argument = argument();
    TakingChannel socket = new TakingChannel(Long.MAX_VALUE);
    CountingAllocator alloc = new CountingAllocator();
    SocketWriter writer = new SocketWriter(socket, alloc, () -> { });
    try {
      for (int i = 0; i < 5; i++) {
        writer.write(record(argument));
      }
      assertEquals(1, alloc.directBuffers.get(), "direct buffers for five large records");
      writer.stage().writeInt(7);
      writer.writeStaged(alloc);
      writer.write(record(argument));
      assertEquals(2, alloc.directBuffers.get(), "a small call in between gives the copy up");
    } finally {
      writer.release();
    }
  }

  /** A copy the socket has not taken all of is never written over by the next large record. */
  @Test
  void aCopyStillQueuedIsNotReused() throws Exception {
    byte[] first = argument();
    byte[] second = argument();
    Arrays.fill(second, (byte) 7);
    ByteBuf firstRecord = record(first);
    ByteBuf secondRecord = record(second);
    ByteArrayOutputStream both = new ByteArrayOutputStream();
    both.writeBytes(ByteBufUtil.getBytes(firstRecord));
    both.writeBytes(ByteBufUtil.getBytes(secondRecord));
    byte[] expected = both.toByteArray();
    TakingChannel socket = new TakingChannel(100_000);
    CountingAllocator alloc = new CountingAllocator();
    SocketWriter writer = new SocketWriter(socket, alloc, () -> { });
    try {
      writer.write(firstRecord); // mostly queued: its copy is held by the queue
      writer.write(secondRecord);
      assertEquals(2, alloc.directBuffers.get(), "a second copy while the first is queued");
      socket.mayTake(Long.MAX_VALUE / 2);
      assertFalse(writer.flushQueued(), "all written");
      assertArrayEquals(expected, socket.taken());
    } finally {
      writer.release();
    }
  }

  /** Counts the direct buffers asked for; the default allocator's otherwise. */
  private static final class CountingAllocator extends AbstractByteBufAllocator {
    final AtomicInteger directBuffers = new AtomicInteger();

    CountingAllocator() {
      super(true);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
      return Unpooled.buffer(initialCapacity, maxCapacity);
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
      directBuffers.incrementAndGet();
      return Unpooled.directBuffer(initialCapacity, maxCapacity);
    }

    @Override
    public boolean isDirectBufferPooled() {
      return false;
    }
  }

  @Test
  void whatTheSocketLeavesOfSuchARecordIsWrittenAsTheCallerGaveIt() throws Exception {
    byte[] argument = argument();
    ByteBuf record = record(argument);
    byte[] expected = ByteBufUtil.getBytes(record);
    int first = 100_000; // not a multiple of any piece
    TakingChannel socket = new TakingChannel(first);
    AtomicInteger watched = new AtomicInteger();
    SocketWriter writer = new SocketWriter(socket, ByteBufAllocator.DEFAULT, watched::incrementAndGet);
    try {
      writer.write(record);
      assertEquals(expected.length - first, writer.queuedBytes());
      assertEquals(1, watched.get(), "the socket is watched for room");
      Arrays.fill(argument, (byte) 0); // the call is written: the array is its caller's again
      socket.mayTake(300_000);
      assertTrue(writer.flushQueued(), "some still queued");
      socket.mayTake(Long.MAX_VALUE / 2);
      assertFalse(writer.flushQueued(), "all written");
      assertEquals(0, writer.queuedBytes());
      assertArrayEquals(expected, socket.taken());
    } finally {
      writer.release();
    }
  }
}
