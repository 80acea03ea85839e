package org.onyxrpc.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServerStats;

/**
 * A server's own counters ({@link RpcServer#stats()}) as Micrometer meters, read when the
 * registry is: function counters {@code onyx.server.handled} (calls handed to a procedure, NULL
 * pings included), {@code .malformed}, {@code .error.replies}, {@code .rejected.connections},
 * {@code .dropped.datagrams}, {@code .duplicates.replayed}, {@code .duplicates.dropped}, {@code
 * .outcome.unknown}, {@code .dropped.queued}; gauges {@code onyx.server.drc.replies} and {@code
 * onyx.server.drc.bytes} (the duplicate request cache now).
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
    var meters = new StatsMeters<>(registry, server, RpcServer::stats, tags);
    meters.counter("onyx.server.handled", "calls handed to a procedure", ServerStats::calls);
    meters.counter("onyx.server.malformed", "messages dropped unread",
        ServerStats::malformedMessages);
    meters.counter("onyx.server.error.replies", "calls answered with an error status",
        ServerStats::errorReplies);
    meters.counter("onyx.server.rejected.connections", "connections over the maximum",
        ServerStats::rejectedConnections);
    meters.counter("onyx.server.dropped.datagrams", "UDP calls dropped",
        ServerStats::droppedDatagrams);
    meters.counter("onyx.server.duplicates.replayed", "retransmissions answered from the cache",
        ServerStats::duplicatesReplayed);
    meters.counter("onyx.server.duplicates.dropped", "retransmissions of calls still running",
        ServerStats::duplicatesInProgressDropped);
    meters.counter("onyx.server.outcome.unknown", "retransmissions the server could not account for",
        ServerStats::outcomeUnknownReplies);
    meters.counter("onyx.server.dropped.queued", "calls dropped unstarted, their connection closed",
        ServerStats::droppedQueuedCalls);
    meters.gauge("onyx.server.drc.replies", "replies in the duplicate request cache",
        ServerStats::cachedReplies);
    meters.gauge("onyx.server.drc.bytes", "bytes of those replies", ServerStats::cachedReplyBytes);
  }
}
