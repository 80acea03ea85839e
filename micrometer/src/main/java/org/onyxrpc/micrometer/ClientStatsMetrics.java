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
 * <pre>{@code
 * new ClientStatsMetrics(client).bindTo(registry);
 * }</pre>
 */
public final class ClientStatsMetrics implements MeterBinder {
  private final RpcClient client;
  private final Tags tags;

  /** The counters of {@code client}. */
  public ClientStatsMetrics(RpcClient client) {
    this(client, Tags.empty());
  }

  /** The counters of {@code client}, also tagged with {@code tags}. */
  public ClientStatsMetrics(RpcClient client, Iterable<Tag> tags) {
    this.client = client;
    this.tags = Tags.of(tags).and("peer", peer(client.address()));
  }

  /** host:port over TCP and UDP; the socket's path or in-process name otherwise. */
  private static String peer(SocketAddress address) {
    return address instanceof InetSocketAddress inet
        ? inet.getHostString() + ":" + inet.getPort() : String.valueOf(address);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    var meters = new StatsMeters<>(registry, client, RpcClient::stats, tags);
    meters.counter("onyx.client.started", "calls started", ClientStats::calls);
    meters.counter("onyx.client.retransmissions", "transmissions after a call's first",
        ClientStats::retransmissions);
    meters.counter("onyx.client.timeouts", "calls without a reply by their deadline",
        ClientStats::timeouts);
    meters.counter("onyx.client.late.replies", "replies no call awaited",
        ClientStats::lateReplies);
    meters.counter("onyx.client.connects", "connections made", ClientStats::connects);
    meters.counter("onyx.client.outcome.unknown", "calls that may or may not have run",
        ClientStats::outcomeUnknown);
  }
}
