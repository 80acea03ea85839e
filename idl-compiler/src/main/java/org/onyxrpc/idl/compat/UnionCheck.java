package org.onyxrpc.idl.compat;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.onyxrpc.idl.source.Location;
import org.onyxrpc.idl.schema.Field;
import org.onyxrpc.idl.schema.TypeDecl;

/**
 * Compares two versions of a union: its discriminant, then each case label. A reader selects an
 * arm by the label it reads, so a label that moves, disappears or carries another type breaks.
 */
final class UnionCheck {
  private final Positions oldPositions;
  private final Positions newPositions;
  private final WireMatch match;
  private final Uses uses;
  private final Findings findings;

  UnionCheck(Positions oldPositions, Positions newPositions, WireMatch match, Uses uses,
      Findings findings) {
    this.oldPositions = oldPositions;
    this.newPositions = newPositions;
    this.match = match;
    this.uses = uses;
    this.findings = findings;
  }

  private record Case(int arm, TypeDecl.Label label, Field field) {
    String text() {
      return "case " + (label.name() != null ? label.name() : Long.toString(label.value()))
          + (field == null ? "" : " (`" + field.name() + "`)");
    }
  }

  void compare(TypeDecl.UnionType old, TypeDecl.UnionType now) {
    String owner = "`" + now.name() + "`";
    discriminant(old, now, owner);
    Map<Long, Case> oldCases = cases(old);
    Map<Long, Case> newCases = cases(now);
    Set<Long> handled = new HashSet<>();
    movedArms(old, now, owner, handled);
    oldArms(old, now, owner, oldCases, newCases, handled);
    newArms(old, now, owner, oldCases, newCases, handled);
    defaultArm(old, now, owner);
  }

  /** The discriminant's type, and its name, which Java code calls. */
  private void discriminant(TypeDecl.UnionType old, TypeDecl.UnionType now, String owner) {
    Field od = old.discriminant();
    Field nd = now.discriminant();
    uses.check("discriminant of " + owner, od.type(), nd.type(), nd.location(), od.location());
    if (!od.name().equals(nd.name())) {
      boolean sameWire = match.sameWire(od.type(), nd.type());
      findings.source(nd.location(), od.location(), "discriminant `" + od.name() + "` of "
          + owner + " renamed to `" + nd.name() + "`: " + (sameWire ? "the wire is unchanged, but " : "")
          + "Java code calling `" + od.name() + "()` no longer compiles");
    }
  }

  /** Each old case not {@code handled}: removed, or kept with its type and arm name compared. */
  private void oldArms(TypeDecl.UnionType old, TypeDecl.UnionType now, String owner,
      Map<Long, Case> oldCases, Map<Long, Case> newCases, Set<Long> handled) {
    for (Case o : oldCases.values()) {
      long value = o.label().value();
      if (handled.contains(value)) {
        continue;
      }
      Location oldAt = oldPositions.arm(old, o.arm());
      Case n = newCases.get(value);
      if (n == null) {
        if (now.defaultArm() != null && match.sameWire(WireMatch.type(o.field()),
            WireMatch.type(now.defaultArm().field()))) {
          findings.source(now.location(), oldAt, o.text() + " removed from " + owner
              + ": new readers decode it as the default arm, which has the same type, but Java"
              + " code using its arm no longer compiles");
        } else {
          findings.wire(now.location(), oldAt, o.text() + " removed from " + owner
              + ": new readers " + (now.defaultArm() == null ? "reject it"
                  : "decode it as the default arm, whose type differs,")
              + " when old peers send it");
        }
        continue;
      }
      Location at = newPositions.arm(now, n.arm());
      uses.check(n.text() + " of " + owner, WireMatch.type(o.field()), WireMatch.type(n.field()),
          at, oldAt);
      if (o.field() != null && n.field() != null && !o.field().name().equals(n.field().name())) {
        // Retyped as well, the change of type is the finding above: the wire is not unchanged.
        boolean sameWire = match.sameWire(WireMatch.type(o.field()), WireMatch.type(n.field()));
        findings.source(at, oldAt, "arm `" + o.field().name() + "` of " + owner + " renamed to `"
            + n.field().name() + "`: " + (sameWire ? "the wire is unchanged, but " : "")
            + "Java code using its record no longer compiles");
      }
    }
  }

