package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The one thread that does the caller-runs connections' I/O nobody waits for. */
class BackgroundReaderTest {
  /**
   * A client closed on another thread between the reader's select and its turn to serve the
   * connection cancels the key under it: the connection has nothing more to do, and no one is to
   * be warned. Before, the CancelledKeyException from the key's readyOps was logged at WARN with
   * its stack trace ("background I/O failed"), seen with 2,000 caller-runs clients made, called
   * and closed at once on virtual threads.
   */
  @Test
  void aConnectionClosedBetweenTheSelectAndItsTurnIsNoWarning() throws Exception {
    Pipe pipe = Pipe.open();
    pipe.source().configureBlocking(false);
    CountDownLatch served = new CountDownLatch(1);
    CountDownLatch next = new CountDownLatch(1);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stderr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    BackgroundReader reader = new BackgroundReader("background-reader-test");
    try {
      reader.watch(new BackgroundReader.Watched() {
        @Override
        public void armBackgroundRead(Selector selector) {
          try {
            pipe.source().register(selector, SelectionKey.OP_READ, this);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }

        @Override
        public void onReady(SelectionKey key) {
          try {
            pipe.source().close(); // as the client's close does, on its own thread, meanwhile
            key.readyOps(); // what a connection asks first
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          } finally {
            served.countDown();
          }
        }
      });
      pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
      assertTrue(served.await(60, TimeUnit.SECONDS), "the reader never served the pipe");
      // The reader goes on serving others after it: one more, whose turn follows the first's.
      Pipe other = Pipe.open();
      other.source().configureBlocking(false);
      reader.watch(new BackgroundReader.Watched() {
        @Override
        public void armBackgroundRead(Selector selector) {
          try {
            other.source().register(selector, SelectionKey.OP_READ, this);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }

        @Override
        public void onReady(SelectionKey key) {
          key.cancel();
          next.countDown();
        }
      });
      other.sink().write(ByteBuffer.wrap(new byte[] {1}));
      assertTrue(next.await(60, TimeUnit.SECONDS), "the reader stopped serving");
      other.sink().close();
      other.source().close();
    } finally {
      reader.close();
      reader.thread().join(TimeUnit.SECONDS.toMillis(60));
      System.setErr(stderr);
      pipe.sink().close();
    }
    assertFalse(reader.thread().isAlive());
    String logged = err.toString(StandardCharsets.UTF_8);
    assertFalse(logged.contains("WARN"), logged);
    assertEquals(-1, logged.indexOf("CancelledKeyException"), logged);
  }
}
