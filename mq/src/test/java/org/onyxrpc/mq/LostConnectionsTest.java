package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.mq.internal.wire.Message;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.Reply;
import org.onyxrpc.mq.internal.wire.MqErrno;
import org.onyxrpc.mq.internal.wire.MqFailure;
import org.onyxrpc.mq.internal.wire.Receipt;
import org.onyxrpc.rpc.AuthSys;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.testing.FaultProxy;

/**
 * A server puts a connection's reservations back when the connection closes, so a commit sent
 * again on the next connection finds nothing reserved (ETIMEDOUT). That is the network's doing
 * (a reset, a server that crashed after it reserved), not a server that lets every commit lapse:
 * a receive asks again past {@link ReceiveCall#MAX_LAPSES} such losses. Before, the eighth in
 * one receive's life failed it with EIO, as DeliveryUnderFaultsTest did in a full run.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class LostConnectionsTest {
  private final AtomicInteger receives = new AtomicInteger();

  @Test
  void reservationsThatGoWithTheirConnectionsAreAskedForAgain() throws Exception {
    int lost = ReceiveCall.MAX_LAPSES + 2;
    ReceivedMessage m = receiveLosing(lost).get(60, TimeUnit.SECONDS);
    assertArrayEquals(new byte[] {7}, m.message());
    assertEquals(lost + 1, receives.get(), "a receive for each lost reservation, and the one taken");
  }

  /** A server that closes every connection before it answers a commit is not asked without end. */
  @Test
  void aServerThatClosesEveryConnectionIsNotAskedWithoutEnd() throws Exception {
    ExecutionException failed = assertThrows(ExecutionException.class,
        () -> receiveLosing(Integer.MAX_VALUE).get(60, TimeUnit.SECONDS));
    MessageQueueException e = assertInstanceOf(MessageQueueException.class, failed.getCause());
    assertEquals(MqError.EIO, e.error());
    assertTrue(e.detail().contains("went back with their connections"), e.detail());
    assertEquals(ReceiveCall.MAX_LOST_CONNECTIONS, receives.get());
  }

  /** A receive without end from a server whose first {@code lost} reservations go with their connections. */
  private CompletableFuture<ReceivedMessage> receiveLosing(int lost) throws Exception {
    Set<Receipt> reset = ConcurrentHashMap.newKeySet();
    AtomicReference<FaultProxy> proxy = new AtomicReference<>();
    ServiceDefinition service = ScriptedQueueServices.oneQueue()
        .procedure(MessageQueueServiceV1.RECEIVE, (request, ctx) -> {
          receives.incrementAndGet();
          return new Reply<>(new Message(3, new byte[] {7}), null);
        })
        .asyncProcedure(MessageQueueServiceV1.COMMIT, (receipt, ctx) -> {
          // A receipt's first commit: the connection goes before it is answered (this answer is
          // lost with it); sent again on the next connection, it finds its reservation gone.
          if (reset.size() < lost && reset.add(receipt)) {
            proxy.get().resetAll();
          }
          return CompletableFuture.completedFuture(reset.contains(receipt)
              ? new Reply<Void>(null, new MqFailure(MqErrno.ETIMEDOUT, "reservation went back with its connection"))
              : new Reply<Void>(null, null));
        })
        .procedure(MessageQueueServiceV1.RELEASE, (receipt, ctx) -> new Reply<Void>(null, null))
        .build();
    try (RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
            .directory(Directory.none()).addService(service).build().start();
        FaultProxy through = new FaultProxy(server.port(), FaultProxy.Faults.NONE, 1L);
        RpcClient rpc = RpcClient.builder().address("127.0.0.1", through.port())
            .timeout(Duration.ofSeconds(60)).attemptTimeout(Duration.ofMillis(200))
            .credentials(new AuthSys(0, "test", 1000, 1000, new int[0])).build();
        MessageQueue q = MessageQueues.open(rpc, "/q", OpenOptions.existing())) {
      proxy.set(through);
      CompletableFuture<ReceivedMessage> receive = q.receiveAsync();
      try {
        receive.get(60, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        // told to the caller below
      }
      return receive;
    }
  }
}
