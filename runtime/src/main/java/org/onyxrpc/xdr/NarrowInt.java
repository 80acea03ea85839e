package org.onyxrpc.xdr;

/**
 * rpcgen's narrow integers ({@code xdr_char}, {@code xdr_int8_t}, {@code xdr_u_char},
 * {@code xdr_short}, {@code xdr_u_short}): XDR ints holding only what the C type holds, since C
 * cuts any other value to its low bits. One range for reading and writing. {@code char} takes
 * -128 to 255: C's {@code char} is signed on x86 (sent sign-extended) and unsigned on ARM, the
 * same 8 bits; {@code int8_t} is a {@code signed char} everywhere.
 */
enum NarrowInt {
  CHAR("char", Byte.MIN_VALUE, 0xFF),
  INT8("int8_t", Byte.MIN_VALUE, Byte.MAX_VALUE),
  UNSIGNED_CHAR("unsigned char", 0, 0xFF),
  SHORT("short", Short.MIN_VALUE, Short.MAX_VALUE),
  UNSIGNED_SHORT("unsigned short", 0, 0xFFFF);

  final String idl;
  private final int min;
  private final int max;

  NarrowInt(String idl, int min, int max) {
    this.idl = idl;
    this.min = min;
    this.max = max;
  }

  /** {@code value}, if the type holds it. */
  int check(int value) {
    return check(value, true);
  }

  /** {@code value}, if the type holds it; else an exception with or without a stack trace. */
  int check(int value, boolean stackTrace) {
    if (value < min || value > max) {
      throw new XdrException(idl + " must be " + min + " to " + max + ", got " + value, stackTrace);
    }
    return value;
  }
}
