package org.onyxrpc.client;

import io.netty.channel.EventLoopGroup;
import org.onyxrpc.internal.SharedResource;
import org.onyxrpc.internal.transport.InProcessClientLoops;
import org.onyxrpc.internal.transport.NettyTransports;

/**
 * The event loops of the clients that bring none: as many threads as cores (at least two),
 * whatever the number of clients; started by the first such client and stopped when the last
 * closes.
 */
final class SharedEventLoops {
  static final SharedResource<EventLoopGroup> SHARED = new SharedResource<>(
      () -> NettyTransports.newEventLoopGroup(
          Math.max(2, Runtime.getRuntime().availableProcessors()), "onyx-client-io"),
      group -> group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS));

  /**
   * The same for in-process clients, whose channels cannot run on the loops above; in-process
   * servers hold them too (InProcessClientLoops says why).
   */
  static final SharedResource<EventLoopGroup> IN_PROCESS = InProcessClientLoops.SHARED;

  private SharedEventLoops() {}

  /** The shared loops a client of {@code transport} runs on. */
  static SharedResource<EventLoopGroup> of(org.onyxrpc.transport.Transport transport) {
    return transport == org.onyxrpc.transport.Transport.IN_PROCESS ? IN_PROCESS : SHARED;
  }
}
