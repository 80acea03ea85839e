package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.Reply;
import org.onyxrpc.mq.internal.wire.Receipt;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;

/**
 * A send whose call times out (no answer by its deadline: a server stalled, say, in a slow disk's
 * sync) may still be waiting there for room, and would get in later, after its caller was told
 * it failed and perhaps sent it again. The client withdraws it (RELEASE with its receipt), as a
 * cancelled send is withdrawn, so that it gets in before the withdrawal or never; before, it
 * stayed parked until the server's own wait ended.
 */
class TimedOutSendTest {
  @Test
  void aSendThatTimesOutIsWithdrawnOnTheServer() throws Exception {
    CompletableFuture<Receipt> sent = new CompletableFuture<>();
    CompletableFuture<Receipt> released = new CompletableFuture<>();
    CompletableFuture<Reply<Void>> sendReply = new CompletableFuture<>();
    ServiceDefinition stalled = ScriptedQueueServices.oneQueue()
        .asyncProcedure(MessageQueueServiceV1.SEND, (request, ctx) -> {
          sent.complete(request.receipt());
          return sendReply; // parked, not answered while the test looks
        })
        .procedure(MessageQueueServiceV1.RELEASE, (receipt, ctx) -> {
          released.complete(receipt);
          return new Reply<Void>(null, null);
        })
        .build();
    try (RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
            .directory(Directory.none()).addService(stalled).build().start();
        RpcClient rpc = ScriptedQueueServices.clientTimingOut(server, MessageQueueServiceV1.SEND);
        MessageQueue q = MessageQueues.open(rpc, "/q", OpenOptions.existing())) {
      ExecutionException failed = assertThrows(ExecutionException.class,
          () -> q.sendAsync(new byte[] {1}, 0, Duration.ofSeconds(5)).get(20, TimeUnit.SECONDS));
      assertEquals(RpcStatus.TIMEOUT, assertInstanceOf(RpcException.class, failed.getCause()).status());
      assertEquals(sent.get(10, TimeUnit.SECONDS), released.get(10, TimeUnit.SECONDS));
      // Answered before the server closes: a call still running holds close() for its shutdown timeout.
      sendReply.complete(new Reply<>(null, null));
    }
  }
}
