package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.onyxrpc.mq.QueueSemanticsTest.errorOf;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.mq.internal.wire.Access;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.Reply;
import org.onyxrpc.mq.internal.wire.MqErrno;
import org.onyxrpc.mq.internal.wire.MqFailure;
import org.onyxrpc.mq.internal.wire.OpenRequest;
import org.onyxrpc.rpc.AuthSys;
import org.onyxrpc.server.RpcServer;

/**
 * What a restart on the same data directory keeps, each claim of the README's "What a restart
 * keeps" pinned: a durable queue with its name, owner, mode and attributes (so its permissions
 * and O_EXCL answer as before) and its messages; not a queue in memory, not a handle, not an
 * arrival notification. The first server is never closed, as after a crash: every record it
 * acknowledged was forced already.
 */
class RestartKeepsTest {
  @TempDir
  Path data;

  @Test
  void aDurableQueueKeepsItsOwnerModeAttributesAndMessagesAndNothingElseSurvives() throws Exception {
    long oldHandle;
    try (QueueFixture before = new QueueFixture(QueueServer.builder().dataDirectory(data).build())) {
      RpcClient owner = before.client(1000, 100);
      MessageQueue q = MessageQueues.open(owner, "/kept", OpenOptions.create(0640, QueueAttributes.of(5, 32)).durable());
      q.send(new byte[] {1}, 1);
      q.send(new byte[] {2}, 7);
      MessageQueue watcher = MessageQueues.open(owner, "/watched",
          OpenOptions.create(0600, QueueAttributes.of(5, 32)).durable());
      CompletableFuture<Void> registered = watcher.notifyOnArrival();
      MessageQueues.open(owner, "/memory", OpenOptions.create(0600, QueueAttributes.of(5, 32))).send(new byte[] {3}, 0);
      oldHandle = owner.call(MessageQueueServiceV1.OPEN,
          new OpenRequest("/kept", Access.READ_ONLY, false, false, 0, 0, 0, false)).value().handle();
      assertFalse(registered.isDone());

      // The restart: a second server on the same directory, the first never closed.
      try (QueueFixture after = new QueueFixture(QueueServer.builder().dataDirectory(data).build())) {
        RpcClient sameOwner = after.client(1000, 100);
        MessageQueue kept = MessageQueues.open(sameOwner, "/kept", OpenOptions.existing());
        assertEquals(5, kept.attributes().maxMessages());
        assertEquals(32, kept.attributes().messageSize());
        assertEquals(2, kept.attributes().currentMessages());
        // Owner 1000:100 and mode 0640: the group reads and may not write, others do neither, O_EXCL fails.
        MessageQueues.open(after.client(2000, 100), "/kept", OpenOptions.existing().readOnly()).close();
        assertEquals(MqError.EACCES, errorOf(() -> MessageQueues.open(after.client(2000, 100), "/kept",
            OpenOptions.existing().writeOnly())));
        assertEquals(MqError.EACCES, errorOf(() -> MessageQueues.open(after.client(3000, 300), "/kept",
            OpenOptions.existing().readOnly())));
        assertEquals(MqError.EACCES, errorOf(() -> MessageQueues.unlink(after.client(2000, 100), "/kept")));
        assertEquals(MqError.EEXIST, errorOf(() -> MessageQueues.open(sameOwner, "/kept",
            OpenOptions.create(0600, QueueAttributes.of(1, 1)).exclusive())));
        // Its messages, in priority order.
        assertArrayEquals(new byte[] {2}, kept.tryReceive().message());
        assertArrayEquals(new byte[] {1}, kept.tryReceive().message());
        // A queue in memory went with its server.
        assertEquals(MqError.ENOENT, errorOf(() -> MessageQueues.open(sameOwner, "/memory", OpenOptions.existing())));
        // A handle of the first server is no handle here.
        Reply<?> stale = sameOwner.call(MessageQueueServiceV1.ATTRIBUTES, oldHandle);
        assertEquals(MqErrno.EBADF, ((MqFailure) stale.exception()).errno());
        // Nor is its notification: a new registration is not EBUSY, and fires.
        MessageQueue watched = MessageQueues.open(sameOwner, "/watched", OpenOptions.existing());
        CompletableFuture<Void> again = watched.notifyOnArrival();
        // The registration reaches the server a round trip later; a send that overtook it would
        // find the queue empty of registrations and fire nothing.
        after.awaitStats("/watched", QueueStats::notifying);
        watched.send(new byte[] {4}, 0);
        again.get(30, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * mq_close of a handle the server no longer holds: the handle is closed, as the caller asks, so
   * close() returns. Before, it threw EBADF, so that a try-with-resources whose send went in
   * failed when the server restarted before its close, and a caller retrying it sent again.
   */
  @Test
  void closingAHandleTheRestartedServerNoLongerHoldsReturns() throws Exception {
    QueueFixture before = new QueueFixture();
    int port = before.server.port();
    try (RpcClient c = RpcClient.builder().address("127.0.0.1", port)
        .credentials(new AuthSys(0, "test", 1000, 100, new int[0])).timeout(Duration.ofSeconds(20)).build()) {
      MessageQueue q = MessageQueues.open(c, "/restarted", OpenOptions.create(0600, QueueAttributes.of(2, 8)));
      q.send(new byte[] {1}, 0);
      before.close();
      QueueServer queues = QueueServer.builder().build();
      RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), port).directory(Directory.none())
          .addService(queues.service()).build().start();
      try (QueueFixture after = new QueueFixture(queues, server)) {
        assertEquals(MqError.EBADF, errorOf(() -> q.send(new byte[] {2}, 0))); // its calls still tell
        q.close();
        MessageQueue again = MessageQueues.open(c, "/restarted", OpenOptions.create(0600, QueueAttributes.of(2, 8)));
        again.send(new byte[] {3}, 0);
        again.close();
        assertEquals(0, after.queues.stats().get(0).openHandles());
      }
    }
  }
}
