package org.onyxrpc.internal.rpcbind;

import java.util.List;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrCodecs;
import org.onyxrpc.xdr.XdrException;

/**
 * The rpcbind protocol, versions 3 and 4 (RFC 1833 §2): program 100000 mapping program,
 * version and netid to a universal address. Version 4 adds GETVERSADDR, INDIRECT, GETADDRLIST
 * and GETSTAT, and names procedure 5 BCAST instead of CALLIT. Procedures are built per version by
 * the static methods below; both versions share their numbers and types.
 */
public final class Rpcb {
  /** RFC 1833 §2.1: RPCBPROG. */
  public static final int PROGRAM = Portmap.PROGRAM;
  /** RFC 1833 §2.1: RPCBVERS. */
  public static final int VERSION_3 = 3;
  /** RFC 1833 §2.1: RPCBVERS4. */
  public static final int VERSION_4 = 4;
  /** Longest netid accepted; the longest standard one is "ticotsord". */
  public static final int MAX_NETID = 32;
  /**
   * Longest universal address accepted: a Unix socket's path, which is the address of netid
   * "local" (up to 107 bytes, as rpcbind takes them from C servers), and a full IPv6 text form
   * plus the port, with room.
   */
  public static final int MAX_ADDRESS = 128;
  /** Longest owner string accepted. */
  public static final int MAX_OWNER = 255;
  /** Largest arguments or results forwarded by CALLIT and INDIRECT: 8 KiB, rpcbind's UDP size. */
  public static final int MAX_CALL_BYTES = 8 * 1024;
  /** Largest transport address converted by TADDR2UADDR (a sockaddr_in6 is 28 bytes). */
  public static final int MAX_TADDR = 128;
  /** RFC 1833 §2.1 r_nc_semantics: NC_TPI_CLTS, connectionless (udp). */
  public static final int NC_TPI_CLTS = 1;
  /** RFC 1833 §2.1 r_nc_semantics: NC_TPI_COTS_ORD, connection with orderly release (tcp). */
  public static final int NC_TPI_COTS_ORD = 3;

  private Rpcb() {}

  /**
   * RFC 1833 §2.1 {@code struct rpcb}.
   *
   * @param program r_prog
   * @param version r_vers
   * @param netid r_netid, e.g. "tcp"; empty means any in UNSET
   * @param address r_addr, a universal address
   * @param owner r_owner; the directory decides the owner itself, from the call
   */
  public record Mapping(int program, int version, String netid, String address, String owner) {
    /** Its XDR codec. */
    public static final XdrCodec<Mapping> CODEC = XdrCodecs.of(
        (out, m) -> {
          out.writeUnsignedInt(m.program());
          out.writeUnsignedInt(m.version());
          out.writeString(m.netid(), MAX_NETID);
          out.writeString(m.address(), MAX_ADDRESS);
          out.writeString(m.owner(), MAX_OWNER);
        },
        in -> {
          in.countObject(5);
          return new Mapping(in.readUnsignedInt(), in.readUnsignedInt(), in.readString(MAX_NETID),
              in.readString(MAX_ADDRESS), in.readString(MAX_OWNER));
        });
  }

  /**
   * RFC 1833 {@code struct rpcb_rmtcallargs} (and portmap's {@code call_args}, the same bytes).
   *
   * @param program the program to call
   * @param version its version
   * @param procedure the procedure
   * @param arguments the XDR of its arguments
   */
  public record CallArgs(int program, int version, int procedure, byte[] arguments) {
    /** Its XDR codec. */
    public static final XdrCodec<CallArgs> CODEC = XdrCodecs.of(
        (out, a) -> {
          out.writeUnsignedInt(a.program());
          out.writeUnsignedInt(a.version());
          out.writeUnsignedInt(a.procedure());
          out.writeOpaque(a.arguments(), MAX_CALL_BYTES);
        },
        in -> {
          in.countObject(4);
          return new CallArgs(in.readUnsignedInt(), in.readUnsignedInt(), in.readUnsignedInt(),
              in.readOpaque(MAX_CALL_BYTES));
        });

    /**
     * CALLIT's and BCAST's arguments: as {@link #CODEC}, but arguments that do not decode are
     * read whole as null rather than failed, so that the directory can stay silent, as RFC 1833
     * wants a failed CALLIT and as rpcbind is (a broadcast is not answered with GARBAGE_ARGS by
     * every host).
     */
    public static final XdrCodec<CallArgs> CODEC_OR_NULL = XdrCodecs.of(CODEC::encode, in -> {
      try {
        CallArgs args = CODEC.decode(in);
        if (in.remaining() == 0) {
          return args;
        }
      } catch (XdrException e) {
        // undecodable: null, below
      }
      in.buffer().skipBytes(in.remaining());
      return null;
    });
  }

