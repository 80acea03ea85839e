package org.onyxrpc.examples.quickstart;

import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * The calculator's wire contract, written by hand on the runtime API: program 0x20000101
 * version 1, the same numbers an {@code rpcgen} C client would use. This is what the IDL
 * compiler generates from a {@code .idl} file.
 */
public final class Calculator {
  /** The program number. */
  public static final int PROGRAM = 0x20000101;
  /** The version. */
  public static final int VERSION = 1;

  /** The two operands of a binary operation, XDR-encoded as two hypers in order. */
  public record Operands(long a, long b) {
    /** The XDR codec. */
    public static final XdrCodec<Operands> CODEC = XdrCodecs.of(
        (out, o) -> {
          out.writeHyper(o.a());
          out.writeHyper(o.b());
        },
        in -> {
          in.countObject(2); // the record, charged against the server's decoded-size limits
          return new Operands(in.readHyper(), in.readHyper());
        });
  }

  /** {@code hyper add(hyper a, hyper b) = 1;} */
  public static final Procedure<Operands, Long> ADD =
      new Procedure<>(PROGRAM, VERSION, 1, "Calculator.add", Operands.CODEC, XdrCodecs.HYPER);

  /** {@code hyper divide(hyper a, hyper b) = 2;} fails with SYSTEM_ERR on division by zero. */
  public static final Procedure<Operands, Long> DIVIDE =
      new Procedure<>(PROGRAM, VERSION, 2, "Calculator.divide", Operands.CODEC, XdrCodecs.HYPER);

  /** {@code string describe(hyper value) = 3;} */
  public static final Procedure<Long, String> DESCRIBE =
      new Procedure<>(PROGRAM, VERSION, 3, "Calculator.describe", XdrCodecs.HYPER, XdrCodecs.string(64));

  private Calculator() {}
}
