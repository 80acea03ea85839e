package org.onyxrpc.mq;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.rpc.AuthSys;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.testing.Await;

/**
 * Waiting calls are parked replies: a server whose handlers have one thread keeps serving while
 * dozens of receivers and senders wait on it.
 */
class WaitersHoldNoThreadTest {
  @Test
  void oneHandlerThreadServesWhileManyCallsWait() throws Exception {
    ExecutorService oneThread = Executors.newSingleThreadExecutor();
    QueueServer queues = QueueServer.builder().build();
    RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .directory(Directory.none()).executor(oneThread).addService(queues.service()).build().start();
    try (RpcClient waiters = client(server); RpcClient other = client(server)) {
      MessageQueue empty = MessageQueues.open(waiters, "/empty", OpenOptions.create(0600, QueueAttributes.of(64, 8)));
      MessageQueue full = MessageQueues.open(waiters, "/full", OpenOptions.create(0600, QueueAttributes.of(1, 8)));
      full.send(new byte[] {0}, 0);
      List<CompletableFuture<ReceivedMessage>> receivers = new ArrayList<>();
      List<CompletableFuture<Void>> senders = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        receivers.add(empty.receiveAsync(Duration.ofSeconds(30)));
        senders.add(full.sendAsync(new byte[] {(byte) (i + 1)}, 0, Duration.ofSeconds(30)));
      }
      awaitAllParked(queues);
      // The single handler thread is free: another client's calls go through and wake the waiters.
      MessageQueue emptyToo = MessageQueues.open(other, "/empty", OpenOptions.existing());
      for (int i = 0; i < 40; i++) {
        emptyToo.send(new byte[] {(byte) i}, 0);
      }
      for (CompletableFuture<ReceivedMessage> r : receivers) {
        r.get(30, TimeUnit.SECONDS);
      }
      MessageQueue fullToo = MessageQueues.open(other, "/full", OpenOptions.existing());
      for (int i = 0; i <= 40; i++) {
        fullToo.receive(Duration.ofSeconds(30));
      }
      for (CompletableFuture<Void> s : senders) {
        s.get(30, TimeUnit.SECONDS);
      }
    } finally {
      queues.close();
      server.close();
      oneThread.shutdown();
    }
  }

  /** Returns once the server holds 40 waiting receivers and 40 waiting senders. */
  private static void awaitAllParked(QueueServer queues) {
    AtomicReference<List<QueueStats>> last = new AtomicReference<>(List.of());
    if (!Await.within(() -> {
      List<QueueStats> all = queues.stats();
      last.set(all);
      return all.stream().mapToInt(QueueStats::waitingReceivers).sum() == 40
          && all.stream().mapToInt(QueueStats::waitingSenders).sum() == 40;
    }, Duration.ofSeconds(20))) {
      throw new AssertionError("waiters never all parked: " + last.get());
    }
  }

  private static RpcClient client(RpcServer server) {
    return RpcClient.builder().address("127.0.0.1", server.port())
        .credentials(new AuthSys(0, "test", 1000, 100, new int[0])).build();
  }
}