  /**
   * RFC 1833 {@code struct rpcb_rmtcallres}.
   *
   * @param address the universal address of the program called
   * @param results the XDR of its results
   */
  public record CallResult(String address, byte[] results) {
    /** Its XDR codec. */
    public static final XdrCodec<CallResult> CODEC = XdrCodecs.of(
        (out, r) -> {
          out.writeString(r.address(), MAX_ADDRESS);
          out.writeOpaque(r.results(), MAX_CALL_BYTES);
        },
        in -> {
          in.countObject(2);
          return new CallResult(in.readString(MAX_ADDRESS), in.readOpaque(MAX_CALL_BYTES));
        });
  }

  /**
   * RFC 1833 {@code struct rpcb_entry}: one address of GETADDRLIST.
   *
   * @param address r_maddr, a universal address
   * @param netid r_nc_netid
   * @param semantics r_nc_semantics ({@link #NC_TPI_CLTS}, {@link #NC_TPI_COTS_ORD})
   * @param protocolFamily r_nc_protofmly: "inet" or "inet6"
   * @param protocol r_nc_proto: "tcp" or "udp"
   */
  public record Entry(String address, String netid, int semantics, String protocolFamily, String protocol) {
    /** Its XDR codec. */
    public static final XdrCodec<Entry> CODEC = XdrCodecs.of(
        (out, e) -> {
          out.writeString(e.address(), MAX_ADDRESS);
          out.writeString(e.netid(), MAX_NETID);
          out.writeUnsignedInt(e.semantics());
          out.writeString(e.protocolFamily(), MAX_NETID);
          out.writeString(e.protocol(), MAX_NETID);
        },
        in -> {
          in.countObject(5);
          return new Entry(in.readString(MAX_ADDRESS), in.readString(MAX_NETID),
              in.readUnsignedInt(), in.readString(MAX_NETID), in.readString(MAX_NETID));
        });
  }

  /**
   * {@code struct netbuf}: a transport address in its binary (sockaddr) form.
   *
   * @param maxLength maxlen, the size of the buffer it came from
   * @param bytes buf, the sockaddr
   */
  public record NetBuf(int maxLength, byte[] bytes) {
    /** Its XDR codec. */
    public static final XdrCodec<NetBuf> CODEC = XdrCodecs.of(
        (out, n) -> {
          out.writeUnsignedInt(n.maxLength());
          out.writeOpaque(n.bytes(), MAX_TADDR);
        },
        in -> {
          in.countObject(2);
          return new NetBuf(in.readUnsignedInt(), in.readOpaque(MAX_TADDR));
        });
  }

  /** {@code rpcblist_ptr}: the DUMP result. */
  public static final XdrCodec<List<Mapping>> MAPPING_LIST = XdrLists.linked(Mapping.CODEC, Portmap.MAX_DUMP);
  /** {@code rpcb_entry_list_ptr}: the GETADDRLIST result. */
  public static final XdrCodec<List<Entry>> ENTRY_LIST = XdrLists.linked(Entry.CODEC, Portmap.MAX_DUMP);
  private static final XdrCodec<String> ADDRESS = XdrCodecs.string(MAX_ADDRESS);

  /**
   * What a NULL call carries, read and dropped: libtirpc's dispatchers decode its arguments with
   * {@code xdr_void}, which reads nothing, so a ping with bytes after its header is answered.
   */
  public static final XdrCodec<Void> IGNORED = XdrCodecs.of((out, nothing) -> { }, in -> {
    in.buffer().skipBytes(in.remaining());
    return null;
  });

  /** RPCBPROC_NULL = 0: the ping, served by the directory itself so that GETSTAT counts it. */
  public static Procedure<Void, Void> nullProcedure(int version) {
    return new Procedure<>(PROGRAM, version, 0, "RPCBPROC_NULL", IGNORED, XdrCodecs.VOID)
        .withSemantics(CallSemantics.AT_LEAST_ONCE);
  }

  /** RPCBPROC_SET = 1: registers a mapping; false if the program, version and netid are mapped elsewhere. */
  public static Procedure<Mapping, Boolean> set(int version) {
    return new Procedure<>(PROGRAM, version, 1, "RPCBPROC_SET", Mapping.CODEC, XdrCodecs.BOOL);
  }

