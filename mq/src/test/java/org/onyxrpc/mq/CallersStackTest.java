package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.Reply;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;

/**
 * A blocking call's {@link RpcException} (a server that does not answer, a connection lost) is
 * made again on the calling thread, with the one made where the failure was found as its cause,
 * as the runtime's own sync calls throw it ({@code RpcException.rethrownHere}): its stack shows
 * the caller. Before, {@code send}, {@code receive} and the other blocking calls threw the very
 * exception of the I/O or timer thread, whose stack named none of the application's code (as a
 * 15 s TIMEOUT of a receive across a cut link showed).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class CallersStackTest {
  @Test
  void aBlockingCallsRpcExceptionShowsItsCaller() throws Exception {
    CompletableFuture<Reply<Void>> sendReply = new CompletableFuture<>();
    ServiceDefinition stalled = ScriptedQueueServices.oneQueue()
        .asyncProcedure(MessageQueueServiceV1.SEND, (request, ctx) -> sendReply) // not answered while the test looks
        .procedure(MessageQueueServiceV1.RELEASE, (receipt, ctx) -> new Reply<Void>(null, null))
        .build();
    try (RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
            .directory(Directory.none()).addService(stalled).build().start();
        RpcClient rpc = ScriptedQueueServices.clientTimingOut(server, MessageQueueServiceV1.SEND);
        MessageQueue q = MessageQueues.open(rpc, "/q", OpenOptions.existing())) {
      RpcException thrown = assertThrows(RpcException.class, () -> q.send(new byte[] {1}, 0, Duration.ofSeconds(5)));
      assertEquals(RpcStatus.TIMEOUT, thrown.status());
      assertTrue(Arrays.stream(thrown.getStackTrace())
              .anyMatch(frame -> frame.getMethodName().equals("aBlockingCallsRpcExceptionShowsItsCaller")),
          "the stack names no caller: " + Arrays.toString(thrown.getStackTrace()));

      // The cause is what the async form fails with, the same words and status.
      ExecutionException async = assertThrows(ExecutionException.class,
          () -> q.sendAsync(new byte[] {1}, 0, Duration.ofSeconds(5)).get(30, TimeUnit.SECONDS));
      RpcException found = (RpcException) async.getCause();
      assertEquals(found.status(), thrown.status());
      assertSame(RpcException.class, thrown.getCause().getClass());
      assertEquals(((RpcException) thrown.getCause()).getMessage(), thrown.getMessage());
      sendReply.complete(new Reply<>(null, null)); // answered before the server closes
    }
  }
}
