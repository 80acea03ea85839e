package org.onyxrpc.internal.rpcbind;

import java.util.List;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * The portmapper protocol, version 2 (RFC 1833 §3): program 100000 mapping program, version and
 * IP protocol to a port. What {@code rpcinfo -p} and older C clients speak.
 */
public final class Portmap {
  /** RFC 1833 §3: PMAP_PORT, the well-known port of the portmapper and rpcbind. */
  public static final int PORT = 111;
  /** RFC 1833 §3: PMAP_PROG, shared with rpcbind. */
  public static final int PROGRAM = 100000;
  /** RFC 1833 §3: PMAP_VERS. */
  public static final int VERSION = 2;
  /** RFC 1833 §3: IPPROTO_TCP. */
  public static final int IPPROTO_TCP = 6;
  /** RFC 1833 §3: IPPROTO_UDP. */
  public static final int IPPROTO_UDP = 17;
  /** Most entries a DUMP reply carries. */
  public static final int MAX_DUMP = 4096;
  /**
   * The longest reply a directory's client takes. The longest a directory can sensibly send is a
   * DUMP of the most entries it lists ({@link #MAX_DUMP} mappings, every string at its longest:
   * 1.47 MiB); a LOOKUP's, a LIST's and a GETADDRLIST's lists are shorter. 2 MiB leaves room for
   * the reply's header and the marks of many fragments; past it, the call fails rather than
   * buffer more.
   */
  public static final int MAX_REPLY_BYTES = 2 << 20;

  private Portmap() {}

  /**
   * RFC 1833 §3 {@code struct mapping}.
   *
   * @param program the program number
   * @param version the version
   * @param protocol {@link #IPPROTO_TCP} or {@link #IPPROTO_UDP}
   * @param port the port, 0 when unknown
   */
  public record Mapping(int program, int version, int protocol, int port) {
    /** Its XDR codec. */
    public static final XdrCodec<Mapping> CODEC = XdrCodecs.of(
        (out, m) -> {
          out.writeUnsignedInt(m.program());
          out.writeUnsignedInt(m.version());
          out.writeUnsignedInt(m.protocol());
          out.writeUnsignedInt(m.port());
        },
        in -> {
          in.countObject(4);
          return new Mapping(in.readUnsignedInt(), in.readUnsignedInt(), in.readUnsignedInt(),
              in.readUnsignedInt());
        });
  }

  /**
   * RFC 1833 §3 {@code struct call_result}.
   *
   * @param port the port of the program called
   * @param results the XDR of its results, as they came
   */
  public record CallResult(int port, byte[] results) {
    /** Its XDR codec. */
    public static final XdrCodec<CallResult> CODEC = XdrCodecs.of(
        (out, r) -> {
          out.writeUnsignedInt(r.port());
          out.writeOpaque(r.results(), Rpcb.MAX_CALL_BYTES);
        },
        in -> {
          in.countObject(2);
          return new CallResult(in.readUnsignedInt(), in.readOpaque(Rpcb.MAX_CALL_BYTES));
        });
  }

  /** {@code pmaplist}: the DUMP result. */
  public static final XdrCodec<List<Mapping>> MAPPING_LIST = XdrLists.linked(Mapping.CODEC, MAX_DUMP);

  /** PMAPPROC_NULL: the ping, served by the directory itself so that GETSTAT counts it. */
  public static final Procedure<Void, Void> NULL =
      new Procedure<>(PROGRAM, VERSION, 0, "PMAPPROC_NULL", Rpcb.IGNORED, XdrCodecs.VOID)
          .withSemantics(CallSemantics.AT_LEAST_ONCE);
  /** PMAPPROC_SET: registers a mapping; false if the program version is mapped at another port. */
  public static final Procedure<Mapping, Boolean> SET =
      new Procedure<>(PROGRAM, VERSION, 1, "PMAPPROC_SET", Mapping.CODEC, XdrCodecs.BOOL);
  /** PMAPPROC_UNSET: removes the mappings of a program version (protocol and port ignored). */
  public static final Procedure<Mapping, Boolean> UNSET =
      new Procedure<>(PROGRAM, VERSION, 2, "PMAPPROC_UNSET", Mapping.CODEC, XdrCodecs.BOOL);
  /** PMAPPROC_GETPORT: the port of a program version and protocol, 0 if none. */
  public static final Procedure<Mapping, Integer> GETPORT =
      new Procedure<>(PROGRAM, VERSION, 3, "PMAPPROC_GETPORT", Mapping.CODEC, XdrCodecs.UNSIGNED_INT)
          .withSemantics(CallSemantics.AT_LEAST_ONCE);
  /** PMAPPROC_DUMP: every mapping. */
  public static final Procedure<Void, List<Mapping>> DUMP =
      new Procedure<>(PROGRAM, VERSION, 4, "PMAPPROC_DUMP", XdrCodecs.VOID, MAPPING_LIST)
          .withSemantics(CallSemantics.AT_LEAST_ONCE);
  /**
   * PMAPPROC_CALLIT: calls a procedure of a local program on the caller's behalf; silent on
   * failure, its arguments null if they do not decode ({@link Rpcb.CallArgs#CODEC_OR_NULL}).
   */
  public static final Procedure<Rpcb.CallArgs, CallResult> CALLIT =
      new Procedure<>(PROGRAM, VERSION, 5, "PMAPPROC_CALLIT", Rpcb.CallArgs.CODEC_OR_NULL, CallResult.CODEC);
}
