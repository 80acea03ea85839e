package org.onyxrpc.idl.compat;

import java.util.ArrayList;
import java.util.List;
import org.onyxrpc.idl.source.Location;

/** Collects the findings of one comparison. */
final class Findings {
  private final List<Finding> all = new ArrayList<>();

  void wire(Location at, Location old, String message) {
    all.add(new Finding(Finding.Kind.WIRE, at, old, message));
  }

  void source(Location at, Location old, String message) {
    all.add(new Finding(Finding.Kind.SOURCE, at, old, message));
  }

  void safe(Location at, Location old, String message) {
    all.add(new Finding(Finding.Kind.SAFE, at, old, message));
  }

  CompatReport report() {
    return new CompatReport(all);
  }
}
