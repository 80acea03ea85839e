package org.onyxrpc.idl.link;

import java.util.Map;

/**
 * Java's type names that a Java user writes in an IDL file, with what XDR writes instead: the
 * spelling hint found nothing for {@code boolean}, {@code byte} or {@code Integer}, and offered
 * {@code long}, 32 bits, for {@code Long}.
 */
final class JavaTypeNames {
  private JavaTypeNames() {}

  private static final Map<String, String> XDR = Map.of(
      "boolean", "XDR's is 'bool'",
      "Boolean", "XDR's is 'bool', and 'bool *' where it may be absent (null)",
      "byte", "XDR has no byte: 'opaque name<N>' holds bytes, and 'int' one number",
      "Integer", "XDR's is 'int', and 'int *' where it may be absent (null)",
      "Long", "XDR's 64-bit integer is 'hyper', and 'hyper *' where it may be absent (null);"
          + " XDR's 'long' is 32 bits",
      "Float", "XDR's is 'float', and 'float *' where it may be absent (null)",
      "Double", "XDR's is 'double', and 'double *' where it may be absent (null)");

  /** What XDR writes for the Java type {@code name}, or null when it is none of Java's. */
  static String xdrFor(String name) {
    return XDR.get(name);
  }
}
