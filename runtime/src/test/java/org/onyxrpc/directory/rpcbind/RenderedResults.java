package org.onyxrpc.directory.rpcbind;

import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.stream.Collectors;
import org.onyxrpc.directory.rpcbind.RawRpcbind.In;
import org.onyxrpc.internal.directory.Names;
import org.onyxrpc.internal.rpcbind.Portmap;

/**
 * The results of rpcbind's procedures rendered as text for {@link RpcbindDifferentialTest}, the
 * same for both directories, with what must differ between them normalised away.
 */
final class RenderedResults {
  private RenderedResults() {}


  static String entries(In in) {
    return in.list(e -> e.string() + " " + e.string() + " " + e.u32() + " " + e.string() + " " + e.string())
        .stream().sorted().toList().toString(); // in registration order in rpcbind, sorted in Onyx
  }

  /** DUMP of versions 3 and 4, the directories' own entries normalised (see the class comment). */
  static String dump(In in) {
    return in.list(m -> {
      long program = m.u32();
      long version = m.u32();
      String netid = m.string();
      String address = m.string();
      String owner = m.string();
      if (program == Names.PROGRAM || program == Portmap.PROGRAM && !netid.equals("tcp") && !netid.equals("udp")) {
        return null;
      }
      return program + " " + version + " " + netid + " " + address + " " + owner;
    }).stream().filter(Objects::nonNull).sorted().collect(Collectors.joining(", ", "[", "]"));
  }

  static String dump2(In in) {
    return in.list(m -> {
      long program = m.u32();
      String rest = m.u32() + " " + m.u32() + " " + m.u32();
      return program == Names.PROGRAM ? null : program + " " + rest;
    }).stream().filter(Objects::nonNull).sorted().collect(Collectors.joining(", ", "[", "]"));
  }

  static String time(In in) {
    long seconds = in.u32();
    return Math.abs(seconds - Instant.now().getEpochSecond()) < 300 ? "now" : seconds + " (not now)";
  }

  static String netbuf(In in) {
    return "maxlen " + in.u32() + " " + HexFormat.of().formatHex(in.opaque());
  }

  static String callResult2(In in) {
    return "port " + in.u32() + " results " + HexFormat.of().formatHex(in.opaque());
  }

  static String callResult(In in) {
    return in.string() + " results " + HexFormat.of().formatHex(in.opaque());
  }

  /**
   * GETSTAT, but for two counts that differ on purpose: NULL calls (the pings that waited for
   * rpcbind to start, and the NULL calls the Onyx directory forwards to itself over TCP) and the
   * indirect calls per program (rpcbind counts a call it forwarded as a success whatever the
   * program answers, and forwards none over TCP).
   */
  static String stats(In in) {
    StringBuilder s = new StringBuilder();
    for (int v = 2; v <= 4; v++) {
      s.append("\n        v").append(v).append(" calls");
      for (int i = 0; i < 13; i++) {
        long n = in.u32();
        s.append(' ').append(i == 0 ? "-" : Long.toString(n));
      }
      s.append(" sets ").append(in.u32()).append(" unsets ").append(in.u32());
      s.append(" lookups ").append(in.list(a -> a.u32() + "/" + a.u32() + " ok " + a.u32() + " failed " + a.u32()
          + " " + a.string()).stream().sorted().toList());
      in.list(c -> c.u32() + "/" + c.u32() + "/" + c.u32() + " " + c.u32() + c.u32() + c.u32() + c.string());
    }
    return s.toString();
  }
}
