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
 * <p>A registry holds one server's meters per set of tags: a second server needs a tag of its
 * own ({@code new ServerStatsMetrics(server, Tags.of("server", "admin"))}), or {@link #bindTo}
 * refuses it. Close this when the server closes: its meters leave the registry.
 *
 * <pre>{@code
 * ServerStatsMetrics metrics = new ServerStatsMetrics(server);
 * metrics.bindTo(registry);
 * ...
 * server.close();
 * metrics.close();
 * }</pre>
 */
public final class ServerStatsMetrics implements MeterBinder, AutoCloseable {
  private final StatsMeters<RpcServer, ServerStats> meters;

  /**
   * The counters of {@code server}.
   *
   * @param server read each time the registry is
   */
  public ServerStatsMetrics(RpcServer server) {
    this(server, Tags.empty());
  }

  /**
   * The counters of {@code server}, also tagged with {@code tags}.
   *
   * @param server read each time the registry is
   * @param tags on every meter; what tells apart two servers in one registry
   */

  public ServerStatsMetrics(RpcServer server, Iterable<Tag> tags) {
    this.meters = new StatsMeters<>("server", server, RpcServer::stats, Tags.of(tags))
        .counter("onyx.server.handled", "calls handed to a procedure", ServerStats::calls)
        .counter("onyx.server.malformed", "messages dropped unread", ServerStats::malformedMessages)
        .counter("onyx.server.error.replies", "calls answered with an error status",
            ServerStats::errorReplies)
        .counter("onyx.server.rejected.connections", "connections over the maximum",
            ServerStats::rejectedConnections)
        .counter("onyx.server.dropped.datagrams", "UDP calls dropped", ServerStats::droppedDatagrams)
        .counter("onyx.server.duplicates.replayed", "retransmissions answered from the cache",
            ServerStats::duplicatesReplayed)
        .counter("onyx.server.duplicates.dropped", "retransmissions of calls still running",
            ServerStats::duplicatesInProgressDropped)
        .counter("onyx.server.outcome.unknown", "retransmissions the server could not account for",
            ServerStats::outcomeUnknownReplies)
        .counter("onyx.server.dropped.queued", "calls dropped unstarted, their connection closed",
            ServerStats::droppedQueuedCalls)
        .gauge("onyx.server.drc.replies", "replies in the duplicate request cache",
            ServerStats::cachedReplies)
        .gauge("onyx.server.drc.bytes", "bytes of those replies", ServerStats::cachedReplyBytes);
  }

  /**
   * Registers the meters in {@code registry}.
   *
   * @throws IllegalStateException if another server's are there with the same tags
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    meters.bindTo(registry);
  }

  /** Removes the meters from every registry they were bound to. */
  @Override
  public void close() {
    meters.close();
  }
}
