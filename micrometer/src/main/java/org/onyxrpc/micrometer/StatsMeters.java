package org.onyxrpc.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The meters that read one number of an owner's stats (a client's or a server's) each time the
 * registry is read: declared once, then bound to registries and given back on {@link #close}.
 * The registry holds the owner weakly, so the functions must not capture it.
 *
 * <p>A registry keeps one meter per name and tags and hands that one to whoever registers the
 * same again: a second owner with the tags of the first would be bound to the first's numbers,
 * never read. So a binding that meets a meter it did not make is refused and undone.
 */
final class StatsMeters<O, S> implements AutoCloseable {
  private record Definition<S>(String name, String description, ToLongFunction<S> value,
      boolean gauge) {}

  private record Binding(MeterRegistry registry, List<Meter> meters) {}

  private final String ownerKind;
  private final O owner;
  private final Function<O, S> stats;
  private final Tags tags;
  private final List<Definition<S>> definitions = new ArrayList<>();
  private final List<Binding> bindings = new ArrayList<>(); // guarded by this

  /** Meters of {@code owner}, a "client" or a "server" ({@code ownerKind}, for messages). */
  StatsMeters(String ownerKind, O owner, Function<O, S> stats, Tags tags) {
    this.ownerKind = ownerKind;
    this.owner = owner;
    this.stats = stats;
    this.tags = tags;
  }

  StatsMeters<O, S> counter(String name, String description, ToLongFunction<S> value) {
    definitions.add(new Definition<>(name, description, value, false));
    return this;
  }

  StatsMeters<O, S> gauge(String name, String description, ToLongFunction<S> value) {
    definitions.add(new Definition<>(name, description, value, true));
    return this;
  }

  /**
   * Registers every meter in {@code registry}.
   *
   * @throws IllegalStateException if another {@link #ownerKind} is bound there with these tags
   */
  synchronized void bindTo(MeterRegistry registry) {
    List<Meter> made = new ArrayList<>(definitions.size());
    List<Tag> exactly = tags.stream().toList();
    for (Definition<S> d : definitions) {
      Set<Meter> before = Collections.newSetFromMap(new IdentityHashMap<>());
      before.addAll(registry.find(d.name()).meters());
      // Refused before registering when the clash is plain to see, or Micrometer logs a WARN of
      // its own first; a registry whose filters change names or tags is caught after.
      Meter meter = before.stream().filter(m -> m.getId().getTags().equals(exactly)).findFirst()
          .orElseGet(() -> register(registry, d));
      if (before.contains(meter)) {
        made.forEach(registry::remove);
        throw new IllegalStateException(meter.getId().getName() + meter.getId().getTags()
            + " is already bound to another " + ownerKind + " in this registry: give each "
            + ownerKind + " a distinguishing tag (the constructor's tags, the same keys for all),"
            + " or close the other's binding when that " + ownerKind + " closes");
      }
      made.add(meter);
    }
    bindings.add(new Binding(registry, List.copyOf(made)));
  }

  private Meter register(MeterRegistry registry, Definition<S> d) {
    ToLongFunction<S> value = d.value();
    Function<O, S> read = stats;
    if (d.gauge()) {
      return Gauge.builder(d.name(), owner, o -> value.applyAsLong(read.apply(o)))
          .description(d.description()).tags(tags).register(registry);
    }
    return FunctionCounter.builder(d.name(), owner, o -> value.applyAsLong(read.apply(o)))
        .description(d.description()).tags(tags).register(registry);
  }

  /** Removes every meter bound from its registry. */
  @Override
  public synchronized void close() {
    for (Binding b : bindings) {
      b.meters().forEach(b.registry()::remove);
    }
    bindings.clear();
  }
}
