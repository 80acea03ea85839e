package org.onyxrpc.interop;

import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * The program of {@code src/test/c/bulk/bulk.x}, which the C bulk client and servers speak: the
 * interop tests call it and serve it under these numbers.
 */
final class BulkProgram {
  static final int PROGRAM = 0x20000778;
  /** FILL(size): size bytes, byte i being i % 251. */
  static final Procedure<Integer, byte[]> FILL =
      new Procedure<>(PROGRAM, 1, 1, "Bulk.FILL", XdrCodecs.UNSIGNED_INT, XdrCodecs.OPAQUE);
  /** ECHO(data): data. */
  static final Procedure<byte[], byte[]> ECHO =
      new Procedure<>(PROGRAM, 1, 2, "Bulk.ECHO", XdrCodecs.OPAQUE, XdrCodecs.OPAQUE);
  /** TEXT_LENGTH(text): its length in bytes; a bare {@code string}, xdr_wrapstring in C. */
  static final Procedure<String, Integer> TEXT_LENGTH = new Procedure<>(PROGRAM, 1, 3,
      "Bulk.TEXT_LENGTH", XdrCodecs.STRING, XdrCodecs.UNSIGNED_INT);
  /** LONG_LENGTH(text): its length in bytes; a {@code longtext}, string<> by typedef. */
  static final Procedure<String, Integer> LONG_LENGTH = new Procedure<>(PROGRAM, 1, 4,
      "Bulk.LONG_LENGTH", XdrCodecs.STRING, XdrCodecs.UNSIGNED_INT);
  /** TEXT_FILL(size): size bytes of 'x', a bare {@code string}. */
  static final Procedure<Integer, String> TEXT_FILL = new Procedure<>(PROGRAM, 1, 5,
      "Bulk.TEXT_FILL", XdrCodecs.UNSIGNED_INT, XdrCodecs.STRING);
  /** LONG_FILL(size): size bytes of 'x', a {@code longtext}. */
  static final Procedure<Integer, String> LONG_FILL = new Procedure<>(PROGRAM, 1, 6,
      "Bulk.LONG_FILL", XdrCodecs.UNSIGNED_INT, XdrCodecs.STRING);

  private BulkProgram() {}
}
