package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onyxrpc.mq.QueueSemanticsTest.errorOf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.mq.internal.wire.Access;
import org.onyxrpc.mq.internal.wire.Message;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1;
import org.onyxrpc.mq.internal.wire.OpenRequest;
import org.onyxrpc.mq.internal.wire.Receipt;
import org.onyxrpc.mq.internal.wire.ReceiveRequest;
import org.onyxrpc.rpc.AuthSys;

/**
 * A durable queue survives {@code kill -9} of a standalone server (a forked JVM destroyed
 * forcibly while a producer sends) with every acknowledged message and without the committed ones;
 * a message reserved and not committed when the server died comes back. Two producers and two
 * consumers of another queue run through the same kill ({@link Traffic}).
 */
class DurabilityTest {
  @TempDir
  Path data;

  private final List<Process> servers = new ArrayList<>();
  private final List<RpcClient> clients = new ArrayList<>();

  @AfterEach
  void stop() {
    clients.forEach(RpcClient::close);
    servers.forEach(Process::destroyForcibly);
  }

  /** Starts the standalone server in a new JVM on this test's class path; returns its port. */
  private int startServer() throws IOException {
    Process p = QueueServerProcess.start(data, ProcessBuilder.Redirect.DISCARD);
    servers.add(p);
    return QueueServerProcess.port(p);
  }

  private RpcClient client(int port) {
    RpcClient c = RpcClient.builder().address("127.0.0.1", port)
        .credentials(new AuthSys(0, "test", 1000, 100, new int[0]))
        .timeout(Duration.ofSeconds(5)).build();
    clients.add(c);
    return c;
  }

  private static byte[] id(int i) {
    return ByteBuffer.allocate(4).putInt(i).array();
  }

  @Test
  void everyAcknowledgedMessageSurvivesKillMinus9() throws Exception {
    int port = startServer();
    RpcClient rpc = client(port);
    MessageQueue q = MessageQueues.open(rpc, "/durable",
        OpenOptions.create(0600, QueueAttributes.of(60_000, 16)).durable());
    MessageQueue gone = MessageQueues.open(rpc, "/unlinked", OpenOptions.create(0600, QueueAttributes.of(1, 1)).durable());
    gone.send(new byte[1], 0);
    MessageQueues.unlink(rpc, "/unlinked");
    MessageQueues.open(rpc, "/volatile", OpenOptions.create(0600, QueueAttributes.of(1, 1))).send(new byte[1], 0);

    for (int i = 0; i < 200; i++) {
      q.send(id(i), i % 3);
    }
    // A receive committed, and one only reserved (a raw call: the client library always commits).
    MessageQueue leased = MessageQueues.open(rpc, "/reserved", OpenOptions.create(0600, QueueAttributes.of(10, 4)).durable());
    for (int i = 0; i < 3; i++) {
      leased.send(id(i), 0);
    }
    assertEquals(0, ByteBuffer.wrap(leased.receive().message()).getInt());
    long raw = rpc.call(MessageQueueServiceV1.OPEN,
        new OpenRequest("/reserved", Access.READ_ONLY, false, false, 0, 0, 0, false)).value().handle();
    Message reserved = rpc.call(MessageQueueServiceV1.RECEIVE, new ReceiveRequest(new Receipt(raw, 1), 0)).value();
    assertEquals(1, ByteBuffer.wrap(reserved.message()).getInt());
    Set<Integer> taken = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      taken.add(ByteBuffer.wrap(q.receive().message()).getInt());
    }

