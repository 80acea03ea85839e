package org.onyxrpc.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.ToLongFunction;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServerStats;

/**
 * A server's own counters ({@link RpcServer#stats()}) as Micrometer meters, read when the
 * registry is: function counters {@code onyx.server.handled} (calls handed to a procedure, NULL
 * pings included), {@code .malformed}, {@code .error.replies}, {@code .rejected.connections},
 * {@code .dropped.datagrams}, {@code .duplicates.replayed}, {@code .duplicates.dropped}, {@code
 * .outcome.unknown}; gauges {@code onyx.server.drc.replies} and {@code onyx.server.drc.bytes}
 * (the duplicate request cache now).
 *
 * <pre>{@code
 * new ServerStatsMetrics(server).bindTo(registry);
 * }</pre>
 */
public final class ServerStatsMetrics implements MeterBinder {
  private final RpcServer server;
  private final Tags tags;

  /** The counters of {@code server}. */
  public ServerStatsMetrics(RpcServer server) {
    this(server, Tags.empty());
  }

  /** The counters of {@code server}, also tagged with {@code tags}. */
  public ServerStatsMetrics(RpcServer server, Iterable<Tag> tags) {
    this.server = server;
    this.tags = Tags.of(tags);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    counter(registry, "onyx.server.handled", "calls handed to a procedure", ServerStats::calls);
    counter(registry, "onyx.server.malformed", "messages dropped unread",
        ServerStats::malformedMessages);
    counter(registry, "onyx.server.error.replies", "calls answered with an error status",
        ServerStats::errorReplies);
    counter(registry, "onyx.server.rejected.connections", "connections over the maximum",
        ServerStats::rejectedConnections);
    counter(registry, "onyx.server.dropped.datagrams", "UDP calls dropped",
        ServerStats::droppedDatagrams);
    counter(registry, "onyx.server.duplicates.replayed", "retransmissions answered from the cache",
        ServerStats::duplicatesReplayed);
    counter(registry, "onyx.server.duplicates.dropped", "retransmissions of calls still running",
        ServerStats::duplicatesInProgressDropped);
    counter(registry, "onyx.server.outcome.unknown", "retransmissions the server could not account for",
        ServerStats::outcomeUnknownReplies);
    gauge(registry, "onyx.server.drc.replies", "replies in the duplicate request cache",
        ServerStats::cachedReplies);
    gauge(registry, "onyx.server.drc.bytes", "bytes of those replies", ServerStats::cachedReplyBytes);
  }

  private void counter(MeterRegistry registry, String name, String description,
      ToLongFunction<ServerStats> value) {
    FunctionCounter.builder(name, server, s -> value.applyAsLong(s.stats()))
        .description(description)
        .tags(tags)
        .register(registry);
  }

  private void gauge(MeterRegistry registry, String name, String description,
      ToLongFunction<ServerStats> value) {
    Gauge.builder(name, server, s -> value.applyAsLong(s.stats()))
        .description(description)
        .tags(tags)
        .register(registry);
  }
}
