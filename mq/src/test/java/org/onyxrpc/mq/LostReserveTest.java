package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.mq.internal.wire.Message;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.Reply;
import org.onyxrpc.mq.internal.wire.Receipt;
import org.onyxrpc.rpc.AuthSys;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.testing.FaultProxy;

/**
 * A receive whose first step (the reservation) is lost, to a network cut off or a server that
 * died, took nothing: only its commit takes a message, and none was sent. The runtime's words for
 * the status ("may have executed", "no reply … within 15000 ms") say only that the reservation
 * may have been made, so the receive says what that means for the message, as a lost commit says
 * it "may have taken it". Seen across two network namespaces: a blocking {@code receive()} failed
 * 15 s into a cut link with the runtime's TIMEOUT alone, and one whose server was killed with
 * "may have executed", which a consumer reads as a message perhaps lost.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class LostReserveTest {
  /** A reservation whose reply never comes (a cut link, a stalled server): TIMEOUT, nothing taken. */
  @Test
  void aReserveWithNoReplyTookNothingAndSaysSo() throws Exception {
    CompletableFuture<Receipt> reserving = new CompletableFuture<>();
    CompletableFuture<Receipt> released = new CompletableFuture<>();
    CompletableFuture<Reply<Message>> reserveReply = new CompletableFuture<>();
    AtomicInteger commits = new AtomicInteger();
    ServiceDefinition stalled = ScriptedQueueServices.oneQueue()
        .asyncProcedure(MessageQueueServiceV1.RECEIVE, (request, ctx) -> {
          reserving.complete(request.receipt());
          return reserveReply; // not answered while the test looks
        })
        .procedure(MessageQueueServiceV1.COMMIT, (receipt, ctx) -> {
          commits.incrementAndGet();
          return new Reply<Void>(null, null);
        })
        .procedure(MessageQueueServiceV1.RELEASE, (receipt, ctx) -> {
          released.complete(receipt);
          return new Reply<Void>(null, null);
        })
        .build();
    try (RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
            .directory(Directory.none()).addService(stalled).build().start();
        RpcClient rpc = ScriptedQueueServices.clientTimingOut(server, MessageQueueServiceV1.RECEIVE);
        MessageQueue q = MessageQueues.open(rpc, "/q", OpenOptions.existing())) {
      RpcException e = assertThrows(RpcException.class, q::receive);
      assertEquals(RpcStatus.TIMEOUT, e.status());
      assertTrue(e.getMessage().startsWith("this receive took nothing"), e.getMessage());
      assertFalse(e.getMessage().contains("may have taken it"), e.getMessage());
      assertInstanceOf(RpcException.class, e.getCause()); // the runtime's own, as it was
      assertEquals(reserving.get(10, TimeUnit.SECONDS), released.get(10, TimeUnit.SECONDS));
      assertEquals(0, commits.get());
      // Answered (too late for the client) before the server closes: a call still running holds
      // close() for its shutdown timeout.
      reserveReply.complete(new Reply<>(new Message(1, new byte[] {7}), null));
    }
  }

  /**
   * A server that dies while the receive waits: OUTCOME_UNKNOWN, nothing taken; a waiting send's
   * OUTCOME_UNKNOWN keeps the runtime's words, as its message may be in the queue.
   */
  @Test
  void aWaitingReceiveWhoseServerDiesTookNothingAndSaysSo() throws Exception {
    try (QueueFixture fixture = new QueueFixture();
        FaultProxy proxy = new FaultProxy(fixture.server.port(), FaultProxy.Faults.NONE, 1L)) {
      RpcClient rpc = fixture.client(proxy.port(), new AuthSys(0, "test", 1000, 100, new int[0]));
      MessageQueue empty = MessageQueues.open(rpc, "/empty", OpenOptions.create(0600, QueueAttributes.of(1, 8)));
      MessageQueue full = MessageQueues.open(rpc, "/full", OpenOptions.create(0600, QueueAttributes.of(1, 8)));
      full.send(new byte[] {1}, 0);
      CompletableFuture<ReceivedMessage> receive = empty.receiveAsync();
      CompletableFuture<ReceivedMessage> timedReceive = empty.receiveAsync(Duration.ofMinutes(5));
      CompletableFuture<Void> send = full.sendAsync(new byte[] {2}, 0);
      fixture.awaitStats("/empty", s -> s.waitingReceivers() == 2);
      fixture.awaitStats("/full", s -> s.waitingSenders() == 1);

      proxy.close(); // the server is gone: its connections drop, and no new one is taken

      for (CompletableFuture<ReceivedMessage> r : java.util.List.of(receive, timedReceive)) {
        RpcException e = failure(r);
        assertEquals(RpcStatus.OUTCOME_UNKNOWN, e.status(), e.toString());
        assertTrue(e.getMessage().startsWith("this receive took nothing"), e.getMessage());
      }
      RpcException sendFailure = failure(send);
      assertEquals(RpcStatus.OUTCOME_UNKNOWN, sendFailure.status(), sendFailure.toString());
      assertFalse(sendFailure.getMessage().contains("took nothing"), sendFailure.getMessage());
    }
  }

  private static RpcException failure(CompletableFuture<?> future) {
    ExecutionException failed = assertThrows(ExecutionException.class, () -> future.get(60, TimeUnit.SECONDS));
    return assertInstanceOf(RpcException.class, failed.getCause());
  }
}
