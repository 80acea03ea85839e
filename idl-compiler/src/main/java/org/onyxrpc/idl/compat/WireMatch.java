package org.onyxrpc.idl.compat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.onyxrpc.idl.schema.Field;
import org.onyxrpc.idl.schema.Schema;
import org.onyxrpc.idl.schema.Type;
import org.onyxrpc.idl.schema.TypeDecl;

/**
 * Compares a type where it is used (a field, parameter, result or arm) in the old and the new
 * schema. A declared type used under the same name is compared once, at its declaration, by
 * {@link DataTypeCheck}; under another name it is compared here, structurally, and a pair of
 * names with the same wire form is remembered as a rename.
 */
final class WireMatch {
  /** How a use of a type changed; bounds are filled for bound and length changes. */
  record Change(Kind kind, long oldSize, long newSize) {
    static final Change SAME = new Change(Kind.SAME, 0, 0);
    static final Change DIFFERENT = new Change(Kind.DIFFERENT, 0, 0);
    static final Change SAME_WIRE = new Change(Kind.SAME_WIRE, 0, 0);
  }

  /** From harmless to breaking; a composite change reports its worst part. */
  enum Kind { SAME, SAME_WIRE, BOUND_RAISED, BOUND_LOWERED, LENGTH_CHANGED, DIFFERENT }

  private final Schema oldSchema;
  private final Schema newSchema;
  private final Map<String, String> renamed = new LinkedHashMap<>();
  private final Map<String, Boolean> sameDecls = new HashMap<>();

  WireMatch(Schema oldSchema, Schema newSchema) {
    this.oldSchema = oldSchema;
    this.newSchema = newSchema;
  }

  /** Old type name to new type name, for uses whose type changed name but not wire form. */
  Map<String, String> renamed() {
    return renamed;
  }

  Change compare(Type old, Type now) {
    if (old == null || now == null) {
      return old == now ? Change.SAME : Change.DIFFERENT;
    }
    if (old instanceof Type.Builtin && now instanceof Type.Builtin) {
      return old == now ? Change.SAME : Change.DIFFERENT;
    }
    if (old instanceof Type.StringType o && now instanceof Type.StringType n) {
      return bound(o.max(), n.max());
    }
    if (old instanceof Type.Opaque o && now instanceof Type.Opaque n) {
      return o.fixed() != n.fixed() ? Change.DIFFERENT : size(o.size(), n.size(), o.fixed());
    }
    if (old instanceof Type.Array o && now instanceof Type.Array n) {
      if (o.fixed() != n.fixed()) {
        return Change.DIFFERENT;
      }
      Change element = compare(o.element(), n.element());
      Change size = size(o.size(), n.size(), o.fixed());
      return element.kind().compareTo(size.kind()) >= 0 ? element : size;
    }
    if (old instanceof Type.Optional o && now instanceof Type.Optional n) {
      return compare(o.element(), n.element());
    }
    if (old instanceof Type.Optional != now instanceof Type.Optional
        && asArray(old) instanceof Type.Array o && !o.fixed()
        && asArray(now) instanceof Type.Array n && !n.fixed()) {
      // RFC 4506 4.19: T * is encoded as T<1>, a bool 0/1 where the count 0/1 would be
      Change change = compare(o, n);
      return change.kind() == Kind.SAME ? Change.SAME_WIRE : change;
    }
    if (old instanceof Type.Defined o && now instanceof Type.Defined n) {
      if (o.name().equals(n.name())) {
        return Change.SAME;
      }
      if (sameDecl(oldSchema.type(o.name()), newSchema.type(n.name()), new HashSet<>())) {
        renamed.putIfAbsent(o.name(), n.name());
        return Change.SAME_WIRE;
      }
    }
    return Change.DIFFERENT;
  }

  /** {@code T *} as the {@code T<1>} it is on the wire; any other type as it is. */
  private static Type asArray(Type type) {
    return type instanceof Type.Optional optional
        ? new Type.Array(optional.element(), 1, false) : type;
  }

  private static Change size(int old, int now, boolean fixed) {
    if (old == now) {
      return Change.SAME;
    }
    return fixed ? new Change(Kind.LENGTH_CHANGED, old, now) : bound(old, now);
  }

  private static Change bound(int old, int now) {
    if (old == now) {
      return Change.SAME;
    }
    return new Change(now > old ? Kind.BOUND_RAISED : Kind.BOUND_LOWERED, old, now);
  }

  /** True when both types put exactly the same bytes on the wire, whatever their names. */
  boolean sameWire(Type old, Type now) {
    return sameWire(old, now, new HashSet<>());
  }