  /** RPCBPROC_UNSET = 2: removes mappings of a program version (every netid if it is empty). */
  public static Procedure<Mapping, Boolean> unset(int version) {
    return new Procedure<>(PROGRAM, version, 2, "RPCBPROC_UNSET", Mapping.CODEC, XdrCodecs.BOOL);
  }

  /** RPCBPROC_GETADDR = 3: the address of a program (any version in v3), "" if none. */
  public static Procedure<Mapping, String> getAddr(int version) {
    return new Procedure<>(PROGRAM, version, 3, "RPCBPROC_GETADDR", Mapping.CODEC, ADDRESS).withSemantics(CallSemantics.AT_LEAST_ONCE);
  }

  /** RPCBPROC_DUMP = 4: every mapping. */
  public static Procedure<Void, List<Mapping>> dump(int version) {
    return new Procedure<>(PROGRAM, version, 4, "RPCBPROC_DUMP", XdrCodecs.VOID, MAPPING_LIST).withSemantics(CallSemantics.AT_LEAST_ONCE);
  }

  /**
   * RPCBPROC_CALLIT = 5 (BCAST in version 4): an indirect call, silent on failure; its arguments
   * null if they do not decode ({@link CallArgs#CODEC_OR_NULL}).
   */
  public static Procedure<CallArgs, CallResult> callit(int version) {
    return new Procedure<>(PROGRAM, version, 5, version == VERSION_4 ? "RPCBPROC_BCAST" : "RPCBPROC_CALLIT",
        CallArgs.CODEC_OR_NULL, CallResult.CODEC);
  }

  /** RPCBPROC_GETTIME = 6: the directory's time, in seconds since 1970. */
  public static Procedure<Void, Integer> getTime(int version) {
    return new Procedure<>(PROGRAM, version, 6, "RPCBPROC_GETTIME", XdrCodecs.VOID, XdrCodecs.UNSIGNED_INT)
        .withSemantics(CallSemantics.AT_LEAST_ONCE);
  }

  /** RPCBPROC_UADDR2TADDR = 7: a universal address as a sockaddr. */
  public static Procedure<String, NetBuf> uaddr2taddr(int version) {
    return new Procedure<>(PROGRAM, version, 7, "RPCBPROC_UADDR2TADDR", ADDRESS, NetBuf.CODEC).withSemantics(CallSemantics.AT_LEAST_ONCE);
  }

  /** RPCBPROC_TADDR2UADDR = 8: a sockaddr as a universal address. */
  public static Procedure<NetBuf, String> taddr2uaddr(int version) {
    return new Procedure<>(PROGRAM, version, 8, "RPCBPROC_TADDR2UADDR", NetBuf.CODEC, ADDRESS).withSemantics(CallSemantics.AT_LEAST_ONCE);
  }

  /** RPCBPROC_GETVERSADDR = 9 (v4): the address of exactly this version, "" if none. */
  public static final Procedure<Mapping, String> GETVERSADDR =
      new Procedure<>(PROGRAM, VERSION_4, 9, "RPCBPROC_GETVERSADDR", Mapping.CODEC, ADDRESS).withSemantics(CallSemantics.AT_LEAST_ONCE);
  /** RPCBPROC_INDIRECT = 10 (v4): an indirect call that answers errors too. */
  public static final Procedure<CallArgs, CallResult> INDIRECT =
      new Procedure<>(PROGRAM, VERSION_4, 10, "RPCBPROC_INDIRECT", CallArgs.CODEC, CallResult.CODEC);
  /** RPCBPROC_GETADDRLIST = 11 (v4): every address of a program version. */
  public static final Procedure<Mapping, List<Entry>> GETADDRLIST =
      new Procedure<>(PROGRAM, VERSION_4, 11, "RPCBPROC_GETADDRLIST", Mapping.CODEC, ENTRY_LIST).withSemantics(CallSemantics.AT_LEAST_ONCE);
  /** RPCBPROC_GETSTAT = 12 (v4): call statistics per version. */
  public static final Procedure<Void, List<RpcbStats.Snapshot>> GETSTAT =
      new Procedure<>(PROGRAM, VERSION_4, 12, "RPCBPROC_GETSTAT", XdrCodecs.VOID, RpcbStats.BY_VERSION).withSemantics(CallSemantics.AT_LEAST_ONCE);
}
