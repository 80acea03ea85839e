package org.onyxrpc.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.onyxrpc.client.ClientStats;
import org.onyxrpc.client.RpcClient;

/**
 * A client's own counters ({@link RpcClient#stats()}) as Micrometer function counters, read
 * when the registry is, tagged {@code peer} (the server's host:port) and any tags given:
 * {@code onyx.client.started}, {@code .retransmissions}, {@code .timeouts}, {@code
 * .late.replies}, {@code .connects}, {@code .outcome.unknown}.
 *
 * <p>A registry holds one client's meters per set of tags: a second client of the same peer
 * needs a tag of its own ({@code new ClientStatsMetrics(client, Tags.of("pool", "1"))}), or
 * {@link #bindTo} refuses it. Close this when the client closes: its meters leave the registry
 * (else they would report the closed client's counts, and hold its tags from a successor).
 *
 * <pre>{@code
 * ClientStatsMetrics metrics = new ClientStatsMetrics(client);
 * metrics.bindTo(registry);
 * ...
 * client.close();
 * metrics.close();
 * }</pre>
 */
public final class ClientStatsMetrics implements MeterBinder, AutoCloseable {
  private final StatsMeters<RpcClient, ClientStats> meters;

  /**
   * The counters of {@code client}.
   *
   * @param client read each time the registry is; tagged with its server's address as {@code peer}
   */
  public ClientStatsMetrics(RpcClient client) {
    this(client, Tags.empty());
  }

  /**
   * The counters of {@code client}, also tagged with {@code tags}.
   *
   * @param client read each time the registry is; tagged with its server's address as {@code peer}
   * @param tags added to {@code peer}; what tells apart two clients of the same server
   */

  public ClientStatsMetrics(RpcClient client, Iterable<Tag> tags) {
    this.meters = new StatsMeters<>("client", client, RpcClient::stats,
        Tags.of(tags).and("peer", peer(client.address())))
        .counter("onyx.client.started", "calls started, the client's own NULL pings too",
            ClientStats::calls)
        .counter("onyx.client.retransmissions", "transmissions after a call's first",
            ClientStats::retransmissions)
        .counter("onyx.client.timeouts", "calls without a reply by their deadline",
            ClientStats::timeouts)
        .counter("onyx.client.late.replies", "replies no call awaited", ClientStats::lateReplies)
        .counter("onyx.client.connects", "connections made", ClientStats::connects)
        .counter("onyx.client.outcome.unknown", "calls that may or may not have run",
            ClientStats::outcomeUnknown);
  }

  /** host:port over TCP and UDP; the socket's path or in-process name otherwise. */
  private static String peer(SocketAddress address) {
    return address instanceof InetSocketAddress inet
        ? inet.getHostString() + ":" + inet.getPort() : String.valueOf(address);
  }

  /**
   * Registers the meters in {@code registry}.
   *
   * @throws IllegalStateException if another client's are there with the same tags
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
