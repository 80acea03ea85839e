package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.mq.internal.wire.CurrentAttributes;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1;
import org.onyxrpc.mq.internal.wire.OpenRequest;
import org.onyxrpc.mq.internal.wire.Opened;
import org.onyxrpc.mq.internal.wire.QueueStatus;
import org.onyxrpc.rpc.AuthSys;
import org.onyxrpc.server.RpcServer;

/**
 * A queue server that grants absurd handle leases and never answers a renewal: the client
 * renews each handle at most every 100 ms and never while its last renewal is unanswered. Before,
 * a lease of 1 ms (or 0, or negative) made it send a renewal every millisecond, each pending until
 * its deadline.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class HostileQueueServerTest {
  /** Grants {@code leaseMillis}; holds every renewal unanswered; STATUS says how many came. */
  private static final class Hostile extends MessageQueueServiceV1.AsyncMessageQueueServiceImplBase {
    final long leaseMillis;
    final List<CompletableFuture<CurrentAttributes>> renewals = new CopyOnWriteArrayList<>();
    final CountDownLatch firstRenewal = new CountDownLatch(1);

    Hostile(long leaseMillis) {
      this.leaseMillis = leaseMillis;
    }

    @Override
    public CompletableFuture<Opened> open(OpenRequest request) {
      return CompletableFuture.completedFuture(new Opened(7, new CurrentAttributes(10, 64, 0), leaseMillis));
    }

    @Override
    public CompletableFuture<CurrentAttributes> attributes(long handle) {
      CompletableFuture<CurrentAttributes> never = new CompletableFuture<>();
      renewals.add(never);
      firstRenewal.countDown();
      return never;
    }

    @Override
    public CompletableFuture<QueueStatus> status(String name) {
      // Calls on one connection are read in order: every renewal sent before this call is counted.
      return CompletableFuture.completedFuture(new QueueStatus(name, renewals.size(), 0, 0, 0, 0, 1, 10, 64,
          false, false, false));
    }

    void answerAll() {
      renewals.forEach(r -> r.complete(new CurrentAttributes(10, 64, 0)));
    }
  }

  @Test
  void absurdLeasesAreRenewedOneCallAtATime() throws Exception {
    for (long lease : new long[] {1, 0, -1}) {
      Hostile hostile = new Hostile(lease);
      try (RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
              .directory(Directory.none()).addService(MessageQueueServiceV1.bindAsync(hostile)).build().start();
          RpcClient rpc = RpcClient.builder().address("127.0.0.1", server.port())
              .credentials(new AuthSys(0, "test", 1000, 1000, new int[0])).timeout(Duration.ofSeconds(30))
              .build()) {
        MessageQueue q = MessageQueues.open(rpc, "/q", OpenOptions.existing());
        try {
          hostile.firstRenewal.await();
          assertEquals(1, MessageQueues.stats(rpc, "/q").depth(), "renewals sent while the first is unanswered, lease " + lease);
        } finally {
          hostile.answerAll();
          q.closeAsync(); // PROC_UNAVAIL here; it stops the renewals all the same
        }
      }
    }
  }
}
