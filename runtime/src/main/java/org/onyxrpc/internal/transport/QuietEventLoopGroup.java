package org.onyxrpc.internal.transport;

import io.netty.channel.IoEventLoop;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SingleThreadIoEventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/**
 * Netty's event loop group, except that shutting it down starts no thread. Netty completes each
 * loop's termination future on {@code GlobalEventExecutor}, whose thread is not a daemon and
 * lingers up to a second once idle (netty/netty#2084); the group's own listener on those futures
 * would start it at every shutdown and hold the JVM's exit that long. Here a loop's termination
 * future is completed by its thread as it ends, and listeners run there.
 *
 * <p>Also, a loop that stops closes the channels still registered with it, whenever its shutdown
 * was asked for. Netty's loop closes them ({@code IoHandler.prepareToDestroy}) only if it sees
 * the shutdown right after waiting for I/O: one asked for while it runs its tasks (the last
 * client's close, on the loop itself) ends it with its channels open, and a channel never
 * closed is never torn down, so the buffers its handlers keep are never released.
 */
final class QuietEventLoopGroup extends MultiThreadIoEventLoopGroup {
  QuietEventLoopGroup(int threads, ThreadFactory threadFactory, IoHandlerFactory io) {
    super(threads, threadFactory, io);
  }

  @Override
  protected IoEventLoop newChild(Executor executor, IoHandlerFactory io, Object... args) {
    Promise<Void> terminated = ImmediateEventExecutor.INSTANCE.newPromise();
    Executor endsTerminated = task -> executor.execute(() -> {
      try {
        task.run();
      } finally {
        terminated.trySuccess(null);
      }
    });
    return new QuietLoop(this, endsTerminated, io, terminated);
  }

  private static final class QuietLoop extends SingleThreadIoEventLoop {
    private final Promise<Void> terminated;

    QuietLoop(IoEventLoopGroup parent, Executor executor, IoHandlerFactory io, Promise<Void> terminated) {
      super(parent, executor, io);
      this.terminated = terminated;
    }

    /**
     * Closes the channels left open when the loop ends for a shutdown; their deregistration and
     * teardown are queued on this loop, which runs them as it confirms the shutdown. Once per
     * loop's life: nothing on the loop's hot path.
     */
    @Override
    protected void run() {
      super.run();
      if (isShuttingDown()) { // not a suspension: the loop ends
        ioHandler().prepareToDestroy(); // closes what is left; nothing if it already ran
      }
    }

    @Override
    public Future<?> terminationFuture() {
      return terminated;
    }
  }
}
