package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onyxrpc.mq.QueueSemanticsTest.errorOf;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.mq.internal.wire.Access;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1;
import org.onyxrpc.mq.internal.wire.OpenRequest;
import org.onyxrpc.mq.internal.wire.Receipt;
import org.onyxrpc.mq.internal.wire.ReceiveRequest;
import org.onyxrpc.mq.internal.wire.SendRequest;
import org.onyxrpc.rpc.AuthSys;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.FaultProxy;

/**
 * A caller that goes while its calls wait on a queue (its process dies: its connection closes, or
 * is reset) leaves nothing behind, as a process's calls end when it dies: its waiting receive no
 * longer stands first in line, so the next message goes to another receiver at once rather than
 * being reserved for nobody until the reservation's lease (60 s); its waiting send no longer
 * counts its bytes nor gets its message in; its notification is free for others. A client that
 * only lost its connection sends its receive again over a new one, and gets the message.
 */
class GoneCallersTest {
  private static final long LONG_WAIT_MILLIS = 600_000;
  private QueueFixture fixture;

  @AfterEach
  void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  private RawQueueClient raw() throws Exception {
    return new RawQueueClient(fixture.server.port(), null, 1001);
  }

  private static long open(RawQueueClient client, String name) throws Exception {
    return client.call(MessageQueueServiceV1.OPEN,
        new OpenRequest(name, Access.READ_WRITE, false, false, 0, 0, 0, false)).value().handle();
  }

  private static void gone(RawQueueClient client, boolean reset) throws Exception {
    if (reset) {
      client.peer().reset();
    } else {
      client.close(); // what a process's exit does to its sockets
    }
  }

  @ParameterizedTest(name = "reset {0}")
  @ValueSource(booleans = {false, true})
  void aDeadConsumersWaitingReceiveLeavesTheNextMessageToAnother(boolean reset) throws Exception {
    fixture = new QueueFixture();
    MessageQueue producer = MessageQueues.open(fixture.client(1000, 100), "/consumers",
        OpenOptions.create(0666, QueueAttributes.of(4, 8)));
    try (RawQueueClient dead = raw()) {
      long handle = open(dead, "/consumers");
      dead.send(MessageQueueServiceV1.RECEIVE, new ReceiveRequest(new Receipt(handle, 1), LONG_WAIT_MILLIS));
      fixture.awaitStats("/consumers", s -> s.waitingReceivers() == 1);
      MessageQueue other = MessageQueues.open(fixture.client(1002, 100), "/consumers", OpenOptions.existing());
      CompletableFuture<ReceivedMessage> next = other.receiveAsync();
      fixture.awaitStats("/consumers", s -> s.waitingReceivers() == 2); // behind the dead one

      gone(dead, reset);
      producer.send(new byte[] {42}, 0); // whether or not the server has heard of the close yet
      // Well within the reservation's lease of 60 s, which is when it came before.
      assertArrayEquals(new byte[] {42}, next.get(20, TimeUnit.SECONDS).message());
    }
    QueueStats after = fixture.awaitStats("/consumers", s -> s.waitingReceivers() == 0);
    assertEquals(0, after.depth());
    assertEquals(0, after.reserved());
  }

  @ParameterizedTest(name = "reset {0}")
  @ValueSource(booleans = {false, true})
  void aConsumerThatDiesBetweenItsReceiveAndItsCommitGivesTheMessageBackAtOnce(boolean reset) throws Exception {
    fixture = new QueueFixture();
    MessageQueue producer = MessageQueues.open(fixture.client(1000, 100), "/uncommitted",
        OpenOptions.create(0666, QueueAttributes.of(4, 8)));
    producer.send(new byte[] {1}, 0);
    producer.send(new byte[] {2}, 0);
    try (RawQueueClient dead = raw()) {
      long handle = open(dead, "/uncommitted");
      // The reply is read: the message is reserved for a receiver that will never commit.
      assertArrayEquals(new byte[] {1}, dead.call(MessageQueueServiceV1.RECEIVE,
          new ReceiveRequest(new Receipt(handle, 1), 0)).value().message());
      assertEquals(1, fixture.awaitStats("/uncommitted", s -> true).reserved());
      gone(dead, reset);
      // Within the fixture's 10 s, well inside the reservation's lease of 60 s.
      fixture.awaitStats("/uncommitted", s -> s.reserved() == 0);
    }
    assertArrayEquals(new byte[] {1}, producer.receive(Duration.ofSeconds(20)).message(), "back in its place");
    assertArrayEquals(new byte[] {2}, producer.receive(Duration.ofSeconds(20)).message());
  }

