package org.onyxrpc.idl.fromjava;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.onyxrpc.idl.source.Diagnostics;
import org.onyxrpc.idl.source.Location;

/**
 * Which records and unions hold which others by value (neither optional nor in a list), to
 * report a type that holds itself with no way to end, whose {@code .idl} idlc would reject. As
 * idlc's check: a record ends when all it holds ends, a union when one of its arms does.
 */
final class Containment {
  /** {@code owner} holds a {@code held} (null: nothing that could fail to end) in {@code part}. */
  private record Holding(String owner, String held, String part, Location at) {}

  private final List<Holding> holdings = new ArrayList<>();
  private final Map<String, Boolean> unions = new LinkedHashMap<>();

  /** Declares the record ({@code union} false) or union {@code name}. */
  void declare(String name, boolean union) {
    unions.put(name, union);
  }

  /** {@code owner} holds a {@code held} in {@code part}; held is null for any other type. */
  void add(String owner, String held, String part, Location at) {
    holdings.add(new Holding(owner, held, part, at));
  }

  /** Reports each cycle of types that cannot end once, at its alphabetically first type. */
  void report(Diagnostics diagnostics) {
    Set<String> ending = ending();
    for (Holding holding : holdings) {
      String owner = holding.owner();
      if (holding.held() == null || ending.contains(owner) || ending.contains(holding.held())) {
        continue;
      }
      List<String> path = path(holding.held(), owner, ending);
      if (path != null && path.stream().allMatch(type -> type.compareTo(owner) >= 0)) {
        diagnostics.error(holding.at(), "`" + owner + "` holds itself through `"
            + holding.part() + "` (" + owner + " -> " + String.join(" -> ", path)
            + "), so no value of it could end: annotate `" + holding.part()
            + "` @Nullable, or make it a List");
      }
    }
  }

  /** The least fixpoint of "a record all of whose parts end, a union one of whose arms does". */
  private Set<String> ending() {
    Set<String> ending = new HashSet<>();
    boolean grown = true;
    while (grown) {
      grown = false;
      for (Map.Entry<String, Boolean> type : unions.entrySet()) {
        if (ending.contains(type.getKey())) {
          continue;
        }
        List<Holding> parts = holdings.stream()
            .filter(h -> h.owner().equals(type.getKey())).toList();
        boolean ends = type.getValue()
            ? parts.stream().anyMatch(h -> ends(h.held(), ending))
            : parts.stream().allMatch(h -> ends(h.held(), ending));
        if (ends) {
          ending.add(type.getKey());
          grown = true;
        }
      }
    }
    return ending;
  }

  private boolean ends(String held, Set<String> ending) {
    return held == null || !unions.containsKey(held) || ending.contains(held);
  }

  /** The types from {@code from} to {@code to} held by value, none ending, or null. */
  private List<String> path(String from, String to, Set<String> ending) {
    Map<String, String> cameFrom = new HashMap<>();
    Deque<String> queue = new ArrayDeque<>(List.of(from));
    cameFrom.put(from, null);
    while (!queue.isEmpty()) {
      String type = queue.poll();
      if (type.equals(to)) {
        List<String> path = new ArrayList<>();
        for (String at = type; at != null; at = cameFrom.get(at)) {
          path.add(0, at);
        }
        return path;
      }
      for (Holding h : holdings) {
        if (h.owner().equals(type) && h.held() != null && !ending.contains(h.held())
            && !cameFrom.containsKey(h.held())) {
          cameFrom.put(h.held(), type);
          queue.add(h.held());
        }
      }
    }
    return null;
  }
}
