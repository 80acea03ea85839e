package org.onyxrpc.client;

import io.netty.channel.EventLoop;
import java.util.concurrent.RejectedExecutionException;

/** The owner of an event-loop client's call state: the event loop of its connections. */
final class EventLoopOwner implements CallOwner {
  private final EventLoop loop;

  EventLoopOwner(EventLoop loop) {
    this.loop = loop;
  }

  EventLoop loop() {
    return loop;
  }

  @Override
  public boolean isOwner() {
    return loop.inEventLoop();
  }

  @Override
  public boolean waitWouldBlockItself() {
    return loop.inEventLoop();
  }

  @Override
  public boolean tryEnter() {
    return loop.inEventLoop();
  }

  @Override
  public void exit() {
    // The loop runs what others hand it itself.
  }

  @Override
  public void runLeft() {
    // The loop runs what others hand it; nothing waits on it.
  }

  @Override
  public void execute(Runnable task) {
    if (loop.inEventLoop()) {
      task.run();
      return;
    }
    try {
      loop.execute(task);
    } catch (RejectedExecutionException e) {
      // A supplied event loop shut down under the client: nobody can own any more but this
      // thread, and the task (failing calls, as a close does) must not be lost.
      task.run();
    }
  }
}