  @ParameterizedTest(name = "reset {0}")
  @ValueSource(booleans = {false, true})
  void aDeadProducersWaitingSendIsWithdrawnAndItsBytesGiven(boolean reset) throws Exception {
    int size = 600;
    fixture = new QueueFixture(QueueServer.builder().maxWaitingSendBytesPerClient(1000).build());
    MessageQueue live = MessageQueues.open(fixture.client(1000, 100), "/producers",
        OpenOptions.create(0666, QueueAttributes.of(1, size)));
    try (RawQueueClient dead = raw()) {
      long handle = open(dead, "/producers");
      byte[] first = new byte[size];
      first[0] = 1;
      dead.call(MessageQueueServiceV1.SEND, new SendRequest(new Receipt(handle, 1), 0, first, 0));
      dead.send(MessageQueueServiceV1.SEND, new SendRequest(new Receipt(handle, 2), 0, new byte[size], LONG_WAIT_MILLIS));
      fixture.awaitStats("/producers", s -> s.waitingSenders() == 1);
      // Both clients are 127.0.0.1: a second waiting send of 600 bytes is over the share of 1000.
      assertEquals(MqError.EAGAIN, errorOf(() -> live.send(new byte[size], 0, Duration.ofMinutes(10))));

      gone(dead, reset);
      fixture.awaitStats("/producers", s -> s.waitingSenders() == 0);
    }
    byte[] mine = new byte[size];
    mine[0] = 2;
    CompletableFuture<Void> waiting = live.sendAsync(mine, 0); // its share is free again
    fixture.awaitStats("/producers", s -> s.waitingSenders() == 1);
    assertEquals(1, live.receive(Duration.ofSeconds(20)).message()[0]);
    waiting.get(20, TimeUnit.SECONDS);
    assertEquals(2, live.receive(Duration.ofSeconds(20)).message()[0]);
    assertEquals(MqError.EAGAIN, errorOf(live::tryReceive), "the dead producer's message never got in");
  }

  @Test
  void aDeadProcesssNotificationIsFreeForOthers() throws Exception {
    fixture = new QueueFixture();
    MessageQueue live = MessageQueues.open(fixture.client(1000, 100), "/notified",
        OpenOptions.create(0666, QueueAttributes.of(4, 8)));
    try (RawQueueClient dead = raw()) {
      long handle = open(dead, "/notified");
      dead.send(MessageQueueServiceV1.NOTIFY_ON_ARRIVAL, handle);
      fixture.awaitStats("/notified", QueueStats::notifying);
      assertEquals(MqError.EBUSY, errorOf(live.notifyOnArrival()));
      gone(dead, false);
      fixture.awaitStats("/notified", s -> !s.notifying());
    }
    CompletableFuture<Void> mine = live.notifyOnArrival();
    fixture.awaitStats("/notified", QueueStats::notifying);
    live.send(new byte[] {7}, 0);
    mine.get(20, TimeUnit.SECONDS);
  }

  /**
   * A registration whose connection resets is withdrawn by the server (its caller went) and sent
   * again by the client's runtime over its next connection, where it registers again: the next
   * arrival fires it, round after round (not EBUSY against its own withdrawn self, nor lost).
   */
  @Test
  void aRegistrationWhoseConnectionResetsStillFires() throws Exception {
    fixture = new QueueFixture();
    MessageQueue producer = MessageQueues.open(fixture.client(1000, 100), "/renotified",
        OpenOptions.create(0666, QueueAttributes.of(4, 8)));
    try (FaultProxy proxy = new FaultProxy(fixture.server.port(), FaultProxy.Faults.NONE, 1);
        RpcClient far = farClient(proxy);
        MessageQueue consumer = MessageQueues.open(far, "/renotified", OpenOptions.existing())) {
      for (int round = 0; round < 10; round++) {
        CompletableFuture<Void> notified = consumer.notifyOnArrival();
        fixture.awaitStats("/renotified", QueueStats::notifying);
        long connects = far.stats().connects();
        proxy.resetAll();
        assertTrue(Await.within(() -> far.stats().connects() > connects, Duration.ofSeconds(30)), "sent again");
        fixture.awaitStats("/renotified", QueueStats::notifying);
        producer.send(new byte[] {(byte) round}, 0);
        notified.get(20, TimeUnit.SECONDS);
        producer.receive(Duration.ofSeconds(20));
      }
    }
  }

  @Test
  void aClientThatLostItsConnectionGetsTheMessageOverItsNextOne() throws Exception {
    fixture = new QueueFixture();
    MessageQueue producer = MessageQueues.open(fixture.client(1000, 100), "/again",
        OpenOptions.create(0666, QueueAttributes.of(4, 8)));
    try (FaultProxy proxy = new FaultProxy(fixture.server.port(), FaultProxy.Faults.NONE, 1);
        RpcClient far = farClient(proxy);
        MessageQueue consumer = MessageQueues.open(far, "/again", OpenOptions.existing())) {
      CompletableFuture<ReceivedMessage> receive = consumer.receiveAsync(Duration.ofSeconds(30));
      fixture.awaitStats("/again", s -> s.waitingReceivers() == 1);
      proxy.resetAll(); // the server ends the waiting receive; the client sends it again
      producer.send(new byte[] {9}, 0);
      assertArrayEquals(new byte[] {9}, receive.get(30, TimeUnit.SECONDS).message());
      assertFalse(receive.isCompletedExceptionally());
    }
    QueueStats after = fixture.awaitStats("/again", s -> s.depth() == 0);
    assertEquals(0, after.reserved(), "taken once, by the receive that was sent again");
  }

  /** A client of uid 1001 that reaches the queue server through {@code proxy}, whose resets it lives through. */
  private static RpcClient farClient(FaultProxy proxy) {
    return RpcClient.builder().address("127.0.0.1", proxy.port())
        .credentials(new AuthSys(0, "far", 1001, 100, new int[0])).timeout(Duration.ofSeconds(30)).build();
  }
}
