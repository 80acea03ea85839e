package org.onyxrpc.idl.link;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.onyxrpc.idl.source.Diagnostics;
import org.onyxrpc.idl.schema.Field;
import org.onyxrpc.idl.schema.Type;
import org.onyxrpc.idl.schema.TypeDecl;

/**
 * Finds types that contain themselves by value, which no finite value can satisfy. Optional-data
 * ({@code T *}) and variable-length arrays (which may be empty) break a cycle, and so does a
 * union with an arm outside it (a {@code void} arm, or one whose type has finite values), as in
 * Stellar's {@code SCSpecTypeDef}; plain fields and fixed arrays do not. Each cycle is reported
 * once, at the field that starts it in its alphabetically first type.
 */
final class RecursionCheck {
  private record Step(String owner, Field field) {}

  private final Map<String, TypeDecl> types;
  private final Diagnostics diagnostics;

  RecursionCheck(Map<String, TypeDecl> types, Diagnostics diagnostics) {
    this.types = types;
    this.diagnostics = diagnostics;
  }

  void run() {
    Set<String> finite = finiteTypes();
    for (String name : types.keySet()) {
      if (finite.contains(name)) {
        continue;
      }
      List<Step> cycle = find(name, name, new ArrayList<>(), new HashSet<>(), finite);
      if (cycle != null && cycle.stream().allMatch(step -> step.owner().compareTo(name) >= 0)) {
        StringBuilder path = new StringBuilder();
        for (Step step : cycle) {
          path.append(step.owner()).append('.').append(step.field().name()).append(" -> ");
        }
        path.append(name);
        Field first = cycle.get(0).field();
        diagnostics.error(first.location(), "recursive type '" + name
            + "' contains itself without optional-data ('*'): " + path + "; make a field on the"
            + " way optional-data ('*') or a variable-length array ('<>'), so that it can end");
      }
    }
  }

  /**
   * The types that have finite values: least fixpoint of "a struct whose fields all have them, a
   * union with an arm that has them or is void, anything else".
   */
  private Set<String> finiteTypes() {
    Set<String> finite = new HashSet<>();
    boolean grown = true;
    while (grown) {
      grown = false;
      for (Map.Entry<String, TypeDecl> type : types.entrySet()) {
        if (!finite.contains(type.getKey()) && finite(type.getValue(), finite)) {
          finite.add(type.getKey());
          grown = true;
        }
      }
    }
    return finite;
  }

  private boolean finite(TypeDecl type, Set<String> finite) {
    if (type instanceof TypeDecl.UnionType union) {
      List<TypeDecl.Arm> arms = new ArrayList<>(union.arms());
      if (union.defaultArm() != null) {
        arms.add(union.defaultArm());
      }
      return arms.stream().anyMatch(arm -> arm.field() == null || finite(arm.field(), finite));
    }
    return fields(type).stream().allMatch(field -> finite(field, finite));
  }

  private boolean finite(Field field, Set<String> finite) {
    return contained(field.type()).stream()
        .allMatch(name -> finite.contains(name) || !types.containsKey(name));
  }

  private List<Step> find(String start, String current, List<Step> path, Set<String> visited,
      Set<String> finite) {
    if (!visited.add(current)) {
      return null;
    }
    for (Field field : fields(types.get(current))) {
      for (String next : contained(field.type())) {
        if (finite.contains(next)) {
          continue;
        }
        path.add(new Step(current, field));
        if (next.equals(start)) {
          return List.copyOf(path);
        }
        List<Step> found = find(start, next, path, visited, finite);
        if (found != null) {
          return found;
        }
        path.remove(path.size() - 1);
      }
    }
    return null;
  }

  private static List<Field> fields(TypeDecl type) {
    List<Field> fields = new ArrayList<>();
    if (type instanceof TypeDecl.StructType struct) {
      fields.addAll(struct.fields());
    } else if (type instanceof TypeDecl.UnionType union) {
      for (TypeDecl.Arm arm : union.arms()) {
        if (arm.field() != null) {
          fields.add(arm.field());
        }
      }
      if (union.defaultArm() != null && union.defaultArm().field() != null) {
        fields.add(union.defaultArm().field());
      }
    }
    return fields;
  }

  private static List<String> contained(Type type) {
    if (type instanceof Type.Defined defined) {
      return List.of(defined.name());
    }
    if (type instanceof Type.Array array && array.fixed() && array.size() > 0) {
      return contained(array.element());
    }
    return List.of();
  }
}
