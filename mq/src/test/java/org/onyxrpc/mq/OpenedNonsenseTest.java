package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.mq.internal.wire.CurrentAttributes;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1;
import org.onyxrpc.mq.internal.wire.MqConstants;
import org.onyxrpc.mq.internal.wire.OpenRequest;
import org.onyxrpc.mq.internal.wire.Opened;
import org.onyxrpc.rpc.AuthSys;
import org.onyxrpc.server.RpcServer;

/**
 * A queue server whose open reply gives attributes no queue has: fewer than one message, or a
 * message size outside 1 .. MQ_MSGSIZE_LIMIT. Before, the client took them as given and returned
 * a handle whose every send failed EMSGSIZE and every receive EIO; now the open fails EIO, and the
 * handle the server gave is closed again.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class OpenedNonsenseTest {
  /** Opens every queue with {@code given}, as handle 7; records the handles closed. */
  private static final class Lying extends MessageQueueServiceV1.AsyncMessageQueueServiceImplBase {
    final CurrentAttributes given;
    final List<Long> closed = new CopyOnWriteArrayList<>();

    Lying(CurrentAttributes given) {
      this.given = given;
    }

    @Override
    public CompletableFuture<Opened> open(OpenRequest request) {
      return CompletableFuture.completedFuture(new Opened(7, given, 60_000));
    }

    @Override
    public CompletableFuture<Void> close(long handle) {
      closed.add(handle);
      return CompletableFuture.completedFuture(null);
    }
  }

  @Test
  void anOpenReplyWithAttributesNoQueueHasIsRefusedAndItsHandleClosed() throws Exception {
    long limit = MqConstants.MQ_MSGSIZE_LIMIT;
    for (CurrentAttributes lie : new CurrentAttributes[] {new CurrentAttributes(10, -1, 0),
        new CurrentAttributes(10, 0, 0), new CurrentAttributes(10, limit + 1, 0),
        new CurrentAttributes(10, Long.MAX_VALUE, 0), new CurrentAttributes(0, 64, 0),
        new CurrentAttributes(-5, 64, 0)}) {
      Lying lying = new Lying(lie);
      try (RpcServer server = server(lying); RpcClient rpc = client(server)) {
        MessageQueueException e = assertThrows(MessageQueueException.class,
            () -> MessageQueues.open(rpc, "/q", OpenOptions.existing()).close(), lie.toString());
        assertEquals(MqError.EIO, e.error(), lie + ": " + e.getMessage());
        assertTrue(e.getMessage().contains(lie.maxMessages() + " messages of " + lie.messageSize() + " bytes"),
            e.getMessage());
        assertEquals(List.of(7L), lying.closed, lie.toString()); // closed before the open failed
      }
    }
  }

  @Test
  void theLimitsThemselvesAreAQueuesAttributes() throws Exception {
    Lying lying = new Lying(new CurrentAttributes(1, MqConstants.MQ_MSGSIZE_LIMIT, 0));
    try (RpcServer server = server(lying); RpcClient rpc = client(server);
        MessageQueue q = MessageQueues.open(rpc, "/q", OpenOptions.existing())) {
      assertTrue(lying.closed.isEmpty(), lying.closed::toString);
    }
  }

  private static RpcServer server(Lying lying) throws Exception {
    return RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0).directory(Directory.none())
        .addService(MessageQueueServiceV1.bindAsync(lying)).build().start();
  }

  private static RpcClient client(RpcServer server) {
    return RpcClient.builder().address("127.0.0.1", server.port())
        .credentials(new AuthSys(0, "test", 1000, 1000, new int[0])).timeout(Duration.ofSeconds(30)).build();
  }
}
