package org.onyxrpc.rpc;

import java.util.Objects;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrCodecs;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;

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
 * @param semantics what callers are promised by default: {@link CallSemantics#AT_LEAST_ONCE} for
 *     idempotent procedures, {@link CallSemantics#MAYBE} for one-way ones, {@link
 *     CallSemantics#AT_MOST_ONCE} otherwise; a call may choose another
 * @param service the fully qualified name of the service the procedure belongs to, such as
 *     {@code "com.example.calc.Calculator"} (the IDL package and service, as generated code's
 *     {@code SERVICE_NAME}), or null where it is not known; tracing reports it as {@code
 *     rpc.service}
 * @param <A> the argument type
 * @param <R> the result type
 */
public record Procedure<A, R>(
    int program,
    int version,
    int number,
    String name,
    XdrCodec<A> arguments,
    XdrCodec<R> result,
    CallSemantics semantics,
    String service) {

  /**
   * The NULL procedure (0) of a program version, as a ping calls it (RFC 5531 §12): it sends
   * nothing, and reads nothing of the reply's body, which a server whose program declares
   * procedure 0 with a result (rpcgen allows it) fills. Its promise is {@link CallSemantics#MAYBE}.
   *
   * @param program the program number
   * @param version the program version
   * @return procedure 0 of that version, named {@code "NULL"}
   */
  public static Procedure<Void, Void> nullPing(int program, int version) {
    return new Procedure<>(program, version, 0, "NULL", XdrCodecs.VOID, ANY_RESULT,
        CallSemantics.MAYBE);
  }

  /** Whatever a reply to a ping carries, skipped. */
  private static final XdrCodec<Void> ANY_RESULT = new XdrCodec<>() {
    @Override
    public void encode(XdrWriter out, Void value) {}

    @Override
    public Void decode(XdrReader in) {
      in.buffer().skipBytes(in.buffer().readableBytes());
      return null;
    }
  };

  /**
   * A procedure with the default promise, {@link CallSemantics#AT_MOST_ONCE}.
   *
   * @param program the program number
   * @param version the program version
   * @param number the procedure number within the version
   * @param name a readable name for messages and logs; not null
   * @param arguments codec of the argument; not null
   * @param result codec of the result; not null
   */
  public Procedure(
      int program, int version, int number, String name, XdrCodec<A> arguments, XdrCodec<R> result) {
    this(program, version, number, name, arguments, result, CallSemantics.AT_MOST_ONCE, null);
  }

  /**
   * A procedure of no known service name.
   *
   * @param program the program number
   * @param version the program version
   * @param number the procedure number within the version
   * @param name a readable name for messages and logs; not null
   * @param arguments codec of the argument; not null
   * @param result codec of the result; not null
   * @param semantics the default promise; not null
   */
  public Procedure(int program, int version, int number, String name, XdrCodec<A> arguments,
      XdrCodec<R> result, CallSemantics semantics) {
    this(program, version, number, name, arguments, result, semantics, null);
  }

  /**
   * Checks that every part is present.
   *
   * @param program the program number
   * @param version the program version
   * @param number the procedure number within the version
   * @param name a readable name for messages and logs; not null
   * @param arguments codec of the argument; not null
   * @param result codec of the result; not null
   * @param semantics the default promise; not null
   * @param service the service's fully qualified name, or null; not empty
   * @throws NullPointerException if a part but the service is null
   * @throws IllegalArgumentException if {@code service} is empty
   */
  public Procedure {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(arguments, "arguments");
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(semantics, "semantics");
    if (service != null && service.isEmpty()) {
      throw new IllegalArgumentException("a service name cannot be empty");
    }
  }

  /**
   * This procedure with another default promise.
   *
   * @param semantics the promise calls get unless their {@code CallOptions} choose one
   * @return a new procedure, equal to this one but for its semantics
   */
  public Procedure<A, R> withSemantics(CallSemantics semantics) {
    return new Procedure<>(program, version, number, name, arguments, result, semantics, service);
  }

  /**
   * This procedure as one of the service {@code service}: generated code names each procedure's
   * service so, with its {@code SERVICE_NAME}.
   *
   * @param service the service's fully qualified name, such as {@code
   *     "com.example.calc.Calculator"}; not empty
   * @return a new procedure, equal to this one but for its service
   * @throws NullPointerException if {@code service} is null
   * @throws IllegalArgumentException if {@code service} is empty
   */
  public Procedure<A, R> inService(String service) {
    Objects.requireNonNull(service, "service");
    return new Procedure<>(program, version, number, name, arguments, result, semantics, service);
  }

  /**
   * "name (program 0x20000101 version 1 procedure 2)": used in every message about a call.
   *
   * @return the name and the wire numbers, for messages
   */
  public String describe() {
    return name + " (" + ProgramVersion.describe(program, version) + " procedure " + number + ")";
  }

  /**
   * For a log line: {@code Procedure[Calc.add (program 0x20000101 version 1 procedure 1),
   * AT_MOST_ONCE]}, the numbers as {@link #describe()} gives them; the codecs, which print as
   * their classes, are left out.
   *
   * @return the description, one line
   */
  @Override
  public String toString() {
    return "Procedure[" + describe() + ", " + semantics + "]";
  }
}
