package org.onyxrpc.client;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that does, for every caller-runs connection of a kind in the process, the I/O no
 * caller is there to do: it reads the replies nobody waits for (async calls, retransmissions,
 * calls whose caller left) once bytes arrive, if no caller has taken the turn meanwhile, and
 * writes the calls a full socket did not take once it drains. However many clients there are,
 * this is one thread, not one each. Registration happens on this thread alone.
 */
final class BackgroundReader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BackgroundReader.class);

  /** A connection the reader watches; its methods run on the reader's thread. */
  interface Watched {
    /** Registers with {@code selector}, or updates the interest, for what is wanted of it now. */
    void armBackgroundRead(Selector selector);

    /** Its socket is ready for what was wanted ({@code key}'s attachment is this). */
    void onReady(SelectionKey key);
  }

  private final Selector selector;
  private final Queue<Watched> wanted = new ConcurrentLinkedQueue<>();
  private final Thread thread;
  private volatile boolean closed;

  /** Starts the thread, named {@code threadName} (with a number). */
  BackgroundReader(String threadName) {
    try {
      selector = Selector.open();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    thread = new DefaultThreadFactory(threadName, true).newThread(this::run);
    thread.start();
  }

  /** Serves {@code connection} once it is ready (it is then unwatched until it asks again). */
  void watch(Watched connection) {
    wanted.add(connection);
    selector.wakeup();
  }

  private void run() {
    try {
      while (!closed) {
        selector.select(this::ready);
        Watched c;
        while ((c = wanted.poll()) != null) {
          c.armBackgroundRead(selector);
        }
      }
    } catch (IOException | ClosedSelectorException e) {
      if (!closed) {
        LOG.warn("background reader {} stopped: {}", thread.getName(), e.toString());
      }
    } finally {
      try {
        selector.close();
      } catch (IOException e) {
        LOG.debug("closing the selector of {}: {}", thread.getName(), e.toString());
      }
    }
  }

  private void ready(SelectionKey key) {
    try {
      ((Watched) key.attachment()).onReady(key);
    } catch (CancelledKeyException e) {
      // Its client closed it on another thread since the select (clients made and closed by
      // the thousand do): the connection has nothing left to do here, and no one to warn.
      LOG.debug("{}: a connection closed before its turn", thread.getName());
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
