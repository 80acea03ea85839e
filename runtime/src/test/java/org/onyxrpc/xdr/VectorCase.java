package org.onyxrpc.xdr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * A value, its codec, and the check against a reference encoding: encoding gives exactly the
 * bytes, decoding the bytes gives the value back and consumes them all, and every shorter prefix
 * is an {@link XdrException}.
 *
 * @param codec writes and reads the value
 * @param value what the vector's name says was encoded
 * @param <T> the value's type
 */
public record VectorCase<T>(XdrCodec<T> codec, T value) {

  /** Runs all three checks against {@code hex}. */
  public void check(String hex) {
    assertEquals(hex, Bufs.encodeHex(codec, value), "encoding");
    byte[] bytes = ByteBufUtil.decodeHexDump(hex);
    DeepEquals.assertDeepEquals(value, Bufs.decodeAll(codec, bytes));
    for (int length = 0; length < bytes.length; length++) {
      ByteBuf prefix = Bufs.copy(bytes, length);
      try {
        assertThrows(XdrException.class, () -> codec.decode(new XdrReader(prefix)),
            "decoding the first " + length + " bytes");
      } finally {
        Bufs.release(prefix);
      }
    }
  }
}