  /** Each new case: what old readers, with or without a default arm, make of it. */
  private void newArms(TypeDecl.UnionType old, TypeDecl.UnionType now, String owner,
      Map<Long, Case> oldCases, Map<Long, Case> newCases, Set<Long> handled) {
    for (Case n : newCases.values()) {
      long value = n.label().value();
      if (handled.contains(value) || oldCases.containsKey(value)) {
        continue;
      }
      Location at = newPositions.arm(now, n.arm());
      Location oldAt = old.location();
      if (old.defaultArm() == null) {
        // as a new enum value: old data still reads, and only new peers may be sent it
        findings.safe(at, oldAt, "new " + n.text() + " in " + owner
            + ", which has no default arm: old readers reject it (a call whose reply holds it"
            + " fails with \"cannot decode the result\", one whose arguments do gets"
            + " GARBAGE_ARGS), so send it only to updated peers");
      } else if (match.sameWire(WireMatch.type(old.defaultArm().field()), WireMatch.type(n.field()))) {
        findings.safe(at, oldAt, "new " + n.text() + " in " + owner
            + ": old readers decode it as the default arm, which has the same type");
      } else {
        findings.wire(at, oldAt, "new " + n.text() + " in " + owner
            + ": old readers decode it as the default arm, whose type differs");
      }
    }
  }

  /** An arm (by its field's name) whose labels changed: old and new readers select different arms. */
  private void movedArms(TypeDecl.UnionType old, TypeDecl.UnionType now, String owner,
      Set<Long> handled) {
    for (int i = 0; i < old.arms().size(); i++) {
      TypeDecl.Arm o = old.arms().get(i);
      for (int j = 0; o.field() != null && j < now.arms().size(); j++) {
        TypeDecl.Arm n = now.arms().get(j);
        if (n.field() != null && n.field().name().equals(o.field().name())
            && !values(o).equals(values(n))) {
          handled.addAll(values(o));
          handled.addAll(values(n));
          findings.wire(newPositions.arm(now, j), oldPositions.arm(old, i), "arm `"
              + n.field().name() + "` of " + owner + " moved from " + labels(o) + " to "
              + labels(n) + ": old and new peers select different arms for the same value");
        }
      }
    }
  }

  private void defaultArm(TypeDecl.UnionType old, TypeDecl.UnionType now, String owner) {
    int oldIndex = old.arms().size();
    int newIndex = now.arms().size();
    if (old.defaultArm() == null && now.defaultArm() != null) {
      findings.safe(newPositions.arm(now, newIndex), old.location(), "default arm added to "
          + owner + ": new readers accept values that old readers reject");
    } else if (old.defaultArm() != null && now.defaultArm() == null) {
      findings.wire(now.location(), oldPositions.arm(old, oldIndex), "default arm removed from "
          + owner + ": new readers reject the values old peers send through it");
    } else if (old.defaultArm() != null) {
      uses.check("the default arm of " + owner, WireMatch.type(old.defaultArm().field()),
          WireMatch.type(now.defaultArm().field()), newPositions.arm(now, newIndex),
          oldPositions.arm(old, oldIndex));
    }
  }

  private static Map<Long, Case> cases(TypeDecl.UnionType union) {
    Map<Long, Case> cases = new LinkedHashMap<>();
    for (int i = 0; i < union.arms().size(); i++) {
      TypeDecl.Arm arm = union.arms().get(i);
      for (TypeDecl.Label label : arm.labels()) {
        cases.put(label.value(), new Case(i, label, arm.field()));
      }
    }
    return cases;
  }

  private static Set<Long> values(TypeDecl.Arm arm) {
    Set<Long> values = new HashSet<>();
    arm.labels().forEach(l -> values.add(l.value()));
    return values;
  }

  private static String labels(TypeDecl.Arm arm) {
    List<String> labels = arm.labels().stream()
        .map(l -> l.name() != null ? l.name() : Long.toString(l.value())).toList();
    return "case " + String.join(", ", labels);
  }
}
