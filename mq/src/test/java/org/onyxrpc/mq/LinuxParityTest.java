package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onyxrpc.mq.QueueSemanticsTest.errorOf;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;

/**
 * Cases where Onyx was compared with Linux's own {@code mq_*} (a C program run against the kernel)
 * and differed; each asserts what Linux does. {@link #everyCaseOfTheCProgramAsLinuxAnswersIt}
 * runs the cases of {@code src/test/c/linux_parity.c} through Onyx ({@link OnyxParityCases}) and
 * compares each with what that program printed against Linux ({@code linux-parity.txt}).
 */
class LinuxParityTest {
  /**
   * Where Onyx answers otherwise on purpose (mq/README.md, "Where it departs from one machine's
   * queues"): the case and Onyx's outcome.
   */
  private static final Map<String, String> KEPT_DIFFERENCES = Map.of(
      "name-slash-alone", "EINVAL",  // Linux: ENOENT
      "name-dot", "ok",              // Linux: EACCES, its mqueue file system's own entry
      "name-dot-dot", "ok",          // likewise
      "close-twice", "ok",           // Linux: EBADF; close() is AutoCloseable's, twice does nothing
      // Linux: EMSGSIZE, a buffer shorter than mq_msgsize; receive() has no buffer, it returns the message
      "receive-buffer-below-msgsize", "ok,curmsgs=0",
      // Linux: the receive blocked in the closed descriptor waits on and gets the next message;
      // close() ends the handle's waiting calls, as closing a channel ends its blocked calls
      "receive-blocked-on-closed-descriptor", "EBADF");

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

  private MessageQueue create(String name, long maxMessages, long messageSize) {
    return MessageQueues.open(rpc, name, OpenOptions.create(0600, QueueAttributes.of(maxMessages, messageSize)));
  }

