package org.onyxrpc.micrometer;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The calls-in-flight counts of each registry, one per gauge. A registry keeps the first gauge
 * registered under a name and tags and returns it to later registrations, so every {@link
 * CallMeters} of that registry (one per client, as the README builds them) must count into the
 * number that gauge reads, not a number of its own that nobody reads. The gauge is registered
 * once, with its count: registering it again would make Micrometer log a WARN.
 */
final class ActiveCalls {
  private record Key(String name, Tags tags) {}

  /** Held while its registry is: a gauge holds its number weakly. */
  private static final Map<MeterRegistry, ConcurrentMap<Key, AtomicInteger>> REGISTRIES =
      Collections.synchronizedMap(new WeakHashMap<>());

  private ActiveCalls() {}

  /**
   * The count that the gauge {@code name} with {@code tags} in {@code registry} reads, the gauge
   * registered with it the first time.
   */
  static AtomicInteger of(MeterRegistry registry, String name, Tags tags) {
    ConcurrentMap<Key, AtomicInteger> counts =
        REGISTRIES.computeIfAbsent(registry, r -> new ConcurrentHashMap<>());
    return counts.computeIfAbsent(new Key(name, tags), k -> {
      AtomicInteger count = new AtomicInteger();
      Gauge.builder(name, count, AtomicInteger::get)
          .description("calls in flight")
          .tags(tags)
          .register(registry);
      return count;
    });
  }
}
