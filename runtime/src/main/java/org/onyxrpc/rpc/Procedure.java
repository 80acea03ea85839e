package org.onyxrpc.rpc;

import org.onyxrpc.xdr.XdrCodec;

/**
 * One remote procedure: its wire numbers and how its arguments and result travel. Generated code
 * declares one constant per procedure; clients call it and servers bind handlers to it.
 *
 * @param program the program number
 * @param version the program version
 * @param number the procedure number within the version (0 is the NULL ping)
 * @param name a readable name for messages and logs, e.g. {@code "Calculator.add"}
 * @param arguments codec of the argument (a record of all parameters when there are several)
 * @param result codec of the result
 * @param <A> the argument type
 * @param <R> the result type
 */
public record Procedure<A, R>(
    int program, int version, int number, String name, XdrCodec<A> arguments, XdrCodec<R> result) {

  /** "name (program 0x20000101 version 1 procedure 2)": used in every message about a call. */
  public String describe() {
    return name + " (" + ProgramVersion.describe(program, version) + " procedure " + number + ")";
  }
}
