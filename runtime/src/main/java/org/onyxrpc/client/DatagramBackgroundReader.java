package org.onyxrpc.client;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.onyxrpc.internal.SharedResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that reads, for every caller-runs UDP socket of the process, the replies no caller
 * waits for (async calls, calls whose caller left): once a datagram arrives, if no caller has
 * taken the socket's turn meanwhile. Registration happens on this thread alone. Made when the
 * first caller-runs UDP client is built, gone when the last is closed.
 */
final class DatagramBackgroundReader implements AutoCloseable {
  static final SharedResource<DatagramBackgroundReader> SHARED =
      new SharedResource<>(DatagramBackgroundReader::new, DatagramBackgroundReader::close);
  private static final Logger LOG = LoggerFactory.getLogger(DatagramBackgroundReader.class);

  private final Selector selector;
  private final Queue<DatagramCallerRunsConnection> wanted = new ConcurrentLinkedQueue<>();
  private final Thread thread;
  private volatile boolean closed;

  DatagramBackgroundReader() {
    try {
      selector = Selector.open();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    thread = new DefaultThreadFactory("onyx-client-udp-reader", true).newThread(this::run);
    thread.start();
  }

  /** Reads {@code socket} once a datagram arrives (it is then unwatched until it asks again). */
  void watch(DatagramCallerRunsConnection socket) {
    wanted.add(socket);
    selector.wakeup();
  }

  private void run() {
    try {
      while (!closed) {
        selector.select(this::ready);
        DatagramCallerRunsConnection c;
        while ((c = wanted.poll()) != null) {
          c.armBackgroundRead(selector);
        }
      }
    } catch (IOException | ClosedSelectorException e) {
      if (!closed) {
        LOG.warn("background UDP reader stopped: {}", e.toString());
      }
    } finally {
      try {
        selector.close();
      } catch (IOException e) {
        LOG.debug("closing the background UDP reader's selector: {}", e.toString());
      }
    }
  }

  private void ready(SelectionKey key) {
    try {
      ((DatagramCallerRunsConnection) key.attachment()).onReadable(key);
    } catch (RuntimeException e) {
      LOG.warn("background UDP read failed: {}", e.toString(), e);
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
