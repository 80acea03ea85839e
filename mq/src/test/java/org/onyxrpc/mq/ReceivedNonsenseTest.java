package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.onyxrpc.mq.internal.wire.Message;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1;
import org.onyxrpc.mq.internal.wire.OpenRequest;
import org.onyxrpc.mq.internal.wire.Opened;
import org.onyxrpc.mq.internal.wire.Receipt;
import org.onyxrpc.mq.internal.wire.ReceiveRequest;
import org.onyxrpc.rpc.AuthSys;
import org.onyxrpc.server.RpcServer;

/**
 * A queue server that hands out messages no queue of its attributes holds: longer than the
 * message size it gave at open, or at a priority outside 0 .. MQ_PRIO_MAX - 1. The client must
 * not return them as messages (mq_receive never does: a caller sizes buffers by the message size
 * and may index by priority), nor take them from the queue: it releases the reservation.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ReceivedNonsenseTest {
  private static final int MESSAGE_SIZE = 64;

  /** Opens with a message size of 64; every receive reserves {@code handedOut}. */
  private static final class Lying extends MessageQueueServiceV1.AsyncMessageQueueServiceImplBase {
    final Message handedOut;
    final List<String> ends = new CopyOnWriteArrayList<>();
    final CountDownLatch ended = new CountDownLatch(1);

    Lying(Message handedOut) {
      this.handedOut = handedOut;
    }

    @Override
    public CompletableFuture<Opened> open(OpenRequest request) {
      return CompletableFuture.completedFuture(new Opened(7, new CurrentAttributes(10, MESSAGE_SIZE, 1), 60_000));
    }

    @Override
    public CompletableFuture<Message> receive(ReceiveRequest request) {
      return CompletableFuture.completedFuture(handedOut);
    }

    @Override
    public CompletableFuture<Void> commit(Receipt receipt) {
      ends.add("commit");
      ended.countDown();
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> release(Receipt receipt) {
      ends.add("release");
      ended.countDown();
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> close(long handle) {
      return CompletableFuture.completedFuture(null);
    }
  }

  @Test
  void aMessageNoQueueOfItsAttributesHoldsIsLeftInTheQueueAndRefused() throws Exception {
    for (Message lie : new Message[] {new Message(0, new byte[MESSAGE_SIZE + 1]), new Message(-1, new byte[1]),
        new Message(MessageQueues.MQ_PRIO_MAX, new byte[1]), new Message(Integer.MAX_VALUE, new byte[1])}) {
      Lying lying = new Lying(lie);
      try (RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
              .directory(Directory.none()).addService(MessageQueueServiceV1.bindAsync(lying)).build().start();
          RpcClient rpc = RpcClient.builder().address("127.0.0.1", server.port())
              .credentials(new AuthSys(0, "test", 1000, 1000, new int[0])).timeout(Duration.ofSeconds(30))
              .build();
          MessageQueue q = MessageQueues.open(rpc, "/q", OpenOptions.existing())) {
        String what = lie.message().length + " bytes at priority " + lie.priority();
        MessageQueueException e = assertThrows(MessageQueueException.class, q::receive, what);
        assertEquals(MqError.EIO, e.error(), what + ": " + e.getMessage());
        assertTrue(e.getMessage().contains(lie.message().length > MESSAGE_SIZE ? "65 bytes" : "priority " + lie.priority()),
            e.getMessage());
        lying.ended.await();
        assertEquals(List.of("release"), lying.ends, what);
      }
    }
  }
}
