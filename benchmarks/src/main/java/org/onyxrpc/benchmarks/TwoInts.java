package org.onyxrpc.benchmarks;

/**
 * The {@link AddProgram#ADD} payload for peers that carry opaque bytes (gRPC's byte-array
 * marshaller): the arguments as 8 bytes, two big-endian ints, the result as 4 — exactly the XDR
 * Onyx sends, so only the framing around them differs between peers.
 */
final class TwoInts {
  /** The encoded {@link AddProgram#ARGS}. */
  static final byte[] ARGS = encodeArgs(AddProgram.ARGS.a(), AddProgram.ARGS.b());

  private TwoInts() {}

  static byte[] encodeArgs(int a, int b) {
    byte[] out = new byte[8];
    put(out, 0, a);
    put(out, 4, b);
    return out;
  }

  /** Adds the two ints of an encoded argument pair and encodes the sum. */
  static byte[] add(byte[] args) {
    if (args.length != 8) {
      throw new IllegalArgumentException("two ints expected, got " + args.length + " bytes");
    }
    byte[] out = new byte[4];
    put(out, 0, Wire.getInt(args, 0) + Wire.getInt(args, 4));
    return out;
  }

  /** The sum from an encoded result, checked to be that of {@link AddProgram#ARGS}. */
  static int sum(byte[] result) {
    int sum = Wire.getInt(result, 0);
    if (sum != AddProgram.ARGS.a() + AddProgram.ARGS.b()) {
      throw new IllegalStateException("2 + 3 = " + sum);
    }
    return sum;
  }

  private static void put(byte[] out, int offset, int value) {
    out[offset] = (byte) (value >>> 24);
    out[offset + 1] = (byte) (value >>> 16);
    out[offset + 2] = (byte) (value >>> 8);
    out[offset + 3] = (byte) value;
  }
}
