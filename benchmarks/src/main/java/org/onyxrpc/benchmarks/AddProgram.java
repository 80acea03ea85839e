package org.onyxrpc.benchmarks;

import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrCodecs;

/** The measured call: two ints in, one int out, as hand-written code (no generated stub). */
public final class AddProgram {
  /** A program number from the transient range 0x20000000–0x3fffffff (RFC 5531 §7.3). */
  public static final int PROGRAM = 0x2000_0B01;
  /** The program version. */
  public static final int VERSION = 1;

  /** The arguments of {@link #ADD}. */
  public record Pair(int a, int b) {
    /** Straight-line XDR: two 4-byte ints. */
    public static final XdrCodec<Pair> CODEC = XdrCodecs.of(
        (out, p) -> {
          out.writeInt(p.a());
          out.writeInt(p.b());
        },
        in -> new Pair(in.readInt(), in.readInt()));
  }

  /**
   * {@code int add(int a, int b) = 1}, called with {@link CallSemantics#MAYBE}: a plain RFC 5531
   * call as a C client sends it, with an empty AUTH_NONE verifier. (The runtime's default,
   * at-most-once, adds a 36-byte call tag to the verifier and a duplicate request cache on the
   * server: another measurement, with other bytes.)
   */
  public static final Procedure<Pair, Integer> ADD = new Procedure<>(
      PROGRAM, VERSION, 1, "Bench.add", Pair.CODEC, XdrCodecs.INT, CallSemantics.MAYBE);

  /** The arguments every benchmark sends; the reply carries 5. */
  public static final Pair ARGS = new Pair(2, 3);

  private AddProgram() {}

  /** The server side: the handler adds, inline on whatever thread runs it. */
  public static ServiceDefinition service() {
    return ServiceDefinition.builder(PROGRAM, VERSION)
        .procedure(ADD, (p, ctx) -> p.a() + p.b())
        .build();
  }
}
