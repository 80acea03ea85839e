package org.onyxrpc.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.onyxrpc.server.RpcServer;

/** What a server's close promises whatever its peers do: it ends in time and leaves no thread. */
public final class BoundedClose {
  private BoundedClose() {}

  /**
   * Closes {@code server}, asserting that the close took less than {@code bound} and that no
   * {@code onyx-server} thread is left alive soon after.
   */
  public static void closeWithin(RpcServer server, Duration bound) {
    long start = System.nanoTime();
    server.close();
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertTrue(took.compareTo(bound) < 0, "close took " + took);
    Await.until(() -> Thread.getAllStackTraces().keySet().stream()
        .noneMatch(t -> t.isAlive() && t.getName().startsWith("onyx-server")), Duration.ofSeconds(10));
  }
}