  @Test
  void everyCaseOfTheCProgramAsLinuxAnswersIt() throws Exception {
    List<String> linux;
    try (InputStream in = LinuxParityTest.class.getResourceAsStream("linux-parity.txt")) {
      linux = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
    List<String> onyx = new OnyxParityCases(fixture).run();
    List<String> expected = new ArrayList<>();
    for (String line : linux) {
      String name = line.substring(0, line.indexOf(' '));
      expected.add(KEPT_DIFFERENCES.containsKey(name) ? name + " " + KEPT_DIFFERENCES.get(name) : line);
    }
    assertEquals(String.join("\n", expected), String.join("\n", onyx));
  }

  @Test
  void namesAreCheckedAsLinuxChecksThem() {
    // NAME_MAX (255) characters after the slash is a name; one more is ENAMETOOLONG, not an RPC failure.
    String longest = "/" + "x".repeat(255);
    create(longest, 1, 1).close();
    MessageQueues.unlink(rpc, longest);
    String tooLong = "/" + "x".repeat(256);
    assertEquals(MqError.ENAMETOOLONG, errorOf(() -> create(tooLong, 1, 1)));
    assertEquals(MqError.ENAMETOOLONG, errorOf(() -> MessageQueues.unlink(rpc, tooLong + "x".repeat(1000))));
    assertEquals(MqError.ENAMETOOLONG, errorOf(() -> MessageQueues.stats(rpc, tooLong)));
    // mq_open(3): "EACCES The name contained more than one slash."
    assertEquals(MqError.EACCES, errorOf(() -> create("/a/b", 1, 1)));
    assertEquals(MqError.EACCES, errorOf(() -> create("//ab", 1, 1)));
    assertEquals(MqError.EINVAL, errorOf(() -> create("noslash", 1, 1)));
    assertEquals(MqError.EINVAL, errorOf(() -> create("", 1, 1)));
    // A NUL ends mq_open's C string; here it was part of a name no C program could give.
    assertEquals(MqError.EINVAL, errorOf(() -> create("/a\0b", 1, 1)));
    assertEquals(MqError.EINVAL, errorOf(() -> MessageQueues.unlink(rpc, "/a\0b")));
    assertEquals(List.of(), MessageQueues.list(rpc));
  }

  @Test
  void attributesBelowOneAreEinvalWhenCreatingAndIgnoredWhenOpening() {
    for (QueueAttributes bad : new QueueAttributes[] {QueueAttributes.of(0, 8), QueueAttributes.of(1, 0),
        QueueAttributes.of(-1, 8), QueueAttributes.of(1, -1)}) {
      assertEquals(MqError.EINVAL,
          errorOf(() -> MessageQueues.open(rpc, "/bad", OpenOptions.create(0600, bad))), bad.toString());
    }
    // O_CREAT on a queue that exists does not look at the attributes.
    create("/there", 2, 16);
    MessageQueue again = MessageQueues.open(rpc, "/there", OpenOptions.create(0600, QueueAttributes.of(-5, -5)));
    assertEquals(QueueAttributes.of(2, 16), again.attributes());
  }

  @Test
  void creatingWithoutAttributesTakesLinuxDefaults() {
    MessageQueue q = MessageQueues.open(rpc, "/defaults", OpenOptions.create(0600));
    assertEquals(QueueAttributes.of(10, 8192), q.attributes());
    MessageQueue nullAttr = MessageQueues.open(rpc, "/null-attr", OpenOptions.create(0600, null));
    assertEquals(QueueAttributes.of(10, 8192), nullAttr.attributes());
  }

  @Test
  void defaultsOnAServerWithLowerLimitsAreItsLimits() throws Exception {
    // Linux in an IPC namespace with msg_max 5 and msgsize_max 4096 (msg_default and
    // msgsize_default left at 10 and 8192): mq_open with a NULL attr made a queue of 5 × 4096;
    // with an attr of 10 × 8192 it was EINVAL.
    try (QueueFixture lowered = new QueueFixture(QueueServer.builder().maxMessages(5).maxMessageSize(4096).build())) {
      RpcClient c = lowered.client(1000, 100);
      MessageQueue byDefault = MessageQueues.open(c, "/by-default", OpenOptions.create(0600));
      assertEquals(QueueAttributes.of(5, 4096), byDefault.attributes());
      MessageQueue nullAttr = MessageQueues.open(c, "/null-attr", OpenOptions.create(0600, null).exclusive());
      assertEquals(QueueAttributes.of(5, 4096), nullAttr.attributes());
      assertEquals(MqError.EINVAL, errorOf(() -> MessageQueues.open(c, "/asked-for",
          OpenOptions.create(0600, QueueAttributes.of(10, 8192)))));
      byDefault.close();
      nullAttr.close();
    }
  }

  @Test
  void aClientBoundByLinuxsRlimitMsgqueueCreatesAsManyDefaultQueues() throws Exception {
    // Linux (RLIMIT_MSGQUEUE 819,200 bytes, root in a new IPC namespace here): 9 queues opened
    // with a NULL attr, then EMFILE. The same bound per client gives the same 9 (mq/README.md).
    try (QueueFixture bounded = new QueueFixture(QueueServer.builder().maxTotalBytesPerClient(819_200).build())) {
      RpcClient c = bounded.client(1000, 100);
      int created = 0;
      while (created < 20) {
        try {
          MessageQueues.open(c, "/rlimit-" + created, OpenOptions.create(0600).exclusive()).close();
          created++;
        } catch (MessageQueueException e) {
          assertEquals(MqError.EMFILE, e.error());
          break;
        }
      }
      assertEquals(9, created);
    }
  }

  @Test
  void aDeadlineAlreadyPassedTriesOnceAndTimesOut() {
    MessageQueue q = create("/past", 1, 8);
    q.send(new byte[] {1}, 2, Duration.ZERO);  // room: the message goes in
    assertEquals(MqError.ETIMEDOUT, errorOf(() -> q.send(new byte[] {2}, 2, Duration.ofSeconds(-1))));
    assertEquals(MqError.ETIMEDOUT, errorOf(() -> q.send(new byte[] {2}, 2, Duration.ZERO)));
    ReceivedMessage m = q.receive(Duration.ofMillis(-5));  // a message: it is taken
    assertArrayEquals(new byte[] {1}, m.message());
    assertEquals(MqError.ETIMEDOUT, errorOf(() -> q.receive(Duration.ZERO)));
    assertEquals(MqError.ETIMEDOUT, errorOf(q.receiveAsync(Duration.ofSeconds(-1))));
    // O_NONBLOCK comes first, as on Linux: EAGAIN.
    q.setNonBlocking(true);
    assertEquals(MqError.EAGAIN, errorOf(() -> q.receive(Duration.ZERO)));
  }

  @Test
  void aTimeoutTooLongToCountIsAWaitWithoutEnd() throws Exception {
    MessageQueue q = create("/forever", 1, 8);
    CompletableFuture<ReceivedMessage> waiting = q.receiveAsync(Duration.ofSeconds(Long.MAX_VALUE));
    fixture.awaitStats("/forever", s -> s.waitingReceivers() == 1);
    q.send(new byte[] {7}, 0, Duration.ofSeconds(Long.MAX_VALUE));
    assertArrayEquals(new byte[] {7}, waiting.get(20, TimeUnit.SECONDS).message());
  }

  @Test
  void sendChecksThePriorityThenTheHandleThenTheSizeAsLinuxDoes() {
    create("/order-of-checks", 1, 8).close();
    MessageQueue readOnly = MessageQueues.open(rpc, "/order-of-checks", OpenOptions.existing().readOnly());
    // do_mq_timedsend: msg_prio >= MQ_PRIO_MAX is EINVAL before the descriptor is looked at.
    assertEquals(MqError.EINVAL, errorOf(() -> readOnly.send(new byte[1], MessageQueues.MQ_PRIO_MAX)));
    assertEquals(MqError.EBADF, errorOf(() -> readOnly.send(new byte[9], 0)));
    readOnly.close();
    // A closed handle is a bad descriptor too: EBADF before EMSGSIZE (it was EMSGSIZE).
    MessageQueue closed = MessageQueues.open(rpc, "/order-of-checks", OpenOptions.existing());
    closed.close();
    assertEquals(MqError.EINVAL, errorOf(() -> closed.send(new byte[9], -1)));
    assertEquals(MqError.EBADF, errorOf(() -> closed.send(new byte[9], 0)));
    assertEquals(MqError.EBADF, errorOf(closed.sendAsync(new byte[9], 0, Duration.ofSeconds(1))));
  }

  @Test
  void zeroLengthMessagesAreMessages() {
    MessageQueue q = create("/empty-messages", 2, 8);
    q.send(new byte[0], 3);
    assertEquals(1, q.attributes().currentMessages());
    ReceivedMessage m = q.receive();
    assertEquals(0, m.message().length);
    assertEquals(3, m.priority());
  }

  @Test
  void setAttributesChangesOnlyNonBlockingAndReturnsTheOldOnes() {
    MessageQueue q = create("/setattr", 2, 16);
    q.send(new byte[1], 0);
    QueueAttributes old = q.setAttributes(new QueueAttributes(99, 99, 99, true));
    assertEquals(new QueueAttributes(2, 16, 1, false), old);
    assertEquals(new QueueAttributes(2, 16, 1, true), q.attributes());
    q.tryReceive();
    assertEquals(MqError.EAGAIN, errorOf(() -> q.receive()));
    assertTrue(q.setAttributes(QueueAttributes.of(1, 1)).nonBlocking());
    assertFalse(q.attributes().nonBlocking());
  }
}