    // Two producers and two consumers on another queue run through the kill too.
    Traffic traffic = new Traffic(port);
    // A producer keeps sending; the server is killed under it.
    Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
    CountDownLatch someAcknowledged = new CountDownLatch(100);
    CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
      for (int i = 200; ; i++) {
        try {
          // A bounded wait, so that the send to the killed server gives up soon (its deadline: 1 s + 5 s).
          q.send(id(i), i % 3, Duration.ofSeconds(1));
        } catch (RuntimeException serverGone) {
          return;
        }
        acknowledged.add(i);
        someAcknowledged.countDown();
      }
    });
    assertTrue(someAcknowledged.await(60, TimeUnit.SECONDS));
    assertTrue(traffic.enough.await(60, TimeUnit.SECONDS));
    Process server = servers.get(0);
    server.destroyForcibly();
    server.waitFor(30, TimeUnit.SECONDS);
    producer.get(60, TimeUnit.SECONDS);
    traffic.stopped();

    RpcClient after = client(startServer());
    traffic.checkAfterTheRestart(after);
    assertEquals(MqError.ENOENT, errorOf(() -> MessageQueues.open(after, "/unlinked", OpenOptions.existing())));
    assertEquals(MqError.ENOENT, errorOf(() -> MessageQueues.open(after, "/volatile", OpenOptions.existing())));
    MessageQueue back = MessageQueues.open(after, "/reserved", OpenOptions.existing());
    assertEquals(1, ByteBuffer.wrap(back.tryReceive().message()).getInt(), "the reserved message came back");
    assertEquals(2, ByteBuffer.wrap(back.tryReceive().message()).getInt());
    assertEquals(MqError.EAGAIN, errorOf(back::tryReceive), "the committed message came back");
    MessageQueue recovered = MessageQueues.open(after, "/durable", OpenOptions.existing());
    Set<Integer> present = new HashSet<>();
    int lastPriority = Integer.MAX_VALUE;
    int lastId = -1;
    while (true) {
      ReceivedMessage m;
      try {
        m = recovered.tryReceive();
      } catch (MessageQueueException empty) {
        assertEquals(MqError.EAGAIN, empty.error());
        break;
      }
      int i = ByteBuffer.wrap(m.message()).getInt();
      assertEquals(i % 3, m.priority());
      assertTrue(present.add(i), "message " + i + " twice");
      if (m.priority() != lastPriority) {
        assertTrue(m.priority() < lastPriority, "priority order");
        lastPriority = m.priority();
        lastId = -1;
      }
      assertTrue(i > lastId, "FIFO within a priority");
      lastId = i;
    }
    for (int i = 0; i < 200; i++) {
      assertEquals(!taken.contains(i), present.contains(i), "message " + i);
    }
    for (int i : acknowledged) {
      assertTrue(present.contains(i), "acknowledged message " + i + " lost");
    }
    assertTrue(acknowledged.size() >= 100);
  }

  /**
   * Two producers and two consumers of {@code /traffic}, killed with the server: every
   * acknowledged message is there after the restart or was received before it, never both, and
   * nothing is received twice; only a receive whose commit's outcome is unknown ("may have taken
   * it") may have taken one that nobody got.
   */
  private final class Traffic {
    final Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
    final Set<Integer> received = ConcurrentHashMap.newKeySet();
    final List<Integer> receivedTwice = new CopyOnWriteArrayList<>();
    final AtomicInteger unknownCommits = new AtomicInteger();
    final CountDownLatch enough = new CountDownLatch(300);
    final List<CompletableFuture<Void>> workers = new ArrayList<>();

    Traffic(int port) {
      MessageQueues.open(client(port), "/traffic", OpenOptions.create(0600, QueueAttributes.of(60_000, 16)).durable())
          .close();
      for (int p = 0; p < 2; p++) {
        MessageQueue q = MessageQueues.open(client(port), "/traffic", OpenOptions.existing().writeOnly());
        int first = p * 1_000_000;
        workers.add(CompletableFuture.runAsync(() -> produce(q, first)));
      }
      for (int c = 0; c < 2; c++) {
        MessageQueue q = MessageQueues.open(client(port), "/traffic", OpenOptions.existing().readOnly());
        workers.add(CompletableFuture.runAsync(() -> consume(q)));
      }
    }

    private void produce(MessageQueue q, int first) {
      for (int i = first; ; i++) {
        try {
          q.send(id(i), i % 3, Duration.ofSeconds(1));
        } catch (RuntimeException serverGone) {
          return;
        }
        acknowledged.add(i);
        enough.countDown();
      }
    }

    private void consume(MessageQueue q) {
      while (true) {
        int i;
        try {
          i = ByteBuffer.wrap(q.receive(Duration.ofSeconds(1)).message()).getInt();
        } catch (MessageQueueException e) {
          if (e.error() == MqError.ETIMEDOUT) {
            continue;
          }
          return;
        } catch (RuntimeException serverGone) {
          if (String.valueOf(serverGone.getMessage()).contains("may have taken it")) {
            unknownCommits.incrementAndGet();
          }
          return;
        }
        if (!received.add(i)) {
          receivedTwice.add(i);
        }
        enough.countDown();
      }
    }

    void stopped() throws Exception {
      CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    }

    void checkAfterTheRestart(RpcClient after) {
      MessageQueue recovered = MessageQueues.open(after, "/traffic", OpenOptions.existing());
      Set<Integer> present = new HashSet<>();
      while (true) {
        int i;
        try {
          i = ByteBuffer.wrap(recovered.tryReceive().message()).getInt();
        } catch (MessageQueueException empty) {
          assertEquals(MqError.EAGAIN, empty.error());
          break;
        }
        assertTrue(present.add(i), "message " + i + " twice after the restart");
        assertTrue(!received.contains(i), "message " + i + " received before the kill and there after it");
      }
      assertEquals(List.of(), receivedTwice, "received twice");
      long lost = acknowledged.stream().filter(i -> !present.contains(i) && !received.contains(i)).count();
      assertTrue(lost <= unknownCommits.get(), lost + " acknowledged messages lost, "
          + unknownCommits.get() + " commits of unknown outcome");
    }
  }
}
