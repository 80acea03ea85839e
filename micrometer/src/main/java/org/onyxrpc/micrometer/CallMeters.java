package org.onyxrpc.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcStatus;

/**
 * The meters of one side's calls, per procedure: a timer per status ({@code <prefix>.calls}:
 * count, total time and a latency histogram) and a gauge of the calls in flight ({@code
 * <prefix>.calls.active}). Meters are made on a procedure's first call and then reused; they
 * are keyed by the procedure's numbers, not its {@link Procedure} object, so that callers that
 * make a new one per call (a generic client) do not make new meters.
 */
final class CallMeters {
  private static final RpcStatus[] STATUSES = RpcStatus.values();

  private final MeterRegistry registry;
  private final String prefix;
  private final Tags tags;
  private final ConcurrentMap<Numbers, PerProcedure> procedures = new ConcurrentHashMap<>();

  /** What identifies a procedure on the wire. */
  private record Numbers(int program, int version, int procedure) {}

  CallMeters(MeterRegistry registry, String prefix, Iterable<Tag> tags) {
    this.registry = registry;
    this.prefix = prefix;
    this.tags = Tags.of(tags);
  }

  /** A call of {@code procedure} started. */
  void started(Procedure<?, ?> procedure) {
    of(procedure).active.incrementAndGet();
  }

  /** A call that {@link #started} ended with {@code status} after {@code nanos}. */
  void ended(Procedure<?, ?> procedure, RpcStatus status, long nanos) {
    PerProcedure p = of(procedure);
    p.active.decrementAndGet();
    p.timer(status).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** How many procedures have meters. */
  int procedures() {
    return procedures.size();
  }

  private PerProcedure of(Procedure<?, ?> procedure) {
    Numbers key = new Numbers(procedure.program(), procedure.version(), procedure.number());
    PerProcedure p = procedures.get(key);
    return p != null ? p : procedures.computeIfAbsent(key, k -> new PerProcedure(procedure));
  }

  /** The meters of one procedure. */
  private final class PerProcedure {
    final AtomicInteger active;
    final Tags procedureTags;
    final AtomicReferenceArray<Timer> timers = new AtomicReferenceArray<>(STATUSES.length);

    PerProcedure(Procedure<?, ?> procedure) {
      procedureTags = tags.and(
          "program", Integer.toUnsignedString(procedure.program()),
          "version", Integer.toUnsignedString(procedure.version()),
          "procedure", Integer.toUnsignedString(procedure.number()),
          "method", procedure.name());
      active = ActiveCalls.of(registry, prefix + ".calls.active", procedureTags);
    }

    Timer timer(RpcStatus status) {
      Timer t = timers.get(status.ordinal());
      if (t == null) {
        // Registering twice returns the same timer: a race only repeats the lookup.
        t = Timer.builder(prefix + ".calls")
            .description("calls, by procedure and status, with their latency")
            .tags(procedureTags)
            .tag("status", status.name())
            .publishPercentileHistogram()
            .register(registry);
        timers.set(status.ordinal(), t);
      }
      return t;
    }
  }
}
