package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.mq.internal.wire.Access;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1;
import org.onyxrpc.mq.internal.wire.OpenRequest;
import org.onyxrpc.mq.internal.wire.Receipt;
import org.onyxrpc.mq.internal.wire.ReceiveRequest;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.LoopbackHosts;
import org.onyxrpc.testing.OpenDescriptors;
import org.onyxrpc.testing.RawTcpPeer;

/**
 * Connections to the queue server that come and go by the thousand: closed at once or reset
 * half-way through a call's record (from eight addresses), or reset with a receive waiting on a
 * queue. Afterwards no
 * receive waits, nothing is reserved, no handle more is open, no descriptor is left open, and a
 * message sent goes at once to a live receiver.
 */
class QueueServerChurnTest {
  private static final int CYCLES = 1_000;
  private static final long LONG_WAIT_MILLIS = 600_000;
  /**
   * Where the connections closed or reset mid-call come from: other addresses than the waiting
   * receives' (127.0.0.1, where the handle was opened), whose connections are then never past the
   * address's share of the server's places, however slowly a loaded machine closes the others.
   */
  private static final InetAddress[] FROM = Stream.of(2, 3, 4, 5, 6, 7, 8, 9)
      .map(i -> LoopbackHosts.host("127.0.0." + i)).toArray(InetAddress[]::new);
  private QueueFixture fixture;

  @AfterEach
  void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void connectionsClosedResetMidCallOrWithAWaitingReceiveLeaveNothingBehind() throws Exception {
    fixture = new QueueFixture();
    MessageQueue producer = MessageQueues.open(fixture.client(1000, 100), "/churn",
        OpenOptions.create(0666, QueueAttributes.of(4, 8)));
    int port = fixture.server.port();
    try (RawQueueClient opener = new RawQueueClient(port, null, 1001)) {
      long handle = opener.call(MessageQueueServiceV1.OPEN,
          new OpenRequest("/churn", Access.READ_WRITE, false, false, 0, 0, 0, false)).value().handle();
      int handles = fixture.awaitStats("/churn", s -> true).openHandles();
      long baseline = OpenDescriptors.count();

      byte[] call = RawTcpPeer.call(1, 2, MessageQueueServiceV1.OPEN.program(), MessageQueueServiceV1.OPEN.version(),
          MessageQueueServiceV1.OPEN.number(), OpaqueAuth.NONE, new byte[64]);
      for (int i = 0; i < CYCLES; i++) {
        new RawTcpPeer(port, FROM[i % FROM.length]).close();
        RawTcpPeer half = new RawTcpPeer(port, FROM[(i + 3) % FROM.length]);
        half.writeInt(0x8000_0000 | call.length);
        half.sendRaw(Arrays.copyOf(call, call.length / 2));
        half.reset();
        // The handle works from the address it was opened from, over any connection. Each cycle's
        // receive has a receipt of its own, as a client's attempts do: a receive with the receipt of
        // one still waiting takes its place, so on a loaded server the last cycle's receive, handed
        // to the queue late, took this one's place and then went with its reset connection.
        RawQueueClient waiting = new RawQueueClient(port, null, 1001);
        waiting.send(MessageQueueServiceV1.RECEIVE, new ReceiveRequest(new Receipt(handle, i + 1), LONG_WAIT_MILLIS));
        if (i % 100 == 0) { // now and then the reset surely comes to a receive that waits
          fixture.awaitStats("/churn", s -> s.waitingReceivers() == 1);
        }
        waiting.peer().reset();
      }

      QueueStats after = fixture.awaitStats("/churn", s -> s.waitingReceivers() == 0);
      assertEquals(0, after.reserved());
      assertEquals(handles, after.openHandles());
      Await.until(() -> OpenDescriptors.count() <= baseline);

      MessageQueue consumer = MessageQueues.open(fixture.client(1002, 100), "/churn", OpenOptions.existing());
      CompletableFuture<ReceivedMessage> next = consumer.receiveAsync();
      fixture.awaitStats("/churn", s -> s.waitingReceivers() == 1);
      producer.send(new byte[] {42}, 0);
      assertArrayEquals(new byte[] {42}, next.get(20, TimeUnit.SECONDS).message());
    }
  }
}
