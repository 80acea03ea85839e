package org.onyxrpc.idl.compat;

import java.util.List;
import org.onyxrpc.idl.source.Location;
import org.onyxrpc.idl.schema.Field;
import org.onyxrpc.idl.schema.Service;
import org.onyxrpc.idl.schema.Type;

/** Compares the procedures of one version of a service with the same version in the new schema. */
final class ProcedureCheck {
  private final Service oldService;
  private final int oldIndex;
  private final Service newService;
  private final int newIndex;
  private final Positions oldPositions;
  private final Positions newPositions;
  private final WireMatch match;
  private final Uses uses;
  private final Findings findings;
  private final Service.Version oldVersion;
  private final Service.Version newVersion;
  private final String where;

  ProcedureCheck(Service oldService, int oldIndex, Service newService, int newIndex,
      Positions oldPositions, Positions newPositions, WireMatch match, Uses uses,
      Findings findings) {
    this.oldService = oldService;
    this.oldIndex = oldIndex;
    this.newService = newService;
    this.newIndex = newIndex;
    this.oldPositions = oldPositions;
    this.newPositions = newPositions;
    this.match = match;
    this.uses = uses;
    this.findings = findings;
    this.oldVersion = oldService.versions().get(oldIndex);
    this.newVersion = newService.versions().get(newIndex);
    this.where = "version " + newVersion.number() + " of `" + newService.name() + "`";
  }

  void run() {
    boolean[] matched = new boolean[newVersion.procedures().size()];
    for (int i = 0; i < oldVersion.procedures().size(); i++) {
      Service.Procedure old = oldVersion.procedures().get(i);
      Location oldAt = oldPositions.procedure(oldService, oldIndex, i);
      int j = byName(newVersion, old.name());
      if (j < 0) {
        int k = byNumber(newVersion, old.number());
        if (k >= 0 && byName(oldVersion, newVersion.procedures().get(k).name()) < 0
            && sameCall(old, newVersion.procedures().get(k))) {
          Service.Procedure now = newVersion.procedures().get(k);
          matched[k] = true;
          findings.source(at(k), oldAt, "procedure `" + old.name() + "` of " + where
              + " renamed to `" + now.name() + "`: its number " + now.number()
              + " is unchanged, but Java code calling `" + old.name() + "` no longer compiles");
          compare(old, now, at(k), oldAt);
        } else {
          findings.wire(newPositions.version(newService, newIndex), oldAt, "procedure `"
              + old.name() + "` (" + old.number() + ") removed from " + where + ": old clients "
              + calling(old.number()));
        }
        continue;
      }
      matched[j] = true;
      Service.Procedure now = newVersion.procedures().get(j);
      if (now.number() != old.number()) {
        findings.wire(at(j), oldAt, "procedure `" + old.name() + "` of " + where
            + " renumbered from " + old.number() + " to " + now.number() + ": old clients "
            + calling(old.number()));
      }
      compare(old, now, at(j), oldAt);
    }
    for (int j = 0; j < matched.length; j++) {
      if (!matched[j]) {
        Service.Procedure now = newVersion.procedures().get(j);
        findings.safe(at(j), null, "new procedure `" + now.name() + "` (" + now.number()
            + ") in " + where);
      }
    }
  }

  /** What an old client calling {@code number} gets from the new server. */
  private String calling(int number) {
    int k = byNumber(newVersion, number);
    if (k < 0) {
      return "calling " + number + " get PROC_UNAVAIL";
    }
    return "calling " + number + " reach `" + newVersion.procedures().get(k).name() + "` instead";
  }

