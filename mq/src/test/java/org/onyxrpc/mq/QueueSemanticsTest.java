package org.onyxrpc.mq;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.onyxrpc.client.RpcClient;

/** mq_* semantics against a queue server over TCP. */
class QueueSemanticsTest {
  private QueueFixture fixture;
  private RpcClient rpc;

  @BeforeEach
  void start() throws Exception {
    fixture = new QueueFixture();
    rpc = fixture.client(1000, 100);
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  static MqError errorOf(Executable call) {
    return assertThrows(MessageQueueException.class, call).error();
  }

  static MqError errorOf(CompletableFuture<?> call) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(20, TimeUnit.SECONDS));
    return ((MessageQueueException) e.getCause()).error();
  }

  private MessageQueue create(String name, long maxMessages, long messageSize) {
    return MessageQueues.open(rpc, name, OpenOptions.create(0600, QueueAttributes.of(maxMessages, messageSize)));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  private static String text(ReceivedMessage m) {
    return new String(m.message(), UTF_8);
  }

  @Test
  void createExclusiveOpenExistingAndNames() {
    MessageQueue q = MessageQueues.open(rpc, "/orders",
        OpenOptions.create(0600, QueueAttributes.of(10, 64)).exclusive());
    assertEquals(new QueueAttributes(10, 64, 0, false), q.attributes());
    assertEquals(MqError.EEXIST, errorOf(() -> MessageQueues.open(rpc, "/orders",
        OpenOptions.create(0600, QueueAttributes.of(10, 64)).exclusive())));
    // O_CREAT without O_EXCL opens the existing queue; its attributes are the creator's.
    MessageQueue again = MessageQueues.open(rpc, "/orders", OpenOptions.create(0600, QueueAttributes.of(5, 5)));
    assertEquals(10, again.attributes().maxMessages());
    MessageQueues.open(rpc, "/orders", OpenOptions.existing()).close();
    assertEquals(MqError.ENOENT, errorOf(() -> MessageQueues.open(rpc, "/missing", OpenOptions.existing())));
    for (String bad : List.of("orders", "/", "")) {
      assertEquals(MqError.EINVAL, errorOf(() -> MessageQueues.open(rpc, bad, OpenOptions.existing())), bad);
    }
    assertEquals(MqError.EINVAL, errorOf(() -> MessageQueues.open(rpc, "/huge",
        OpenOptions.create(0600, QueueAttributes.of(1_000_000, 64)))));
  }

  @Test
  void aNameWithALoneSurrogateIsNotTheNameWithAQuestionMark() {
    // UTF-8 has no lone surrogate; the encoder wrote '?' for it, so these calls reached "/jobs?".
    MessageQueues.open(rpc, "/jobs?", OpenOptions.create(0600)).close();
    assertEquals(MqError.EINVAL, errorOf(() -> MessageQueues.open(rpc, "/jobs\uD800",
        OpenOptions.create(0600).exclusive())));
    assertEquals(MqError.EINVAL, errorOf(() -> MessageQueues.unlink(rpc, "/jobs\uDC00")));
    MessageQueues.unlink(rpc, "/jobs?");
  }

  @Test
  void highestPriorityFirstFifoWithinPriority() {
    MessageQueue q = create("/prio", 100, 16);
    q.send(bytes("low-1"), 1);
    q.send(bytes("high-1"), 30);
    q.send(bytes("low-2"), 1);
    q.send(bytes("zero"), 0);
    q.send(bytes("high-2"), 30);
    q.send(bytes("max"), MessageQueues.MQ_PRIO_MAX - 1);
    List<String> got = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      got.add(text(q.receive()));
    }
    assertEquals(List.of("max", "high-1", "high-2", "low-1", "low-2", "zero"), got);
  }

  /** Senders on their own connections (as on other machines), two of them, and two sharing one. */
  @Test
  void priorityOrderUnderConcurrentSenders() throws Exception {
    int senders = 4;
    int each = 200;
    MessageQueue q = create("/concurrent", senders * each, 16);
    List<MessageQueue> handles = List.of(q, q,
        MessageQueues.open(fixture.client(1000, 100), "/concurrent", OpenOptions.existing()),
        MessageQueues.open(fixture.client(1000, 100), "/concurrent", OpenOptions.existing()));
    List<CompletableFuture<Void>> running = new ArrayList<>();
    for (int s = 0; s < senders; s++) {
      int sender = s;
      MessageQueue through = handles.get(s);
      running.add(CompletableFuture.runAsync(() -> {
        for (int i = 0; i < each; i++) {
          through.send(bytes(sender + ":" + i), i % 8);
        }
      }));
    }
    CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    assertEquals(senders * each, q.attributes().currentMessages());
    int lastPriority = Integer.MAX_VALUE;
    Map<String, Integer> lastIndex = new HashMap<>();
    for (int n = 0; n < senders * each; n++) {
      ReceivedMessage m = q.tryReceive();
      assertTrue(m.priority() <= lastPriority, "priority went up");
      if (m.priority() < lastPriority) {
        lastIndex.clear();
        lastPriority = m.priority();
      }
      String[] parts = text(m).split(":");
      int index = Integer.parseInt(parts[1]);
      assertEquals(m.priority(), index % 8);
      Integer previous = lastIndex.put(parts[0], index);
      assertTrue(previous == null || previous < index, "FIFO within a priority, per sender");
    }
    assertEquals(MqError.EAGAIN, errorOf(q::tryReceive));
  }

  @Test
  void oversizeMessagesAndBadPrioritiesAreRefusedNotTruncated() {
    MessageQueue q = create("/small", 4, 8);
    assertEquals(MqError.EMSGSIZE, errorOf(() -> q.send(new byte[9], 0)));
    assertEquals(MqError.EINVAL, errorOf(() -> q.send(new byte[1], MessageQueues.MQ_PRIO_MAX)));
    assertEquals(MqError.EINVAL, errorOf(() -> q.send(new byte[1], -1)));
    q.send(new byte[8], 0);
    assertEquals(1, q.attributes().currentMessages());
    assertArrayEquals(new byte[8], q.receive().message());
  }

  @Test
  void fullQueueBlocksTimesOutOrFailsAtOnce() throws Exception {
    MessageQueue q = create("/full", 2, 8);
    q.send(bytes("a"), 0);
    q.send(bytes("b"), 0);
    assertEquals(MqError.EAGAIN, errorOf(() -> q.trySend(bytes("c"), 0)));
    assertEquals(MqError.ETIMEDOUT, errorOf(() -> q.send(bytes("c"), 0, Duration.ofMillis(50))));
    q.setNonBlocking(true);
    assertEquals(MqError.EAGAIN, errorOf(() -> q.send(bytes("c"), 0)));
    q.setNonBlocking(false);

    CompletableFuture<Void> blocked = q.sendAsync(bytes("c"), 9);
    fixture.awaitStats("/full", s -> s.waitingSenders() == 1);
    assertFalse(blocked.isDone());
    assertEquals("a", text(q.receive()));
    blocked.get(20, TimeUnit.SECONDS);
    assertEquals(List.of("c", "b"), List.of(text(q.receive()), text(q.receive())));
  }

  @Test
  void emptyQueueBlocksTimesOutOrFailsAtOnce() throws Exception {
    MessageQueue q = create("/empty", 2, 8);
    assertEquals(MqError.EAGAIN, errorOf(q::tryReceive));
    assertEquals(MqError.ETIMEDOUT, errorOf(() -> q.receive(Duration.ofMillis(50))));
    q.setNonBlocking(true);
    assertTrue(q.attributes().nonBlocking());
    assertEquals(MqError.EAGAIN, errorOf(() -> q.receive()));
    q.setNonBlocking(false);

    CompletableFuture<ReceivedMessage> waiting = q.receiveAsync(Duration.ofSeconds(20));
    fixture.awaitStats("/empty", s -> s.waitingReceivers() == 1);
    q.send(bytes("hello"), 3);
    ReceivedMessage m = waiting.get(20, TimeUnit.SECONDS);
    assertEquals("hello", text(m));
    assertEquals(3, m.priority());
    assertEquals(0, q.attributes().currentMessages());
  }

  /**
   * Whoever waits longest is served first, whatever its connection (Linux serves the highest
   * thread priority first, then the longest waiting; a call has no thread priority here), and
   * whatever the message's priority.
   */
  @Test
  void waitingReceiversAreServedInArrivalOrder() throws Exception {
    MessageQueue q = create("/line", 4, 8);
    MessageQueue elsewhere = MessageQueues.open(fixture.client(1000, 100), "/line", OpenOptions.existing());
    CompletableFuture<ReceivedMessage> first = q.receiveAsync();
    fixture.awaitStats("/line", s -> s.waitingReceivers() == 1);
    CompletableFuture<ReceivedMessage> second = elsewhere.receiveAsync();
    fixture.awaitStats("/line", s -> s.waitingReceivers() == 2);
    CompletableFuture<ReceivedMessage> third = q.receiveAsync();
    fixture.awaitStats("/line", s -> s.waitingReceivers() == 3);
    q.send(bytes("1"), 0);
    q.send(bytes("2"), 9);
    q.send(bytes("3"), 5);
    assertEquals("1", text(first.get(20, TimeUnit.SECONDS)));
    assertEquals("2", text(second.get(20, TimeUnit.SECONDS)));
    assertEquals("3", text(third.get(20, TimeUnit.SECONDS)));
  }

  @Test
  void notificationFiresOnceOnArrivalAtAnEmptyQueue() throws Exception {
    MessageQueue q = create("/notify", 4, 8);
    MessageQueue other = MessageQueues.open(rpc, "/notify", OpenOptions.existing());
    CompletableFuture<Void> arrival = q.notifyOnArrival();
    fixture.awaitStats("/notify", QueueStats::notifying);
    // One registration per queue: the second waits for no message, it fails at once.
    assertEquals(MqError.EBUSY, errorOf(other.notifyOnArrival()));
    assertFalse(arrival.isDone());
    other.send(bytes("x"), 0);
    arrival.get(20, TimeUnit.SECONDS);

    // Fired once: a new registration on a queue that is not empty is not fired by more messages.
    CompletableFuture<Void> again = q.notifyOnArrival();
    fixture.awaitStats("/notify", QueueStats::notifying);
    other.send(bytes("y"), 0);
    q.receive();
    q.receive();
    assertFalse(again.isDone());
    // Cancelling removes the registration, so another handle may register.
    assertTrue(again.cancel(false));
    fixture.awaitStats("/notify", s -> !s.notifying());
    CompletableFuture<Void> third = other.notifyOnArrival();
    fixture.awaitStats("/notify", QueueStats::notifying);
    q.send(bytes("z"), 0);
    third.get(20, TimeUnit.SECONDS);
  }

  @Test
  void notificationIsNotFiredWhileAReceiverWaits() throws Exception {
    MessageQueue q = create("/notify2", 4, 8);
    CompletableFuture<Void> arrival = q.notifyOnArrival();
    fixture.awaitStats("/notify2", QueueStats::notifying);
    CompletableFuture<ReceivedMessage> receiver = q.receiveAsync();
    fixture.awaitStats("/notify2", s -> s.waitingReceivers() == 1);
    q.send(bytes("x"), 0);
    assertEquals("x", text(receiver.get(20, TimeUnit.SECONDS)));
    assertFalse(arrival.isDone());
    q.send(bytes("y"), 0);
    arrival.get(20, TimeUnit.SECONDS);
  }

  @Test
  void unlinkWhileOpenKeepsTheQueueUntilTheLastClose() {
    MessageQueue a = create("/doomed", 4, 8);
    MessageQueue b = MessageQueues.open(rpc, "/doomed", OpenOptions.existing());
    a.send(bytes("kept"), 0);
    MessageQueues.unlink(rpc, "/doomed");
    assertEquals(MqError.ENOENT, errorOf(() -> MessageQueues.open(rpc, "/doomed", OpenOptions.existing())));
    assertEquals(MqError.ENOENT, errorOf(() -> MessageQueues.unlink(rpc, "/doomed")));
    // The name is free: a new queue takes it, apart from the unlinked one.
    MessageQueue fresh = create("/doomed", 1, 1);
    assertEquals(0, fresh.attributes().currentMessages());
    assertEquals("kept", text(b.receive()));
    b.send(bytes("still"), 0);
    assertEquals("still", text(a.receive()));
    a.close();
    b.send(bytes("last"), 0);
    b.close();
    assertEquals(MqError.EBADF, errorOf(() -> b.send(bytes("gone"), 0)));
    assertEquals(1, fixture.queues.stats().size());
  }

  @Test
  void everyBlockingCallHasAnAsyncForm() throws Exception {
    MessageQueue q = MessageQueues.openAsync(rpc, "/async",
        OpenOptions.create(0600, QueueAttributes.of(2, 8))).get(20, TimeUnit.SECONDS);
    q.sendAsync(bytes("a"), 1).get(20, TimeUnit.SECONDS);
    q.sendAsync(bytes("b"), 2, Duration.ofSeconds(5)).get(20, TimeUnit.SECONDS);
    assertEquals(MqError.EAGAIN, errorOf(q.trySendAsync(bytes("c"), 0)));
    assertEquals(2, q.attributesAsync().get(20, TimeUnit.SECONDS).currentMessages());
    assertEquals(2, MessageQueues.statsAsync(rpc, "/async").get(20, TimeUnit.SECONDS).depth());
    assertEquals("b", text(q.receiveAsync(Duration.ofSeconds(5)).get(20, TimeUnit.SECONDS)));
    assertEquals("a", text(q.tryReceiveAsync().get(20, TimeUnit.SECONDS)));
    MessageQueues.unlinkAsync(rpc, "/async").get(20, TimeUnit.SECONDS);
    q.closeAsync().get(20, TimeUnit.SECONDS);
    assertEquals(0, fixture.queues.stats().size());
  }

  @Test
  void closingAHandleFailsItsWaitingCalls() {
    MessageQueue q = create("/closing", 1, 8);
    CompletableFuture<ReceivedMessage> waiting = q.receiveAsync();
    fixture.awaitStats("/closing", s -> s.waitingReceivers() == 1);
    q.close();
    assertEquals(MqError.EBADF, errorOf(waiting));
    q.close();
  }

  @Test
  void statsCountDepthBytesAndWaiters() throws Exception {
    MessageQueue q = create("/stats", 2, 100);
    q.send(new byte[10], 0);
    q.send(new byte[30], 0);
    CompletableFuture<Void> blocked = q.sendAsync(new byte[5], 0);
    QueueStats s = fixture.awaitStats("/stats", x -> x.waitingSenders() == 1);
    assertEquals(2, s.depth());
    assertEquals(40, s.bytes());
    assertEquals(1, s.openHandles());
    assertEquals(s, MessageQueues.stats(rpc, "/stats"));
    q.receive();
    blocked.get(20, TimeUnit.SECONDS);
    assertEquals(35, fixture.awaitStats("/stats", x -> x.waitingSenders() == 0).bytes());
  }

  @Test
  void serverLimitsAreEnforced() throws Exception {
    try (QueueFixture small = new QueueFixture(QueueServer.builder().maxQueues(1).maxWaitersPerQueue(1).build())) {
      RpcClient c = small.client(1, 1);
      MessageQueue q = MessageQueues.open(c, "/one", OpenOptions.create(0600, QueueAttributes.of(1, 1)));
      assertEquals(MqError.ENOSPC, errorOf(() -> MessageQueues.open(c, "/two",
          OpenOptions.create(0600, QueueAttributes.of(1, 1)))));
      CompletableFuture<ReceivedMessage> waiting = q.receiveAsync();
      small.awaitStats("/one", s -> s.waitingReceivers() == 1);
      assertEquals(MqError.EAGAIN, errorOf(q.receiveAsync()));
      q.send(new byte[1], 0);
      waiting.get(20, TimeUnit.SECONDS);
    }
  }
}
