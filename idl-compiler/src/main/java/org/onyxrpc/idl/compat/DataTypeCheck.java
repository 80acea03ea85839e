package org.onyxrpc.idl.compat;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.onyxrpc.idl.source.Location;
import org.onyxrpc.idl.schema.Field;
import org.onyxrpc.idl.schema.TypeDecl;

/**
 * Compares a declared type with the declaration of the same name in the new schema. XDR has no
 * field tags: a struct's fields are its bytes in order, so any change but a rename breaks.
 */
final class DataTypeCheck {
  private final SchemaVersion oldVersion;
  private final SchemaVersion newVersion;
  private final WireMatch match;
  private final Uses uses;
  private final Findings findings;

  DataTypeCheck(SchemaVersion oldVersion, SchemaVersion newVersion, WireMatch match, Uses uses,
      Findings findings) {
    this.oldVersion = oldVersion;
    this.newVersion = newVersion;
    this.match = match;
    this.uses = uses;
    this.findings = findings;
  }

  void compare(TypeDecl old, TypeDecl now) {
    if (!WireMatch.sameText(old.doc(), now.doc())) {
      findings.safe(now.location(), old.location(), "doc comment of `" + now.name() + "` changed");
    }
    if (old instanceof TypeDecl.StructType o && now instanceof TypeDecl.StructType n) {
      if (o.exception() != n.exception()) {
        findings.source(n.location(), o.location(), "`" + n.name() + "` changed from "
            + kind(o) + " to " + kind(n) + ": the wire is the same, but Java code using it as "
            + kind(o) + " no longer compiles");
      }
      struct(o, n);
    } else if (old instanceof TypeDecl.EnumType o && now instanceof TypeDecl.EnumType n) {
      enumType(o, n);
    } else if (old instanceof TypeDecl.UnionType o && now instanceof TypeDecl.UnionType n) {
      new UnionCheck(oldVersion.positions(), newVersion.positions(), match, uses, findings)
          .compare(o, n);
    } else {
      findings.wire(now.location(), old.location(), "`" + now.name() + "` changed from "
          + kind(old) + " to " + kind(now) + ": old and new peers encode it differently");
    }
  }

  static String kind(TypeDecl type) {
    if (type instanceof TypeDecl.StructType s) {
      return s.exception() ? "an exception" : "a struct";
    }
    return type instanceof TypeDecl.EnumType ? "an enum" : "a union";
  }

  private void struct(TypeDecl.StructType old, TypeDecl.StructType now) {
    String owner = "`" + now.name() + "`";
    Map<String, Field> oldFields = byName(old.fields());
    Map<String, Field> newFields = byName(now.fields());
    Map<String, String> renamed = renamedFields(old, now, owner, oldFields, newFields);
    for (Field o : old.fields()) {
      if (!newFields.containsKey(o.name()) && !renamed.containsKey(o.name())) {
        findings.wire(now.location(), o.location(), "field `" + o.name() + "` removed from "
            + owner + ": new readers no longer read the bytes old peers send for it");
      }
    }
    Set<String> renamedTo = new HashSet<>(renamed.values());
    List<String> common = now.fields().stream().map(Field::name)
        .filter(name -> oldFields.containsKey(name) || renamedTo.contains(name)).toList();
    addedFields(old, now, owner, newFields, oldFields, renamed, common);
    List<String> oldOrder = old.fields().stream().map(f -> renamed.getOrDefault(f.name(), f.name()))
        .filter(common::contains).toList();
    for (int i = 0; i < common.size(); i++) {
      if (!common.get(i).equals(oldOrder.get(i))) {
        String moved = common.get(i);
        findings.wire(newFields.get(moved).location(), old.location(), "field `" + moved
            + "` moved before `" + oldOrder.get(i) + "` in " + owner + ": old readers will read `"
            + moved + "` as `" + oldOrder.get(i) + "`");
        break;
      }
    }
    for (Field o : old.fields()) {
      Field n = newFields.get(renamed.getOrDefault(o.name(), o.name()));
      if (n != null) {
        uses.check("field `" + n.name() + "` of " + owner, o.type(), n.type(), n.location(),
            o.location());
      }
    }
  }

  /**
   * The fields renamed in place, old name to new: one that stands where a field neither version
   * still has stood, with the same wire type.
   */
  private Map<String, String> renamedFields(TypeDecl.StructType old, TypeDecl.StructType now,
      String owner, Map<String, Field> oldFields, Map<String, Field> newFields) {
    Map<String, String> renamed = new LinkedHashMap<>();
    for (int i = 0; i < Math.min(old.fields().size(), now.fields().size()); i++) {
      Field o = old.fields().get(i);
      Field n = now.fields().get(i);
      if (!newFields.containsKey(o.name()) && !oldFields.containsKey(n.name())
          && match.sameWire(o.type(), n.type())) {
        renamed.put(o.name(), n.name());
        findings.source(n.location(), o.location(), "field `" + o.name() + "` of " + owner
            + " renamed to `" + n.name() + "`: the wire is unchanged, but Java code calling `"
            + o.name() + "()` no longer compiles");
      }
    }
    return renamed;
  }