  private boolean sameWire(Type old, Type now, Set<String> assumed) {
    if (old == null || now == null) {
      return old == now;
    }
    if (old instanceof Type.Defined o && now instanceof Type.Defined n) {
      return sameDecl(oldSchema.type(o.name()), newSchema.type(n.name()), assumed);
    }
    if (old instanceof Type.Array o && now instanceof Type.Array n) {
      return o.fixed() == n.fixed() && o.size() == n.size()
          && sameWire(o.element(), n.element(), assumed);
    }
    if (old instanceof Type.Optional o && now instanceof Type.Optional n) {
      return sameWire(o.element(), n.element(), assumed);
    }
    if (old instanceof Type.StringType o && now instanceof Type.StringType n) {
      return o.max() == n.max();
    }
    if (old instanceof Type.Opaque o && now instanceof Type.Opaque n) {
      return o.fixed() == n.fixed() && o.size() == n.size();
    }
    return old == now;
  }

  /**
   * True when two lists of arguments put the same bytes on the wire: several arguments travel as
   * a struct of them, so {@code (Pair p)} is {@code (int x, int y)} for {@code struct Pair}.
   */
  boolean sameArguments(List<Type> old, List<Type> now) {
    List<Type> o = flatten(old, oldSchema, 0);
    List<Type> n = flatten(now, newSchema, 0);
    if (o.size() != n.size()) {
      return false;
    }
    for (int i = 0; i < o.size(); i++) {
      if (!sameWire(o.get(i), n.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** Struct types replaced by their fields, to a depth a recursive struct cannot exhaust. */
  private static List<Type> flatten(List<Type> types, Schema schema, int depth) {
    List<Type> flat = new ArrayList<>();
    for (Type type : types) {
      if (depth < 16 && type instanceof Type.Defined d
          && schema.type(d.name()) instanceof TypeDecl.StructType struct && !struct.exception()) {
        flat.addAll(flatten(struct.fields().stream().map(Field::type).toList(), schema,
            depth + 1));
      } else {
        flat.add(type);
      }
    }
    return flat;
  }

  private boolean sameDecl(TypeDecl old, TypeDecl now, Set<String> assumed) {
    String key = old.name() + "\u0000" + now.name();
    Boolean known = sameDecls.get(key);
    if (known != null) {
      return known;
    }
    if (!assumed.add(key)) {
      return true; // a recursive type: equal unless another part differs
    }
    boolean same = sameDeclUncached(old, now, assumed);
    assumed.remove(key);
    if (assumed.isEmpty()) {
      sameDecls.put(key, same);
    }
    return same;
  }

  private boolean sameDeclUncached(TypeDecl old, TypeDecl now, Set<String> assumed) {
    if (old instanceof TypeDecl.EnumType o && now instanceof TypeDecl.EnumType n) {
      return values(o).equals(values(n));
    }
    if (old instanceof TypeDecl.StructType o && now instanceof TypeDecl.StructType n) {
      if (o.fields().size() != n.fields().size()) {
        return false;
      }
      for (int i = 0; i < o.fields().size(); i++) {
        if (!sameWire(o.fields().get(i).type(), n.fields().get(i).type(), assumed)) {
          return false;
        }
      }
      return true;
    }
    if (old instanceof TypeDecl.UnionType o && now instanceof TypeDecl.UnionType n) {
      if (!sameWire(o.discriminant().type(), n.discriminant().type(), assumed)) {
        return false;
      }
      Map<Long, Type> oldArms = arms(o);
      Map<Long, Type> newArms = arms(n);
      if (!oldArms.keySet().equals(newArms.keySet())
          || (o.defaultArm() == null) != (n.defaultArm() == null)) {
        return false;
      }
      for (Map.Entry<Long, Type> arm : oldArms.entrySet()) {
        if (!sameWire(arm.getValue(), newArms.get(arm.getKey()), assumed)) {
          return false;
        }
      }
      return o.defaultArm() == null
          || sameWire(type(o.defaultArm().field()), type(n.defaultArm().field()), assumed);
    }
    return false;
  }

  private static Set<Integer> values(TypeDecl.EnumType type) {
    Set<Integer> values = new HashSet<>();
    type.constants().forEach(c -> values.add(c.value()));
    return values;
  }

  /** Each case label's arm type (null for void). */
  static Map<Long, Type> arms(TypeDecl.UnionType union) {
    Map<Long, Type> arms = new LinkedHashMap<>();
    for (TypeDecl.Arm arm : union.arms()) {
      arm.labels().forEach(label -> arms.put(label.value(), type(arm.field())));
    }
    return arms;
  }

  static Type type(Field field) {
    return field == null ? null : field.type();
  }

  static boolean sameText(String a, String b) {
    return Objects.equals(a == null ? null : a.strip(), b == null ? null : b.strip());
  }
}
