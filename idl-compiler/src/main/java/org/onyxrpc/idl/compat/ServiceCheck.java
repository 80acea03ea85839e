package org.onyxrpc.idl.compat;

import java.util.ArrayList;
import java.util.List;
import org.onyxrpc.idl.source.Location;
import org.onyxrpc.idl.schema.Service;
import org.onyxrpc.idl.schema.Type;

/**
 * Compares services: a call is found by program, version and procedure number, and its
 * arguments, reply and exception arms are read by position, so each of these must stay.
 */
final class ServiceCheck {
  private final SchemaVersion oldVersion;
  private final SchemaVersion newVersion;
  private final WireMatch match;
  private final Uses uses;
  private final Findings findings;

  ServiceCheck(SchemaVersion oldVersion, SchemaVersion newVersion, WireMatch match, Uses uses,
      Findings findings) {
    this.oldVersion = oldVersion;
    this.newVersion = newVersion;
    this.match = match;
    this.uses = uses;
    this.findings = findings;
  }

  void run() {
    List<Service> oldServices = services(oldVersion);
    List<Service> newServices = services(newVersion);
    List<Service> matched = new ArrayList<>();
    for (Service old : oldServices) {
      Service now = newServices.stream().filter(s -> s.name().equals(old.name())).findFirst()
          .orElseGet(() -> newServices.stream().filter(s -> s.program() == old.program()
              && oldServices.stream().noneMatch(o -> o.name().equals(s.name())))
              .findFirst().orElse(null));
      if (now == null) {
        findings.wire(old.location(), null, "service `" + old.name() + "` (program "
            + hex(old.program()) + ") removed: old clients get PROG_UNAVAIL");
        continue;
      }
      matched.add(now);
      service(old, now);
    }
    for (Service now : newServices) {
      if (!matched.contains(now)) {
        findings.safe(now.location(), null, "new service `" + now.name() + "` (program "
            + hex(now.program()) + ")");
      }
    }
  }

  private void service(Service old, Service now) {
    if (!old.name().equals(now.name())) {
      findings.source(now.location(), old.location(), "service `" + old.name() + "` renamed to `"
          + now.name() + "`: program " + hex(now.program()) + " is unchanged, but Java code using `"
          + old.name() + "V…` no longer compiles");
    }
    if (old.program() != now.program()) {
      findings.wire(now.location(), old.location(), "program number of `" + now.name()
          + "` changed from " + hex(old.program()) + " to " + hex(now.program())
          + ": old clients call a program the new server does not serve");
    }
    if (!WireMatch.sameText(old.doc(), now.doc())) {
      findings.safe(now.location(), old.location(), "doc comment of `" + now.name() + "` changed");
    }
    for (int i = 0; i < old.versions().size(); i++) {
      Service.Version ov = old.versions().get(i);
      int j = versionIndex(now, ov.number());
      Location oldAt = oldVersion.positions().version(old, i);
      if (j < 0) {
        findings.wire(now.location(), oldAt, "version " + ov.number() + " of `" + now.name()
            + "` removed: its old clients get PROG_MISMATCH");
      } else {
        new ProcedureCheck(old, i, now, j, oldVersion.positions(), newVersion.positions(), match,
            uses, findings).run();
      }
    }
    for (int j = 0; j < now.versions().size(); j++) {
      Service.Version nv = now.versions().get(j);
      if (versionIndex(old, nv.number()) < 0) {
        findings.safe(newVersion.positions().version(now, j), old.location(), "new version "
            + nv.number() + " of `" + now.name() + "`");
      }
    }
  }

  private static int versionIndex(Service service, int number) {
    for (int i = 0; i < service.versions().size(); i++) {
      if (service.versions().get(i).number() == number) {
        return i;
      }
    }
    return -1;
  }

  private static List<Service> services(SchemaVersion version) {
    return version.schema().files().stream().flatMap(f -> f.services().stream()).toList();
  }

  static String hex(int program) {
    return "0x" + Long.toHexString(Integer.toUnsignedLong(program));
  }

  static String types(List<Type> types) {
    return "(" + String.join(", ", types.stream().map(TypeText::of).toList()) + ")";
  }
}