  private void compare(Service.Procedure old, Service.Procedure now, Location at, Location oldAt) {
    String name = "`" + now.name() + "`";
    if (old.oneway() != now.oneway()) {
      findings.wire(at, oldAt, now.oneway()
          ? name + " became oneway: old clients wait for a reply the server never sends"
          : name + " is no longer oneway: old clients never read the reply the server now sends");
    }
    if (old.parameters().size() != now.parameters().size()) {
      String change = "arguments of " + name + " changed from "
          + ServiceCheck.types(types(old.parameters())) + " to "
          + ServiceCheck.types(types(now.parameters()));
      if (match.sameArguments(types(old.parameters()), types(now.parameters()))) {
        findings.source(at, oldAt, change + ": the bytes are the same, as several arguments"
            + " travel as a struct of them, but Java code calling " + name + " no longer compiles");
      } else {
        findings.wire(at, oldAt, change + ": the server cannot decode what old clients send");
      }
    } else {
      for (int i = 0; i < old.parameters().size(); i++) {
        Field o = old.parameters().get(i);
        Field n = now.parameters().get(i);
        uses.check("argument `" + n.name() + "` of " + name, o.type(), n.type(), n.location(),
            o.location());
        if (!o.name().equals(n.name())) {
          findings.safe(n.location(), o.location(), "argument `" + o.name() + "` of " + name
              + " renamed to `" + n.name() + "`: neither the wire nor Java callers see its name");
        }
      }
    }
    uses.check("result of " + name, old.result(), now.result(), at, oldAt);
    exceptions(old, now, at, oldAt);
    if (old.has("idempotent") != now.has("idempotent")) {
      findings.safe(at, oldAt, now.has("idempotent")
          ? name + " became idempotent: clients may now send it more than once"
          : name + " is no longer idempotent: clients now send it at most once");
    }
    if (!WireMatch.sameText(old.doc(), now.doc())
        || !WireMatch.sameText(old.returnDoc(), now.returnDoc())
        || !old.throwsDocs().equals(now.throwsDocs())) {
      findings.safe(at, oldAt, "doc comment of " + name + " changed");
    }
  }

  /** Exceptions are reply arms 1..n in {@code throws} order. */
  private void exceptions(Service.Procedure old, Service.Procedure now, Location at,
      Location oldAt) {
    String name = "`" + now.name() + "`";
    List<String> oldThrows = old.throwsList();
    List<String> newThrows = now.throwsList();
    for (int i = 0; i < oldThrows.size(); i++) {
      String e = oldThrows.get(i);
      int j = newThrows.indexOf(e);
      if (j < 0 && i < newThrows.size() && !oldThrows.contains(newThrows.get(i))) {
        // Another exception in the same arm: the same wire if the types match (a rename).
        uses.check("reply arm " + (i + 1) + " of " + name, new Type.Defined(e),
            new Type.Defined(newThrows.get(i)), at, oldAt);
      } else if (j < 0) {
        findings.wire(at, oldAt, "exception `" + e + "` removed from " + name
            + ": new clients cannot decode reply arm " + (i + 1) + " from old servers");
      } else if (j != i) {
        findings.wire(at, oldAt, "exception `" + e + "` of " + name + " moved from reply arm "
            + (i + 1) + " to " + (j + 1) + ": old and new peers read each other's exceptions as"
            + " another one");
      }
    }
    for (int j = 0; j < newThrows.size(); j++) {
      String e = newThrows.get(j);
      if (oldThrows.contains(e) || j < oldThrows.size() && !newThrows.contains(oldThrows.get(j))) {
        continue;
      }
      if (oldThrows.isEmpty()) {
        findings.wire(at, oldAt, name + " now throws `" + e + "`: every reply becomes a union"
            + " that starts with its arm number, which old clients take for the start of the"
            + " result (every reply is misread or rejected)");
      } else {
        // As a new union arm: nothing is misread, an old client fails only the calls that get it.
        findings.source(at, oldAt, "exception `" + e + "` added to " + name + " as reply arm "
            + (j + 1) + ": old clients reject that reply, as a new union arm (the call, which"
            + " ran, fails with \"cannot decode the result\"), and blocking Java calls of " + name
            + " must now catch `" + e + "` to compile");
      }
    }
  }

  private boolean sameCall(Service.Procedure old, Service.Procedure now) {
    if (old.oneway() != now.oneway() || old.parameters().size() != now.parameters().size()
        || old.throwsList().size() != now.throwsList().size()
        || !match.sameWire(old.result(), now.result())) {
      return false;
    }
    for (int i = 0; i < old.parameters().size(); i++) {
      if (!match.sameWire(old.parameters().get(i).type(), now.parameters().get(i).type())) {
        return false;
      }
    }
    for (int i = 0; i < old.throwsList().size(); i++) {
      if (!match.sameWire(new Type.Defined(old.throwsList().get(i)),
          new Type.Defined(now.throwsList().get(i)))) {
        return false;
      }
    }
    return true;
  }

  private Location at(int j) {
    return newPositions.procedure(newService, newIndex, j);
  }

  private static List<Type> types(List<Field> fields) {
    return fields.stream().map(Field::type).toList();
  }

  private static int byName(Service.Version version, String name) {
    for (int i = 0; i < version.procedures().size(); i++) {
      if (version.procedures().get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private static int byNumber(Service.Version version, int number) {
    for (int i = 0; i < version.procedures().size(); i++) {
      if (version.procedures().get(i).number() == number) {
        return i;
      }
    }
    return -1;
  }
}
