package org.onyxrpc.idl.link;

import java.util.Map;
import org.onyxrpc.idl.schema.Type;

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
      Map.entry("int8_t", Type.Builtin.INT),
      Map.entry("int16_t", Type.Builtin.INT),
      Map.entry("int32_t", Type.Builtin.INT),
      Map.entry("int64_t", Type.Builtin.HYPER),
      Map.entry("uint8_t", Type.Builtin.UNSIGNED_INT),
      Map.entry("uint16_t", Type.Builtin.UNSIGNED_INT),
      Map.entry("uint32_t", Type.Builtin.UNSIGNED_INT),
      Map.entry("uint64_t", Type.Builtin.UNSIGNED_HYPER),
      Map.entry("u_int8_t", Type.Builtin.UNSIGNED_INT),
      Map.entry("u_int16_t", Type.Builtin.UNSIGNED_INT),
      Map.entry("u_int32_t", Type.Builtin.UNSIGNED_INT),
      Map.entry("u_int64_t", Type.Builtin.UNSIGNED_HYPER),
      Map.entry("u_char", Type.Builtin.UNSIGNED_INT),
      Map.entry("u_short", Type.Builtin.UNSIGNED_INT),
      Map.entry("u_int", Type.Builtin.UNSIGNED_INT),
      Map.entry("u_long", Type.Builtin.UNSIGNED_INT),
      Map.entry("quad_t", Type.Builtin.HYPER),
      Map.entry("u_quad_t", Type.Builtin.UNSIGNED_HYPER),
      Map.entry("longlong_t", Type.Builtin.HYPER),
      Map.entry("u_longlong_t", Type.Builtin.UNSIGNED_HYPER),
      Map.entry("bool_t", Type.Builtin.BOOL),
      Map.entry("enum_t", Type.Builtin.INT),
      Map.entry("netobj", new Type.Opaque(MAX_NETOBJ_SZ, false)),
      // <rpc/types.h>: a DES key, two 32-bit words, xdr_des_block sends 8 opaque bytes.
      Map.entry("des_block", new Type.Opaque(8, true)));

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
      Map.entry("RPCSEC_GSS", 6L));

  /** The value C gives the constant {@code name}, or null. */
  static Long constant(String name) {
    return CONSTANTS.get(name);
  }

  /** The XDR type C gives {@code name}, or null when C gives it none. */
  static Type of(String name) {
    return TYPES.get(name);
  }
}
