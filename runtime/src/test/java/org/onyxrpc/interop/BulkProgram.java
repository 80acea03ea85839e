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

  private BulkProgram() {}
}
