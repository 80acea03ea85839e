package org.onyxrpc.xdr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.function.Consumer;
import java.util.function.Function;

/** Buffer plumbing for the tests: every buffer made here is released and checked released. */
public final class Bufs {
  private Bufs() {}

  /** The hex of what {@code write} appends to a fresh pooled buffer. */
  public static String writeHex(Consumer<XdrWriter> write) {
    ByteBuf buf = PooledByteBufAllocator.DEFAULT.buffer();
    try {
      write.accept(new XdrWriter(buf));
      return ByteBufUtil.hexDump(buf);
    } finally {
      release(buf);
    }
  }

  /** The hex of {@code value} encoded with {@code codec}. */
  public static <T> String encodeHex(XdrCodec<T> codec, T value) {
    return writeHex(out -> codec.encode(out, value));
  }

  /** Runs {@code read} on a reader over {@code hex}; the buffer is released afterwards. */
  public static <R> R read(String hex, Function<XdrReader, R> read) {
    return read(ByteBufUtil.decodeHexDump(hex), read);
  }

  /** Runs {@code read} on a reader over {@code bytes}; the buffer is released afterwards. */
  public static <R> R read(byte[] bytes, Function<XdrReader, R> read) {
    ByteBuf buf = copy(bytes, bytes.length);
    try {
      return read.apply(new XdrReader(buf));
    } finally {
      release(buf);
    }
  }

  /** Decodes one value that must take exactly all of {@code hex}. */
  public static <T> T decodeAll(XdrCodec<T> codec, String hex) {
    return decodeAll(codec, ByteBufUtil.decodeHexDump(hex));
  }

  /** Decodes one value that must take exactly all of {@code bytes}. */
  public static <T> T decodeAll(XdrCodec<T> codec, byte[] bytes) {
    return read(bytes, in -> {
      T value = codec.decode(in);
      assertEquals(0, in.remaining(), "bytes left after decoding");
      return value;
    });
  }

  /** Encodes, checks the size is whole units, and decodes back, taking every byte. */
  public static <T> T roundTrip(XdrCodec<T> codec, T value) {
    String hex = encodeHex(codec, value);
    assertEquals(0, hex.length() % 8, "encoding is not whole 4-byte units: " + hex);
    return decodeAll(codec, hex);
  }

  /**
   * A fresh heap buffer holding the first {@code length} of {@code bytes}; never Netty's shared
   * empty buffer, whose reference count does not move, so {@link #release} can check it.
   */
  public static ByteBuf copy(byte[] bytes, int length) {
    return Unpooled.buffer(Math.max(length, 1)).writeBytes(bytes, 0, length);
  }

  /** Releases {@code buf} and asserts nothing else holds it. */
  public static void release(ByteBuf buf) {
    buf.release();
    assertEquals(0, buf.refCnt(), "buffer still referenced");
  }
}
