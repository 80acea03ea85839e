package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.AuthSys;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.FaultProxy;

/**
 * What a caller waiting on a queue server gets when the server dies (its connections drop and
 * reconnecting is refused; here a {@link FaultProxy} in front of it closes): every waiting call
 * (a receive and a send without end, an arrival notification) ends at once with
 * {@code OUTCOME_UNKNOWN}, not at its deadline (30 days for the notification), and nothing was
 * taken for the receive.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DeadServerTest {
  @Test
  void waitingCallsEndAtOnceWhenTheServerDies() throws Exception {
    try (QueueFixture fixture = new QueueFixture();
        FaultProxy proxy = new FaultProxy(fixture.server.port(), FaultProxy.Faults.NONE, 1L)) {
      RpcClient rpc = fixture.client(proxy.port(), new AuthSys(0, "test", 1000, 100, new int[0]));
      MessageQueue empty = MessageQueues.open(rpc, "/empty", OpenOptions.create(0600, QueueAttributes.of(1, 8)));
      MessageQueue full = MessageQueues.open(rpc, "/full", OpenOptions.create(0600, QueueAttributes.of(1, 8)));
      full.send(new byte[] {1}, 0);
      CompletableFuture<ReceivedMessage> receive = empty.receiveAsync();
      CompletableFuture<Void> send = full.sendAsync(new byte[] {2}, 0);
      MessageQueue notified = MessageQueues.open(rpc, "/notified",
          OpenOptions.create(0600, QueueAttributes.of(1, 8)));
      CompletableFuture<Void> notification = notified.notifyOnArrival();
      fixture.awaitStats("/empty", s -> s.waitingReceivers() == 1);
      fixture.awaitStats("/full", s -> s.waitingSenders() == 1);
      fixture.awaitStats("/notified", QueueStats::notifying);

      proxy.close(); // the server is gone: its connections drop, and no new one is taken

      for (CompletableFuture<?> waiting : new CompletableFuture<?>[] {receive, send, notification}) {
        ExecutionException failed = assertThrows(ExecutionException.class, () -> waiting.get(60, TimeUnit.SECONDS));
        RpcException e = assertInstanceOf(RpcException.class, failed.getCause());
        assertEquals(RpcStatus.OUTCOME_UNKNOWN, e.status(), e.toString());
      }
      // The server heard of it too: nothing waits there, nothing is reserved, nothing was sent.
      fixture.awaitStats("/empty", s -> s.waitingReceivers() == 0 && s.reserved() == 0);
      fixture.awaitStats("/full", s -> s.waitingSenders() == 0 && s.depth() == 1);
      fixture.awaitStats("/notified", s -> !s.notifying());
    }
  }
}
