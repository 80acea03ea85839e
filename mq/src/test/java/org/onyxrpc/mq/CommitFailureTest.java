package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.mq.internal.wire.Message;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.Reply;
import org.onyxrpc.mq.internal.wire.MqErrno;
import org.onyxrpc.mq.internal.wire.MqFailure;
import org.onyxrpc.mq.internal.wire.Receipt;
import org.onyxrpc.rpc.AuthSys;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;

/**
 * What a receiver sees when the server cannot log its commit (a full or failing disk, which
 * {@code DiskTroubleTest} gives the real server): {@code mq_receive} failing with EIO, as a
 * call that did not happen; never the message it did not take, and no endless retry against a
 * disk that keeps failing, also for a wait without end. A server that answers so.
 */
class CommitFailureTest {
  private static final String EIO_DETAIL =
      "queue /q: log not written, so the message was not taken and is back in the queue: No space left on device";

  private final AtomicInteger receives = new AtomicInteger();
  private final AtomicInteger commits = new AtomicInteger();

  private ServiceDefinition failingCommits() {
    return ScriptedQueueServices.oneQueue()
        .procedure(MessageQueueServiceV1.RECEIVE, (request, ctx) -> {
          receives.incrementAndGet();
          return new Reply<>(new Message(3, new byte[] {7}), null);
        })
        .procedure(MessageQueueServiceV1.COMMIT, (receipt, ctx) -> {
          commits.incrementAndGet();
          return new Reply<Void>(null, new MqFailure(MqErrno.EIO, EIO_DETAIL));
        })
        .procedure(MessageQueueServiceV1.RELEASE, (receipt, ctx) -> new Reply<Void>(null, null))
        .build();
  }

  /**
   * A commit whose reply never comes (the server gone, the connection lost) may not have been
   * taken: the receiver releases its receipt at once, so the message is not held for the rest of
   * its lease, and a commit that did take it makes the release a no-op on the server.
   */
  @Test
  void aCommitWhoseOutcomeIsUnknownIsReleasedAtOnce() throws Exception {
    CompletableFuture<Receipt> committed = new CompletableFuture<>();
    CompletableFuture<Receipt> released = new CompletableFuture<>();
    CompletableFuture<Reply<Void>> commitReply = new CompletableFuture<>();
    ServiceDefinition unanswered = ScriptedQueueServices.oneQueue()
        .procedure(MessageQueueServiceV1.RECEIVE, (request, ctx) ->
            new Reply<>(new Message(3, new byte[] {7}), null))
        .asyncProcedure(MessageQueueServiceV1.COMMIT, (receipt, ctx) -> {
          committed.complete(receipt);
          return commitReply; // not answered while the test looks
        })
        .procedure(MessageQueueServiceV1.RELEASE, (receipt, ctx) -> {
          released.complete(receipt);
          return new Reply<Void>(null, null);
        })
        .build();
    try (RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
            .directory(Directory.none()).addService(unanswered).build().start();
        RpcClient rpc = ScriptedQueueServices.clientTimingOut(server, MessageQueueServiceV1.COMMIT);
        MessageQueue q = MessageQueues.open(rpc, "/q", OpenOptions.existing())) {
      RpcException unknown = assertThrows(RpcException.class, q::tryReceive);
      assertEquals(RpcStatus.TIMEOUT, unknown.status());
      // Not the reserve's TIMEOUT, which took nothing: the caller is told the message may be gone.
      assertTrue(unknown.getMessage().contains("may have taken it"), unknown.getMessage());
      assertEquals(committed.get(10, TimeUnit.SECONDS), released.get(10, TimeUnit.SECONDS));
      // Answered (too late for the client) before the server closes: a call still running holds
      // close() for its shutdown timeout (10 s), which the test then waited out.
      commitReply.complete(new Reply<>(null, null));
    }
  }

  @Test
  void everyFormOfReceiveFailsWithEioOnceAndReturnsNoMessage() throws Exception {
    try (RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
            .directory(Directory.none()).addService(failingCommits()).build().start();
        RpcClient rpc = RpcClient.builder().address("127.0.0.1", server.port())
            .credentials(new AuthSys(0, "test", 1000, 1000, new int[0])).build();
        MessageQueue q = MessageQueues.open(rpc, "/q", OpenOptions.existing())) {
      MessageQueueException waitWithoutEnd = assertThrows(MessageQueueException.class, q::receive);
      assertEquals(MqError.EIO, waitWithoutEnd.error());
      assertTrue(waitWithoutEnd.detail().contains("not taken"), waitWithoutEnd.detail());

      assertEquals(MqError.EIO,
          assertThrows(MessageQueueException.class, () -> q.receive(Duration.ofSeconds(5))).error());
      assertEquals(MqError.EIO, assertThrows(MessageQueueException.class, q::tryReceive).error());
      CompletableFuture<ReceivedMessage> async = q.receiveAsync();
      ExecutionException failed = assertThrows(ExecutionException.class, () -> async.get(10, TimeUnit.SECONDS));
      assertEquals(MqError.EIO, ((MessageQueueException) failed.getCause()).error());

      assertEquals(4, receives.get(), "a receive whose commit failed EIO was tried again");
      assertEquals(4, commits.get());
    }
  }
}
