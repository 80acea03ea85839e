package org.onyxrpc.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Where a large read from a socket begins in its buffer: at the start of a page of memory.
 *
 * <p>Linux copies what a read takes from the socket's pages with one string instruction ({@code
 * rep movsb}), and on this project's AMD machines that copy runs about six times slower when its
 * destination lies a few bytes past its source within a page (8 to 28 bytes were, every offset
 * tried among them; 0 and 32 on were not). The kernel lays a TCP
 * stream out in its pages from a page's start, and a large direct buffer, which malloc takes
 * from mmap, begins 16 bytes past a page's start: every read of a large record fell in that band.
 * By hand, a 64 KiB read into such a buffer took 24 µs, and 4 µs at any other offset tried (0,
 * 32, 64, 2048), whether an Onyx or a C server sent it; the 1 MiB echo spent most of its time in
 * those copies, at both ends. A read that begins at a page's start is at distance 0.
 *
 * <p>Buffers that grow and move their bytes keep their reads there by their indices ({@link
 * #directBuffer}, {@link #reset}, {@link #compact}); buffers read into once, by a slice ({@link
 * #slice}).
 */
public final class PageAlignedReads {
  /** The page the kernel's copy is measured against. */
  public static final int PAGE_BYTES = 4096;

  private PageAlignedReads() {}

  /**
   * A direct buffer with {@code room} bytes to read into from a page's start, its indices there;
   * {@link #PAGE_BYTES} more than {@code room} are allocated.
   */
  public static ByteBuf directBuffer(ByteBufAllocator alloc, int room) {
    return reset(alloc.directBuffer(room + PAGE_BYTES));
  }

  /**
   * A buffer of exactly {@code bytes} writable bytes that begins at a page's start: a slice of one
   * {@link #PAGE_BYTES} larger, released with it. For a buffer that is read into and never grown.
   */
  public static ByteBuf slice(ByteBufAllocator alloc, int bytes) {
    ByteBuf whole = alloc.ioBuffer(bytes + PAGE_BYTES);
    int start = start(whole);
    if (start + bytes > whole.capacity()) { // no address known: as allocated
      return whole;
    }
    return whole.slice(start, bytes).clear();
  }

  /** The index of {@code buffer} whose address is a page's start; 0 if its address is unknown. */
  public static int start(ByteBuf buffer) {
    if (!buffer.hasMemoryAddress()) {
      return 0;
    }
    int start = (int) (-buffer.memoryAddress() & (PAGE_BYTES - 1));
    return start < buffer.capacity() ? start : 0;
  }

  /** Empties {@code buffer}, its indices at {@link #start}. */
  public static ByteBuf reset(ByteBuf buffer) {
    int start = start(buffer);
    return buffer.setIndex(start, start);
  }

  /**
   * Moves the bytes not yet read to {@link #start}, as {@link ByteBuf#discardReadBytes} moves them
   * to index 0; to 0 where they lie before the start or would not fit after it (a buffer grown in
   * place, its address moved). Only ever towards index 0, as Netty's own move copies.
   */
  public static void compact(ByteBuf buffer) {
    int start = start(buffer);
    int readable = buffer.readableBytes();
    if (buffer.readerIndex() < start || start + readable > buffer.capacity()) {
      buffer.discardReadBytes();
      return;
    }
    if (buffer.readerIndex() != start) {
      buffer.setBytes(start, buffer, buffer.readerIndex(), readable);
      buffer.setIndex(start, start + readable);
    }
  }

  /**
   * {@link ByteBuf#discardSomeReadBytes}, to {@link #start}: empty, the indices go back there;
   * else the bytes move once at least half the buffer lies read before them.
   */
  public static void discardSome(ByteBuf buffer) {
    if (!buffer.isReadable()) {
      reset(buffer);
    } else if (buffer.readerIndex() - start(buffer) >= buffer.capacity() >>> 1) {
      compact(buffer);
    }
  }
}
