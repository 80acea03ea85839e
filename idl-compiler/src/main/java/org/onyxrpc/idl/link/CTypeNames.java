package org.onyxrpc.idl.link;

import java.util.List;
import java.util.Map;
import org.onyxrpc.idl.parser.DeclElement;
import org.onyxrpc.idl.parser.Elements;
import org.onyxrpc.idl.parser.ExprElement;
import org.onyxrpc.idl.parser.TypeElement;
import org.onyxrpc.idl.schema.Type;
import org.onyxrpc.idl.source.Location;

/**
 * The type and constant names C headers give every {@code .x} file ({@code <rpc/types.h>},
 * {@code <stdint.h>}, {@code <sys/types.h>}), known when a file uses one without declaring it:
 * RFC 5662 and RFC 7863 leave {@code uint32_t} and the like out of their XDR on purpose. A file
 * that declares one of these names itself gets its own declaration.
 */
final class CTypeNames {
  private CTypeNames() {}

  /** {@code MAX_NETOBJ_SZ} of {@code <rpc/xdr.h>}: xdr_netobj's bound. */
  static final int MAX_NETOBJ_SZ = 1024;

  private static final Map<String, Type> TYPES = Map.ofEntries(
      Map.entry("int8_t", Type.Builtin.INT8),
      Map.entry("int16_t", Type.Builtin.SHORT),
      Map.entry("int32_t", Type.Builtin.INT),
      Map.entry("int64_t", Type.Builtin.HYPER),
      Map.entry("uint8_t", Type.Builtin.UNSIGNED_CHAR),
      Map.entry("uint16_t", Type.Builtin.UNSIGNED_SHORT),
      Map.entry("uint32_t", Type.Builtin.UNSIGNED_INT),
      Map.entry("uint64_t", Type.Builtin.UNSIGNED_HYPER),
      Map.entry("u_int8_t", Type.Builtin.UNSIGNED_CHAR),
      Map.entry("u_int16_t", Type.Builtin.UNSIGNED_SHORT),
      Map.entry("u_int32_t", Type.Builtin.UNSIGNED_INT),
      Map.entry("u_int64_t", Type.Builtin.UNSIGNED_HYPER),
      Map.entry("u_char", Type.Builtin.UNSIGNED_CHAR),
      Map.entry("u_short", Type.Builtin.UNSIGNED_SHORT),
      Map.entry("u_int", Type.Builtin.UNSIGNED_INT),
      Map.entry("u_long", Type.Builtin.UNSIGNED_INT),
      Map.entry("quad_t", Type.Builtin.HYPER),
      Map.entry("u_quad_t", Type.Builtin.UNSIGNED_HYPER),
      Map.entry("longlong_t", Type.Builtin.HYPER),
      Map.entry("u_longlong_t", Type.Builtin.UNSIGNED_HYPER),
      // TI-RPC's <rpc/types.h> (libtirpc, ntirpc, Solaris): rpcb_prot.x and pmap_prot.x use them.
      Map.entry("rpcprog_t", Type.Builtin.UNSIGNED_INT),
      Map.entry("rpcvers_t", Type.Builtin.UNSIGNED_INT),
      Map.entry("rpcproc_t", Type.Builtin.UNSIGNED_INT),
      Map.entry("rpcprot_t", Type.Builtin.UNSIGNED_INT),
      Map.entry("rpcport_t", Type.Builtin.UNSIGNED_INT),
      Map.entry("rpc_inline_t", Type.Builtin.INT),
      // Solaris and illumos <sys/types.h>; their nis_object.x uses it (xdr_uint_t is xdr_u_int).
      Map.entry("uint_t", Type.Builtin.UNSIGNED_INT),
      Map.entry("bool_t", Type.Builtin.BOOL),
      Map.entry("enum_t", Type.Builtin.INT),
      Map.entry("netobj", new Type.Opaque(MAX_NETOBJ_SZ, false)),
      // <rpc/xdr.h>'s xdr_wrapstring, an unbounded string: FreeBSD's rwall.x takes it as a type.
      Map.entry("wrapstring", new Type.StringType(Type.UNBOUNDED)),
      // <rpc/types.h>: a DES key, two 32-bit words, xdr_des_block sends 8 opaque bytes.
      Map.entry("des_block", new Type.Opaque(8, true)));

  /**
   * C types of {@code <sys/types.h>} and {@code <time.h>} whose size each system chooses, so that
   * no XDR routine comes with them: a project that sends one writes its own ({@code xdr_time_t}
   * in CDE's calendar, as {@code xdr_long}). An unknown one says so.
   */
  private static final java.util.Set<String> WITHOUT_XDR = java.util.Set.of("time_t", "dev_t",
      "uid_t", "gid_t", "pid_t", "off_t", "mode_t", "size_t", "ssize_t", "ino_t", "nlink_t",
      "caddr_t", "daddr_t", "clock_t", "key_t", "major_t", "minor_t");

