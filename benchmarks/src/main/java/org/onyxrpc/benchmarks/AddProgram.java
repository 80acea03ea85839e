package org.onyxrpc.benchmarks;

import io.netty.buffer.ByteBuf;
import org.onyxrpc.client.RpcClient;
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
    /** Straight-line XDR: two 4-byte ints; the decoder charges the record it builds. */
    public static final XdrCodec<Pair> CODEC = XdrCodecs.of(
        (out, p) -> {
          out.writeInt(p.a());
          out.writeInt(p.b());
        },
        in -> {
          in.countObject(2);
          return new Pair(in.readInt(), in.readInt());
        });
  }

  /**
   * {@code int add(int a, int b) = 1}, called with {@link CallSemantics#MAYBE}: a plain RFC 5531
   * call as a C client sends it, with an empty AUTH_NONE verifier. (The runtime's default,
   * at-most-once, adds a 36-byte call tag to the verifier and a duplicate request cache on the
   * server: another measurement, with other bytes.)
   */
  public static final Procedure<Pair, Integer> ADD = new Procedure<>(
      PROGRAM, VERSION, 1, "Bench.add", Pair.CODEC, XdrCodecs.INT, CallSemantics.MAYBE);

  /** The largest {@link #ECHO} payload: 1 MiB. */
  public static final int MAX_ECHO = 1 << 20;

  /**
   * {@code opaque echo(opaque data<MAX_ECHO>) = 2}, the bulk workload, as the client sees it:
   * byte[] in, byte[] out. Same semantics as {@link #ADD}.
   */
  public static final Procedure<byte[], byte[]> ECHO = new Procedure<>(
      PROGRAM, VERSION, 2, "Bench.echo", XdrCodecs.opaque(MAX_ECHO), XdrCodecs.opaque(MAX_ECHO),
      CallSemantics.MAYBE);

  /**
   * {@link #ECHO} as the server sees it: the argument is a retained slice of the received record
   * ({@code XdrReader.readOpaqueSlice}: no copy out of the network buffer), handed back as the
   * result, copied once into the reply and released by the result codec.
   */
  static final Procedure<ByteBuf, ByteBuf> ECHO_ZERO_COPY = new Procedure<>(
      PROGRAM, VERSION, 2, "Bench.echo",
      XdrCodecs.of((out, data) -> out.writeOpaque(data, MAX_ECHO), in -> in.readOpaqueSlice(MAX_ECHO)),
      XdrCodecs.of(
          (out, data) -> {
            try {
              out.writeOpaque(data, MAX_ECHO);
            } finally {
              data.release();
            }
          },
          in -> in.readOpaqueSlice(MAX_ECHO)),
      CallSemantics.MAYBE);

  /**
   * Echoes {@code data} through {@link #ECHO_ZERO_COPY} (left as it was) and returns the length
   * that came back, the result slice released at once, as an application done with it would.
   */
  static int echoBuffers(RpcClient client, ByteBuf data) {
    ByteBuf result = client.call(ECHO_ZERO_COPY, data);
    try {
      return result.readableBytes();
    } finally {
      result.release();
    }
  }

  /** The arguments every benchmark sends; the reply carries 5. */
  public static final Pair ARGS = new Pair(2, 3);

  private AddProgram() {}

  /** The server side: the handlers add and echo, inline on whatever thread runs them. */
  public static ServiceDefinition service() {
    return ServiceDefinition.builder(PROGRAM, VERSION)
        .procedure(ADD, (p, ctx) -> p.a() + p.b())
        .procedure(ECHO_ZERO_COPY, (data, ctx) -> data)
        .build();
  }
}
