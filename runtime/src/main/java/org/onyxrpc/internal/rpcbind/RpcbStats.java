package org.onyxrpc.internal.rpcbind;

import java.util.List;
import org.onyxrpc.xdr.XdrCodec;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * What GETSTAT reports (RFC 1833 {@code rpcb_stat_byvers}): calls per procedure, SETs and
 * UNSETs that succeeded, and address look-ups and indirect calls per program, per protocol
 * version (2, 3, 4). The wire types; the directory server keeps the counters.
 */
public final class RpcbStats {
  /** RFC 1833: RPCBSTAT_HIGHPROC, the size of the per-procedure table. */
  public static final int HIGHPROC = 13;
  /** RFC 1833: RPCBVERS_STAT, versions reported (2, 3 and 4). */
  public static final int VERSIONS = 3;
  /**
   * Most rows of the address and indirect-call tables, per version: a directory's tables stop
   * growing there, so a caller asking about ever new programs cannot grow them without bound.
   */
  public static final int MAX_PROGRAMS = 256;

  /** One row of rpcbs_addrlist. */
  public record AddrStat(int program, int version, int success, int failure, String netid) {
    public static final XdrCodec<AddrStat> CODEC = XdrCodecs.of(
        (out, a) -> {
          out.writeUnsignedInt(a.program());
          out.writeUnsignedInt(a.version());
          out.writeInt(a.success());
          out.writeInt(a.failure());
          out.writeString(a.netid(), Rpcb.MAX_NETID);
        },
        in -> {
          in.countObject(5);
          return new AddrStat(in.readUnsignedInt(), in.readUnsignedInt(), in.readInt(), in.readInt(),
              in.readString(Rpcb.MAX_NETID));
        });
  }

  /** One row of rpcbs_rmtcalllist. */
  public record CallStat(int program, int version, int procedure, int success, int failure, int indirect,
      String netid) {
    public static final XdrCodec<CallStat> CODEC = XdrCodecs.of(
        (out, c) -> {
          out.writeUnsignedInt(c.program());
          out.writeUnsignedInt(c.version());
          out.writeUnsignedInt(c.procedure());
          out.writeInt(c.success());
          out.writeInt(c.failure());
          out.writeInt(c.indirect());
          out.writeString(c.netid(), Rpcb.MAX_NETID);
        },
        in -> {
          in.countObject(7);
          return new CallStat(in.readUnsignedInt(), in.readUnsignedInt(), in.readUnsignedInt(),
              in.readInt(), in.readInt(), in.readInt(), in.readString(Rpcb.MAX_NETID));
        });
  }

  /**
   * One version's {@code rpcb_stat}.
   *
   * @param calls calls per procedure number (13 entries)
   * @param sets successful SETs
   * @param unsets successful UNSETs
   * @param lookups address look-ups per program
   * @param indirectCalls indirect calls per program
   */
  public record Snapshot(int[] calls, int sets, int unsets, List<AddrStat> lookups, List<CallStat> indirectCalls) {
    public static final XdrCodec<Snapshot> CODEC = XdrCodecs.of(
        (out, s) -> {
          for (int c : s.calls()) {
            out.writeInt(c);
          }
          out.writeInt(s.sets());
          out.writeInt(s.unsets());
          ADDR_LIST.encode(out, s.lookups());
          CALL_LIST.encode(out, s.indirectCalls());
        },
        in -> {
          in.checkFixedArray(HIGHPROC, Integer.BYTES);
          int[] calls = new int[HIGHPROC];
          for (int i = 0; i < HIGHPROC; i++) {
            calls[i] = in.readInt();
          }
          in.countObject(5);
          return new Snapshot(calls, in.readInt(), in.readInt(), ADDR_LIST.decode(in), CALL_LIST.decode(in));
        });
  }

  /** The fewest bytes a snapshot takes on the wire: its counts and two empty lists' end flags. */
  private static final int SNAPSHOT_MIN_BYTES = (HIGHPROC + 2 + 2) * Integer.BYTES;
  private static final XdrCodec<List<AddrStat>> ADDR_LIST = XdrLists.linked(AddrStat.CODEC, MAX_PROGRAMS);
  private static final XdrCodec<List<CallStat>> CALL_LIST = XdrLists.linked(CallStat.CODEC, MAX_PROGRAMS);

  /** {@code rpcb_stat_byvers}: a fixed array of three, for versions 2, 3 and 4. */
  static final XdrCodec<List<Snapshot>> BY_VERSION = XdrCodecs.of(
      (out, list) -> {
        out.checkFixedArray(list.size(), VERSIONS);
        list.forEach(s -> Snapshot.CODEC.encode(out, s));
      },
      in -> {
        in.checkFixedArray(VERSIONS, SNAPSHOT_MIN_BYTES);
        return List.of(Snapshot.CODEC.decode(in), Snapshot.CODEC.decode(in), Snapshot.CODEC.decode(in));
      });

  private RpcbStats() {}
}
