package org.onyxrpc.server;

import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import java.util.Collection;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.onyxrpc.rpc.ProgramVersion;

/** The program versions a server exports, looked up by the numbers a call names. */
final class Registry {
  // Keyed by the primitive program number: a lookup per call boxes nothing.
  private final IntObjectMap<NavigableMap<Integer, ServiceDefinition>> programs =
      new IntObjectHashMap<>();

  Registry(Collection<ServiceDefinition> services) {
    for (ServiceDefinition service : services) {
      ProgramVersion pv = service.programVersion();
      NavigableMap<Integer, ServiceDefinition> versions =
          programs.computeIfAbsent(pv.program(), p -> new TreeMap<>(Integer::compareUnsigned));
      if (versions.putIfAbsent(pv.version(), service) != null) {
        // A user who binds the same generated service twice (or two implementations of one
        // version) is told which, and that one definition per version is what a server takes.
        throw new IllegalArgumentException(pv + " added twice: addService takes each program version"
            + " once, all its procedures in one definition");
      }
    }
  }

  /** The versions of {@code program}, lowest first, or null if it is not exported. */
  NavigableMap<Integer, ServiceDefinition> versions(int program) {
    return programs.get(program);
  }

  /** Every exported program version. */
  List<ProgramVersion> programVersions() {
    return programs.values().stream()
        .flatMap(v -> v.values().stream())
        .map(ServiceDefinition::programVersion)
        .toList();
  }
}
