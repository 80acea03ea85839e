package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;

/**
 * A queue server stopped gracefully ({@code QueueServer.close()}, then its {@code RpcServer}'s, as
 * {@code onyx mq} does on SIGTERM): every waiting call ends at once with a failure that says so
 * and took nothing, a call that comes after is refused as not run (PROG_UNAVAIL, not a
 * SYSTEM_ERR that says it may have run), and a message that was being handed over (reserved,
 * its commit not yet run) stays in its durable queue.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class StoppedServerTest {
  @TempDir Path data;

  @Test
  void waitingCallsEndAndLaterCallsAreRefusedUnrun() throws Exception {
    try (QueueFixture fixture = new QueueFixture()) {
      RpcClient rpc = fixture.client(1000, 100);
      MessageQueue empty = MessageQueues.open(rpc, "/empty", OpenOptions.create(0600, QueueAttributes.of(1, 8)));
      MessageQueue full = MessageQueues.open(rpc, "/full", OpenOptions.create(0600, QueueAttributes.of(1, 8)));
      MessageQueue notified = MessageQueues.open(rpc, "/notified", OpenOptions.create(0600, QueueAttributes.of(1, 8)));
      full.send(new byte[] {1}, 0);
      CompletableFuture<ReceivedMessage> receive = empty.receiveAsync();
      CompletableFuture<ReceivedMessage> timedReceive = empty.receiveAsync(Duration.ofMinutes(5));
      CompletableFuture<Void> send = full.sendAsync(new byte[] {2}, 0);
      CompletableFuture<Void> notification = notified.notifyOnArrival();
      fixture.awaitStats("/empty", s -> s.waitingReceivers() == 2);
      fixture.awaitStats("/full", s -> s.waitingSenders() == 1);
      fixture.awaitStats("/notified", QueueStats::notifying);

      fixture.queues.close(); // the RpcServer still serves: calls from now on reach a stopped queue server

      assertFailed(MqError.EBADF, receive);
      assertFailed(MqError.EBADF, timedReceive);
      assertFailed(MqError.EBADF, send);
      assertFailed(MqError.ECANCELED, notification);
      RpcException lateSend = assertThrows(RpcException.class, () -> full.send(new byte[] {3}, 0));
      assertEquals(RpcStatus.PROG_UNAVAIL, lateSend.status(), "not run, so not SYSTEM_ERR: " + lateSend);
      RpcException lateOpen = assertThrows(RpcException.class, () -> MessageQueues.open(rpc, "/late",
          OpenOptions.create(0600, QueueAttributes.of(1, 8))));
      assertEquals(RpcStatus.PROG_UNAVAIL, lateOpen.status(), lateOpen.toString());
    }
  }

  @Test
  void aMessageBeingHandedOverStaysInItsDurableQueue() throws Exception {
    HeldCommits holdCommits = new HeldCommits(Duration.ofSeconds(60));
    QueueServer queues = QueueServer.builder().dataDirectory(data).build();
    RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0).directory(Directory.none())
        .addService(queues.service()).intercept(holdCommits).build().start();
    try (QueueFixture stopping = new QueueFixture(queues, server)) {
      MessageQueue q = MessageQueues.open(stopping.client(1000, 100), "/orders",
          OpenOptions.create(0600, QueueAttributes.of(2, 8)).durable());
      q.send(new byte[] {7}, 3);
      CompletableFuture<ReceivedMessage> receive = q.receiveAsync();
      assertTrue(holdCommits.awaitArrived());
      queues.close();
      holdCommits.release();
      ExecutionException failed = assertThrows(ExecutionException.class, () -> receive.get(60, TimeUnit.SECONDS));
      RpcException e = assertInstanceOf(RpcException.class, failed.getCause());
      assertEquals(RpcStatus.PROG_UNAVAIL, e.status(), "the commit did not run, nothing was taken: " + e);
    }
    try (QueueFixture restarted = new QueueFixture(QueueServer.builder().dataDirectory(data).build());
        MessageQueue q = MessageQueues.open(restarted.client(1000, 100), "/orders", OpenOptions.existing())) {
      ReceivedMessage kept = q.tryReceive();
      assertEquals(7, kept.message()[0]);
      assertEquals(3, kept.priority());
    }
  }

  private static void assertFailed(MqError expected, CompletableFuture<?> waiting) throws Exception {
    ExecutionException failed = assertThrows(ExecutionException.class, () -> waiting.get(60, TimeUnit.SECONDS));
    MessageQueueException e = assertInstanceOf(MessageQueueException.class, failed.getCause());
    assertEquals(expected, e.error(), e.toString());
    assertTrue(e.getMessage().endsWith(": the queue server stopped"), e.getMessage());
  }
}
