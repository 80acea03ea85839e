package org.onyxrpc.client;

import java.util.ArrayList;
import java.util.List;

/**
 * Every order in which some threads' steps can interleave, each thread's own steps kept in
 * order: the exhaustive schedules of the leader/followers and owner tests.
 */
final class Interleavings {
  private Interleavings() {}

  /** Checks one schedule: the index of the thread that takes each step, in turn. */
  interface Check {
    void accept(List<Integer> order) throws Exception;
  }

  /** Runs {@code check} once for every interleaving of {@code programs}, one list of steps each. */
  static void each(List<? extends List<?>> programs, Check check) throws Exception {
    walk(programs, new int[programs.size()], new ArrayList<>(), check);
  }

  private static void walk(List<? extends List<?>> programs, int[] done, List<Integer> order,
      Check check) throws Exception {
    boolean any = false;
    for (int who = 0; who < programs.size(); who++) {
      if (done[who] < programs.get(who).size()) {
        any = true;
        done[who]++;
        order.add(who);
        walk(programs, done, order, check);
        order.remove(order.size() - 1);
        done[who]--;
      }
    }
    if (!any) {
      check.accept(List.copyOf(order));
    }
  }
}