  /** Why {@code name} is unknown when it is one of C's types without XDR; else null. */
  static String withoutXdr(String name) {
    return WITHOUT_XDR.contains(name) ? "a C type with no XDR routine of its own; declare the"
        + " encoding its C gives it (xdr_" + name + ") in a prelude, such as 'typedef int " + name
        + ";'" : null;
  }

  /** Constants of the same headers that {@code .x} files use as bounds. */
  private static final Map<String, Long> CONSTANTS = Map.ofEntries(
      Map.entry("MAX_NETOBJ_SZ", (long) MAX_NETOBJ_SZ),
      Map.entry("MAXNETNAMELEN", 255L),       // <rpc/auth_des.h>
      Map.entry("MAX_AUTH_BYTES", 400L),      // <rpc/auth.h>
      Map.entry("MAXHOSTNAMELEN", 64L),       // <sys/param.h> on Linux
      // Authentication flavors, <rpc/auth.h> (RFC 5531 §8.2, RFC 2203 for RPCSEC_GSS)
      Map.entry("AUTH_NONE", 0L),
      Map.entry("AUTH_NULL", 0L),
      Map.entry("AUTH_SYS", 1L),
      Map.entry("AUTH_UNIX", 1L),
      Map.entry("AUTH_SHORT", 2L),
      Map.entry("AUTH_DH", 3L),
      Map.entry("AUTH_DES", 3L),
      Map.entry("RPCSEC_GSS", 6L),
      // C99's <stdbool.h>, C23 and C++: OKWS's web_prot.x switches on a bool with "case true:"
      Map.entry("true", 1L),
      Map.entry("false", 0L));

  /**
   * {@code struct netbuf} of TI-RPC's {@code <rpc/types.h>}, which {@code rpcb_prot.x} uses but
   * leaves out of its XDR on purpose (its C member names would clash with {@code <tiuser.h>}):
   * {@code xdr_netbuf} sends it as RFC 1833 declares it, and so does this declaration.
   */
  static final String NETBUF = "netbuf";

  /** {@link #NETBUF}'s declaration, positioned where a file first uses it. */
  static DeclElement.StructDecl netbuf(Location at) {
    return new DeclElement.StructDecl(at, NETBUF,
        "A transport address as TI-RPC's {@code struct netbuf} (RFC 1833).", List.of(), List.of(
            new Elements.Field(at, "maxlen", null, List.of(),
                new TypeElement.Builtin(at, TypeElement.BuiltinKind.UNSIGNED_INT)),
            new Elements.Field(at, "buf", null, List.of(), new TypeElement.Opaque(at, null, false))),
        false);
  }

  /**
   * {@code struct authsys_parms} of {@code <rpc/auth_sys.h>} (RFC 5531 §14), which the XDR of
   * NFSv4.1 and NFSv4.2 (RFC 5662, RFC 7863: {@code %#include <rpc/auth_sys.h>}) uses without
   * declaring it: {@code xdr_authsys_parms} sends it as RFC 5531 declares it, and so does this.
   */
  static final String AUTHSYS_PARMS = "authsys_parms";

  /** {@link #AUTHSYS_PARMS}'s declaration, positioned where a file first uses it. */
  static DeclElement.StructDecl authsysParms(Location at) {
    TypeElement unsigned = new TypeElement.Builtin(at, TypeElement.BuiltinKind.UNSIGNED_INT);
    return new DeclElement.StructDecl(at, AUTHSYS_PARMS,
        "AUTH_SYS credentials as {@code <rpc/auth_sys.h>} declares them (RFC 5531 §14).", List.of(),
        List.of(
            new Elements.Field(at, "stamp", null, List.of(), unsigned),
            new Elements.Field(at, "machinename", null, List.of(),
                new TypeElement.StringType(at, new ExprElement.NumberLiteral(at, "255"))),
            new Elements.Field(at, "uid", null, List.of(), unsigned),
            new Elements.Field(at, "gid", null, List.of(), unsigned),
            new Elements.Field(at, "gids", null, List.of(),
                new TypeElement.Array(at, unsigned, new ExprElement.NumberLiteral(at, "16"), false))),
        false);
  }

  /** The struct C declares under {@code name} for files that use it undeclared, or null. */
  static DeclElement.StructDecl struct(String name, Location at) {
    return name.equals(NETBUF) ? netbuf(at) : name.equals(AUTHSYS_PARMS) ? authsysParms(at) : null;
  }

  /** The value C gives the constant {@code name}, or null. */
  static Long constant(String name) {
    return CONSTANTS.get(name);
  }

  /** The XDR type C gives {@code name}, or null when C gives it none. */
  static Type of(String name) {
    return TYPES.get(name);
  }
}
