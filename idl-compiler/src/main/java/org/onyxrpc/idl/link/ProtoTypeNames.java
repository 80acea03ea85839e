package org.onyxrpc.idl.link;

import java.util.Map;

/**
 * Protocol Buffers' scalar type names that a gRPC user writes in an IDL file, with what XDR
 * writes instead: "unknown type 'int64'" said nothing of {@code hyper}. {@code bool}, {@code
 * float}, {@code double} and {@code string} are XDR's words too ({@code string} with a bound).
 */
final class ProtoTypeNames {
  private ProtoTypeNames() {}

  private static final String INT = "Protocol Buffers' %s is XDR's 'int' (32 bits)";
  private static final String HYPER = "Protocol Buffers' %s is XDR's 'hyper' (64 bits)";
  private static final String UNSIGNED = "Protocol Buffers' %s is XDR's 'unsigned int' (32 bits)";
  private static final String UNSIGNED_HYPER = "Protocol Buffers' %s is XDR's 'unsigned hyper' (64 bits)";

  private static final Map<String, String> XDR = Map.ofEntries(
      Map.entry("int32", INT), Map.entry("sint32", INT), Map.entry("sfixed32", INT),
      Map.entry("int64", HYPER), Map.entry("sint64", HYPER), Map.entry("sfixed64", HYPER),
      Map.entry("uint32", UNSIGNED), Map.entry("fixed32", UNSIGNED),
      Map.entry("uint64", UNSIGNED_HYPER), Map.entry("fixed64", UNSIGNED_HYPER),
      Map.entry("bytes", "Protocol Buffers' %s is XDR's opaque data, declared with its name:"
          + " 'opaque data<>' for any length, 'opaque data<N>' for at most N bytes"));

  /** What XDR writes for the Protocol Buffers type {@code name}, or null when it is none of theirs. */
  static String xdrFor(String name) {
    String xdr = XDR.get(name);
    return xdr == null ? null : String.format(xdr, name) + " (README.md, Coming from gRPC)";
  }
}
