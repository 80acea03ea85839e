package org.onyxrpc.cli.json;

import java.util.HashSet;
import java.util.Set;
import org.onyxrpc.idl.schema.Field;
import org.onyxrpc.idl.schema.Schema;
import org.onyxrpc.idl.schema.Type;
import org.onyxrpc.idl.schema.TypeDecl;
import org.onyxrpc.xdr.Xdr;

/**
 * The fewest bytes a value of a type takes on the wire, so that an array count a peer sends is
 * checked against the bytes left before anything is allocated.
 */
final class MinimumSize {
  private MinimumSize() {}

  static int of(Type type, Schema schema) {
    return (int) Math.min(Integer.MAX_VALUE, bytes(type, schema, new HashSet<>()));
  }

  private static long bytes(Type type, Schema schema, Set<String> visiting) {
    if (type instanceof Type.Builtin b) {
      return b.size();
    } else if (type instanceof Type.Opaque o) {
      // In long: padded as an int, opaque[2147483647] is -2^31, and a count of any number of
      // them passed the check of bytes left.
      return o.fixed() ? o.size() + (long) Xdr.padding(o.size()) : 4;
    } else if (type instanceof Type.Array a) {
      return a.fixed() ? Math.min(Integer.MAX_VALUE, a.size() * bytes(a.element(), schema, visiting)) : 4;
    } else if (type instanceof Type.Defined d) {
      TypeDecl decl = schema.type(d.name());
      if (decl instanceof TypeDecl.StructType s && visiting.add(s.name())) {
        long sum = 0;
        for (Field f : s.fields()) {
          sum = Math.min(Integer.MAX_VALUE, sum + bytes(f.type(), schema, visiting));
        }
        visiting.remove(s.name());
        return sum;
      }
      return 4; // enum, union (its discriminant), or a struct already being measured
    }
    return 4; // string and variable opaque (their length), optional data (its flag)
  }
}
