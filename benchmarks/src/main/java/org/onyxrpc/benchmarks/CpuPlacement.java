package org.onyxrpc.benchmarks;

import java.util.List;

/**
 * Where a C peer's process runs. With busy CPUs this VM gives a call one of two latencies,
 * depending on whether the scheduler put its two ends on one CPU or on two; {@code run.sh
 * --profile placement} pins each end to take one mode at a time. The CPUs come from the system
 * property {@code onyx.bench.cpus.ROLE} (a {@code taskset -c} list such as {@code 0} or
 * {@code 0-1}); unset, the process runs wherever the scheduler puts it.
 */
final class CpuPlacement {
  private CpuPlacement() {}

  /** The command words to put before the peer's own: {@code taskset -c LIST}, or none. */
  static List<String> prefix(String role) {
    String cpus = System.getProperty("onyx.bench.cpus." + role, "").trim();
    if (cpus.isEmpty()) {
      return List.of();
    }
    if (!cpus.matches("[0-9]+([-,][0-9]+)*")) {
      throw new IllegalArgumentException(
          "onyx.bench.cpus." + role + " is not a CPU list such as 0 or 0-1: '" + cpus + "'");
    }
    return List.of("taskset", "-c", cpus);
  }
}
