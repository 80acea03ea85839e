package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.mq.internal.wire.CurrentAttributes;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.Reply;
import org.onyxrpc.mq.internal.wire.MqErrno;
import org.onyxrpc.mq.internal.wire.MqFailure;
import org.onyxrpc.mq.internal.wire.Opened;
import org.onyxrpc.rpc.AuthSys;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;

/**
 * A handle the server no longer holds (it restarted, or the lease ended: EBADF) is renewed no
 * more. Before, its renewal went on every third of its lease until the handle was closed, and
 * for the life of the process when an application, told EBADF after a restart, opened the queue
 * again without closing the old handle, as the consumer loop written for the two-namespace runs
 * of round 47 did (found reading the renewal, not measured there): one more renewal, and the old
 * handle with its client held by the keep-alive thread, for each restart of the server.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class GoneHandleRenewalTest {
  private static final long GONE = 1;
  private static final long KEPT = 2;
  /** A lease of 300 ms: renewed every 100 ms. */
  private static final long LEASE_MILLIS = 300;

  @Test
  void aHandleTheServerNoLongerHoldsIsRenewedNoMore() throws Exception {
    AtomicInteger goneRenewals = new AtomicInteger();
    AtomicInteger keptRenewals = new AtomicInteger();
    CompletableFuture<Void> keptRenewedFiveTimes = new CompletableFuture<>();
    ServiceDefinition service = ServiceDefinition.builder(MessageQueueServiceV1.PROGRAM, MessageQueueServiceV1.VERSION)
        .procedure(MessageQueueServiceV1.OPEN, (request, ctx) -> new Reply<>(new Opened(
            request.name().equals("/gone") ? GONE : KEPT, new CurrentAttributes(10, 64, 0), LEASE_MILLIS), null))
        .procedure(MessageQueueServiceV1.ATTRIBUTES, (handle, ctx) -> {
          if (handle == GONE) {
            goneRenewals.incrementAndGet();
            return new Reply<CurrentAttributes>(null, new MqFailure(MqErrno.EBADF, "no open queue handle 1"));
          }
          if (keptRenewals.incrementAndGet() == 5) {
            keptRenewedFiveTimes.complete(null);
          }
          return new Reply<>(new CurrentAttributes(10, 64, 0), null);
        })
        .procedure(MessageQueueServiceV1.CLOSE, (handle, ctx) -> new Reply<Void>(null, null))
        .build();
    try (RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
            .directory(Directory.none()).addService(service).build().start();
        RpcClient rpc = RpcClient.builder().address("127.0.0.1", server.port())
            .credentials(new AuthSys(0, "test", 1000, 1000, new int[0])).build();
        MessageQueue gone = MessageQueues.open(rpc, "/gone", OpenOptions.existing());
        MessageQueue kept = MessageQueues.open(rpc, "/kept", OpenOptions.existing())) {
      // The two renew on the process's one keep-alive thread, at the same period: by the kept
      // handle's fifth renewal the gone one's would have come four times or more.
      keptRenewedFiveTimes.get(60, TimeUnit.SECONDS);
      assertEquals(1, goneRenewals.get(), "renewals of a handle the server said it does not hold");
    }
  }
}
