package org.onyxrpc.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Registers meters that read one number of an owner's stats (a client's or a server's) each time
 * the registry is read. The registry holds the owner weakly, so the functions must not capture it.
 */
final class StatsMeters<O, S> {
  private final MeterRegistry registry;
  private final O owner;
  private final Function<O, S> stats;
  private final Tags tags;

  StatsMeters(MeterRegistry registry, O owner, Function<O, S> stats, Tags tags) {
    this.registry = registry;
    this.owner = owner;
    this.stats = stats;
    this.tags = tags;
  }

  void counter(String name, String description, ToLongFunction<S> value) {
    FunctionCounter.builder(name, owner, o -> value.applyAsLong(stats.apply(o)))
        .description(description)
        .tags(tags)
        .register(registry);
  }

  void gauge(String name, String description, ToLongFunction<S> value) {
    Gauge.builder(name, owner, o -> value.applyAsLong(stats.apply(o)))
        .description(description)
        .tags(tags)
        .register(registry);
  }
}
