package org.onyxrpc.client;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that does, for every caller-runs connection of the process, the I/O no caller is
 * there to do: it reads the replies nobody waits for (async calls, retransmissions) once bytes
 * arrive, if no caller has taken the turn meanwhile, and writes the calls a full socket did not
 * take once it drains. However many clients there are, this is one thread, not one each.
 * Registration happens on this thread alone.
 */
final class BackgroundReader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BackgroundReader.class);

  private final Selector selector;
  private final Queue<CallerRunsConnection> wanted = new ConcurrentLinkedQueue<>();
  private final Thread thread;
  private volatile boolean closed;

  BackgroundReader() {
    try {
      selector = Selector.open();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    thread = new DefaultThreadFactory("onyx-client-reader", true).newThread(this::run);
    thread.start();
  }

  /** Reads {@code connection} once bytes arrive (it is then unwatched until it asks again). */
  void watch(CallerRunsConnection connection) {
    wanted.add(connection);
    selector.wakeup();
  }

  private void run() {
    try {
      while (!closed) {
        selector.select(this::ready);
        CallerRunsConnection c;
        while ((c = wanted.poll()) != null) {
          c.armBackgroundRead(selector);
        }
      }
    } catch (IOException | ClosedSelectorException e) {
      if (!closed) {
        LOG.warn("background reader stopped: {}", e.toString());
      }
    } finally {
      try {
        selector.close();
      } catch (IOException e) {
        LOG.debug("closing the background reader's selector: {}", e.toString());
      }
    }
  }

  private void ready(SelectionKey key) {
    try {
      ((CallerRunsConnection) key.attachment()).onReady(key);
    } catch (RuntimeException e) {
      LOG.warn("background I/O failed: {}", e.toString(), e);
    }
  }

  /** Stops the thread; its last user has closed. */
  @Override
  public void close() {
    closed = true;
    selector.wakeup();
  }

  /** The thread, for tests that wait for it to end. */
  Thread thread() {
    return thread;
  }
}
