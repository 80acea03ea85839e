package org.onyxrpc.internal.transport;

import io.netty.channel.EventLoopGroup;
import java.util.concurrent.TimeUnit;
import org.onyxrpc.internal.SharedResource;

/**
 * The event loops of the in-process clients that bring none. In-process servers hold them too,
 * while they run: the server's end of a connection closes after the client's, on the server's
 * loop, and hands its last step to the client's loop. Had the last client's close stopped these
 * loops, Netty would log that step's rejection ("Releasing Inbound Queues ... because exception
 * occurred!", with a stack trace) for a connection that closed as it should.
 */
public final class InProcessClientLoops {
  /** Two daemon threads, made by the first user and stopped when the last releases them. */
  public static final SharedResource<EventLoopGroup> SHARED = new SharedResource<>(
      () -> NettyTransports.newInProcessEventLoopGroup(2, "onyx-client-inproc"),
      group -> group.shutdownGracefully(0, 0, TimeUnit.SECONDS));

  private InProcessClientLoops() {}
}
