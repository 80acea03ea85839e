package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.AuthSys;

/**
 * A standalone queue server on a small heap ({@code -Xmx64m}) with its default limits: queues of
 * large messages filled up, and senders piled on them. What it holds must stay within its heap:
 * it refuses what it cannot hold (a queue too large for it, a send it has no room to wait with),
 * never dies of an {@link OutOfMemoryError}, and serves on afterwards.
 */
class SmallHeapTest {
  private static final int MIB = 1 << 20;

  @TempDir
  Path work;

  private Process server;
  private final List<RpcClient> clients = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    clients.forEach(RpcClient::close);
    if (server != null) {
      server.destroyForcibly();
      server.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private int startServer(Path errors) throws IOException {
    server = QueueServerProcess.start(work.resolve("data"), ProcessBuilder.Redirect.to(errors.toFile()),
        "-Xmx64m", "-XX:+ExitOnOutOfMemoryError");
    return QueueServerProcess.port(server);
  }

  private RpcClient client(int port) {
    RpcClient c = RpcClient.builder().address("127.0.0.1", port)
        .credentials(new AuthSys(0, "test", 1000, 100, new int[0]))
        .timeout(Duration.ofSeconds(30)).build();
    clients.add(c);
    return c;
  }

  @Test
  void queuesAndWaitingSendsOfLargeMessagesStayWithinTheHeap() throws Exception {
    Path errors = work.resolve("server-stderr");
    int port = startServer(errors);
    RpcClient rpc = client(port);
    byte[] large = new byte[MIB];
    List<MessageQueue> filled = new ArrayList<>();
    // Queue after queue of 1 MiB messages, each filled: the server takes them while it has room.
    for (int i = 0; i < 8; i++) {
      MessageQueue q;
      try {
        q = MessageQueues.open(rpc, "/big" + i, OpenOptions.create(0600, QueueAttributes.of(4, MIB)));
      } catch (MessageQueueException refused) {
        assertTrue(refused.error() == MqError.ENOSPC || refused.error() == MqError.EMFILE, refused.toString());
        break;
      }
      filled.add(q);
      for (int m = 0; m < 4; m++) {
        large[0] = (byte) m;
        q.send(large, 0, Duration.ofSeconds(30));
      }
    }
    assertFalse(filled.isEmpty(), "no queue of 4 x 1 MiB at all");
    // Senders piled on the full queues: each waits with its message, or is refused at once.
    List<CompletableFuture<Void>> waiting = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      waiting.add(filled.get(i % filled.size()).sendAsync(large, 0, Duration.ofSeconds(20)));
    }
    // The server still serves: a small queue works, and every filled queue gives its messages back.
    MessageQueue small = MessageQueues.open(client(port), "/small", OpenOptions.create(0600, QueueAttributes.of(1, 8)));
    small.send(new byte[] {42}, 0, Duration.ofSeconds(30));
    assertArrayEquals(new byte[] {42}, small.receive(Duration.ofSeconds(30)).message());
    for (MessageQueue q : filled) {
      assertEquals(0, q.receive(Duration.ofSeconds(30)).message()[0]);
    }
    for (CompletableFuture<Void> w : waiting) {
      w.handle((ok, failure) -> null).get(60, TimeUnit.SECONDS);
    }
    assertTrue(server.isAlive(), "the server died: " + Files.readString(errors));
    String said = Files.readString(errors);
    assertFalse(said.contains("OutOfMemoryError"), said);
  }
}