  /**
   * Each new field that is neither an old one nor renamed: where it stands (in a removed field's
   * place, before a field both versions have, or at the end) says what old readers make of it.
   */
  private void addedFields(TypeDecl.StructType old, TypeDecl.StructType now, String owner,
      Map<String, Field> newFields, Map<String, Field> oldFields, Map<String, String> renamed,
      List<String> common) {
    Set<String> renamedTo = new HashSet<>(renamed.values());
    for (int i = 0; i < now.fields().size(); i++) {
      Field n = now.fields().get(i);
      if (oldFields.containsKey(n.name()) || renamedTo.contains(n.name())) {
        continue;
      }
      String next = now.fields().subList(i + 1, now.fields().size()).stream().map(Field::name)
          .filter(common::contains).findFirst().orElse(null);
      // Renamed and retyped at once, it stands where a removed field stood: old readers read it
      // as that one, not as the next field both versions have.
      Field stood = i < old.fields().size() ? old.fields().get(i) : null;
      if (stood != null && !newFields.containsKey(stood.name()) && !renamed.containsKey(stood.name())) {
        findings.wire(n.location(), stood.location(), "field `" + n.name() + "` of " + owner
            + " takes the place of `" + stood.name() + "`, with another type: old readers will read `"
            + n.name() + "` as `" + stood.name() + "`");
        continue;
      }
      findings.wire(n.location(), old.location(), next == null
          ? "field `" + n.name() + "` added at the end of " + owner
              + ": new readers reject what old peers send without it, and old Onyx readers reject"
              + " what carries it (GARBAGE_ARGS, or a result they cannot decode; C readers ignore it"
              + " where it ends the arguments or the result, and read it as what follows anywhere else)"
          : "field `" + n.name() + "` inserted before `" + next + "`: old readers will read `"
              + n.name() + "` as `" + next + "`");
    }
  }

  private void enumType(TypeDecl.EnumType old, TypeDecl.EnumType now) {
    String owner = "`" + now.name() + "`";
    Map<String, Integer> oldIndex = indexes(old);
    Map<String, Integer> newIndex = indexes(now);
    Map<Integer, String> oldByValue = new LinkedHashMap<>();
    old.constants().forEach(c -> oldByValue.putIfAbsent(c.value(), c.name()));
    Set<String> renamedTo = new HashSet<>();
    for (int i = 0; i < old.constants().size(); i++) {
      TypeDecl.EnumConstant o = old.constants().get(i);
      Location oldAt = oldVersion.positions().enumConstant(old, i);
      Integer at = newIndex.get(o.name());
      if (at != null) {
        TypeDecl.EnumConstant n = now.constants().get(at);
        if (n.value() != o.value()) {
          String reading = oldByValue.containsKey(n.value())
              ? "old peers read " + n.value() + " as `" + oldByValue.get(n.value()) + "`"
              : "old peers reject " + n.value();
          findings.wire(newVersion.positions().enumConstant(now, at), oldAt, "`" + o.name()
              + "` of " + owner + " renumbered from " + o.value() + " to " + n.value() + ": "
              + reading);
        }
        continue;
      }
      int renamedAt = -1;
      for (int j = 0; j < now.constants().size(); j++) {
        TypeDecl.EnumConstant n = now.constants().get(j);
        if (n.value() == o.value() && !oldIndex.containsKey(n.name())) {
          renamedAt = j;
          break;
        }
      }
      if (renamedAt >= 0) {
        String to = now.constants().get(renamedAt).name();
        renamedTo.add(to);
        findings.source(newVersion.positions().enumConstant(now, renamedAt), oldAt, "`" + o.name()
            + "` of " + owner + " renamed to `" + to + "`: the wire value " + o.value()
            + " is unchanged, but Java code naming `" + o.name() + "` no longer compiles");
      } else {
        findings.wire(now.location(), oldAt, "`" + o.name() + "` (" + o.value()
            + ") removed from " + owner + ": new readers reject the value old peers send for it");
      }
    }
    for (int j = 0; j < now.constants().size(); j++) {
      TypeDecl.EnumConstant n = now.constants().get(j);
      if (!oldIndex.containsKey(n.name()) && !renamedTo.contains(n.name())) {
        findings.safe(newVersion.positions().enumConstant(now, j), old.location(), "new value `"
            + n.name() + "` (" + n.value() + ") in " + owner
            + ": old readers reject it, so send it only to updated peers");
      }
    }
  }

  private static Map<String, Integer> indexes(TypeDecl.EnumType type) {
    Map<String, Integer> indexes = new LinkedHashMap<>();
    for (int i = 0; i < type.constants().size(); i++) {
      indexes.putIfAbsent(type.constants().get(i).name(), i);
    }
    return indexes;
  }

  static Map<String, Field> byName(List<Field> fields) {
    return fields.stream().collect(Collectors.toMap(Field::name, f -> f, (a, b) -> a,
        LinkedHashMap::new));
  }
}
