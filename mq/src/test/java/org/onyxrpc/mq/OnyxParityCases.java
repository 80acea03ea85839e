package org.onyxrpc.mq;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.onyxrpc.mq.ParityOutcomes.bytes;
import static org.onyxrpc.mq.ParityOutcomes.outcome;
import static org.onyxrpc.mq.ParityOutcomes.rc;
import static org.onyxrpc.mq.ParityOutcomes.text;
import static org.onyxrpc.mq.ParityOutcomes.unwrap;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.AuthSys;

/**
 * The cases of {@code src/test/c/linux_parity.c}, in its order, run through Onyx: one line per
 * case, {@code "<case> <outcome>"}, as the C program prints them against Linux's own mq_*. The
 * root of the C program is uid 0 here ({@code owner}), its uid 1000 {@code stranger}.
 */
final class OnyxParityCases {
  private final QueueFixture fixture;
  private final RpcClient owner;
  private final RpcClient stranger;
  private final List<String> lines = new ArrayList<>();

  OnyxParityCases(QueueFixture fixture) {
    this.fixture = fixture;
    this.owner = fixture.client(0, 0);
    this.stranger = fixture.client(1000, 1000);
  }

  List<String> run() throws Exception {
    names();
    opening();
    permissions();
    messages();
    fullAndEmpty();
    attributes();
    badDescriptors();
    notification();
    unlinkWhileOpen();
    moreCases();
    waiters();
    inUse();
    edges();
    return lines;
  }

  private void line(String name, String outcome) {
    lines.add(name + " " + outcome);
  }

  private MessageQueue create(String name, long maxMessages, long messageSize) {
    return MessageQueues.open(owner, name, OpenOptions.create(0600, QueueAttributes.of(maxMessages, messageSize))
        .exclusive());
  }

  private void names() throws Exception {
    String longest = "/" + "n".repeat(255);
    line("name-255-bytes", rc(() -> create(longest, 1, 1).close()));
    MessageQueues.unlink(owner, longest);
    line("name-256-bytes", rc(() -> MessageQueues.open(owner, longest + "n", OpenOptions.create(0600))));
    line("name-two-slashes", rc(() -> MessageQueues.open(owner, "/onyx-parity-a/b", OpenOptions.create(0600))));
    line("name-no-slash", rc(() -> MessageQueues.open(owner, "onyx-parity-noslash", OpenOptions.create(0600))));
    line("name-slash-alone", rc(() -> MessageQueues.open(owner, "/", OpenOptions.create(0600))));
  }

  private void opening() throws Exception {
    line("open-missing", rc(() -> MessageQueues.open(owner, "/onyx-parity-missing", OpenOptions.existing())));
    MessageQueue q = create("/onyx-parity-open", 2, 16);
    line("open-exclusive-exists", rc(() -> MessageQueues.open(owner, "/onyx-parity-open",
        OpenOptions.create(0600).exclusive())));
    MessageQueue again = MessageQueues.open(owner, "/onyx-parity-open",
        OpenOptions.create(0600, QueueAttributes.of(5, 99)));
    QueueAttributes a = again.attributes();
    line("open-create-existing-keeps-attributes", a.maxMessages() + "," + a.messageSize());
    line("open-create-maxmsg-0", rc(() -> MessageQueues.open(owner, "/onyx-parity-bad",
        OpenOptions.create(0600, QueueAttributes.of(0, 8)))));
    line("open-create-msgsize-0", rc(() -> MessageQueues.open(owner, "/onyx-parity-bad",
        OpenOptions.create(0600, QueueAttributes.of(1, 0)))));
    again.close();
    q.close();
    MessageQueues.unlink(owner, "/onyx-parity-open");
  }

  private void permissions() throws Exception {
    create("/onyx-parity-perm", 2, 8).close();
    MessageQueues.open(owner, "/onyx-parity-perm-r", OpenOptions.create(0644, QueueAttributes.of(2, 8)).exclusive())
        .close();
    line("open-no-permission", rc(() -> MessageQueues.open(stranger, "/onyx-parity-perm",
        OpenOptions.existing().readOnly())));
    line("open-exclusive-exists-no-permission", rc(() -> MessageQueues.open(stranger, "/onyx-parity-perm",
        OpenOptions.create(0600).exclusive())));
    line("open-read-only-allowed", rc(() -> MessageQueues.open(stranger, "/onyx-parity-perm-r",
        OpenOptions.existing().readOnly())));
    line("open-write-not-allowed", rc(() -> MessageQueues.open(stranger, "/onyx-parity-perm-r",
        OpenOptions.existing().writeOnly())));
    line("unlink-not-owner", rc(() -> MessageQueues.unlink(stranger, "/onyx-parity-perm")));
    MessageQueues.unlink(owner, "/onyx-parity-perm");
    MessageQueues.unlink(owner, "/onyx-parity-perm-r");
  }

  private void messages() throws Exception {
    MessageQueue q = create("/onyx-parity-msg", 8, 16);
    line("send-exactly-msgsize", rc(() -> q.send(bytes("0123456789abcdef"), 0)));
    line("send-msgsize-plus-1", rc(() -> q.send(bytes("0123456789abcdefg"), 0)));
    line("receive-exactly-msgsize-length", String.valueOf(q.receive().message().length));
    line("send-zero-length", rc(() -> q.send(new byte[0], 3)));
    ReceivedMessage empty = q.receive();
    line("receive-zero-length", empty.message().length + "," + empty.priority());
    line("send-priority-max", rc(() -> q.send(bytes("x"), MessageQueues.MQ_PRIO_MAX)));
    String[][] order = {{"a", "1"}, {"b", "5"}, {"c", "5"}, {"d", "0"}, {"e", "32767"}, {"f", "1"}};
    for (String[] m : order) {
      q.send(bytes(m[0]), Integer.parseInt(m[1]));
    }
    List<String> received = new ArrayList<>();
    for (int i = 0; i < order.length; i++) {
      ReceivedMessage m = q.receive();
      received.add(new String(m.message(), UTF_8) + ":" + m.priority());
    }
    line("priority-order", String.join(",", received));
    q.close();
    MessageQueues.unlink(owner, "/onyx-parity-msg");
  }

  private void fullAndEmpty() throws Exception {
    MessageQueue q = MessageQueues.open(owner, "/onyx-parity-full",
        OpenOptions.create(0600, QueueAttributes.of(1, 8)).nonBlocking());
    Duration past = Duration.ofSeconds(-1);
    line("nonblocking-receive-empty", rc(q::receive));
    line("nonblocking-timedreceive-empty-past", rc(() -> q.receive(past)));
    line("nonblocking-send", rc(() -> q.send(bytes("1"), 0)));
    line("nonblocking-send-full", rc(() -> q.send(bytes("2"), 0)));
    q.setAttributes(QueueAttributes.of(1, 1)); // mq_setattr with mq_flags 0: blocking
    line("timedsend-full-past", rc(() -> q.send(bytes("2"), 0, past)));
    line("timedreceive-past-with-message", rc(() -> q.receive(past)));
    line("timedreceive-empty-past", rc(() -> q.receive(past)));
    line("timedsend-room-past", rc(() -> q.send(bytes("3"), 0, past)));
    q.close();
    MessageQueues.unlink(owner, "/onyx-parity-full");
  }

  private void attributes() throws Exception {
    MessageQueue q = create("/onyx-parity-attr", 3, 16);
    q.send(bytes("1"), 0);
    QueueAttributes set = new QueueAttributes(99, 99, 99, true);
    QueueAttributes old = q.setAttributes(set);
    QueueAttributes now = q.attributes();
    line("setattr-only-nonblock", "old=" + text(old) + " now=" + text(now));
    q.receive();
    line("setattr-nonblock-receive-empty", rc(q::receive));
    MessageQueue other = MessageQueues.open(owner, "/onyx-parity-attr", OpenOptions.existing());
    line("setattr-other-descriptor", (other.attributes().nonBlocking() ? "nonblock" : "block") + ","
        + rc(() -> other.receive(Duration.ofSeconds(-1))));
    other.close();
    q.close();
    line("getattr-closed", rc(q::attributes));
    line("setattr-closed", rc(() -> q.setAttributes(set)));
    MessageQueues.unlink(owner, "/onyx-parity-attr");
  }

  private void badDescriptors() throws Exception {
    create("/onyx-parity-badf", 2, 8).close();
    MessageQueue r = MessageQueues.open(owner, "/onyx-parity-badf", OpenOptions.existing().readOnly());
    MessageQueue w = MessageQueues.open(owner, "/onyx-parity-badf", OpenOptions.existing().writeOnly());
    line("send-read-only", rc(() -> r.send(bytes("x"), 0)));
    line("receive-write-only", rc(w::receive));
    r.close();
    line("send-closed", rc(() -> r.send(bytes("x"), 0)));
    line("receive-closed", rc(r::receive));
    line("notify-closed", rc(() -> unwrap(r.notifyOnArrival())));
    w.close();
    MessageQueues.unlink(owner, "/onyx-parity-badf");
  }

  /**
   * mq_notify: "ok" once the registration holds, else its error. Only one registration per queue
   * and nothing else registering, so a queue not notifying before the call has this one when it
   * is; on one notifying before, the call fails.
   */
  private String register(MessageQueue q, List<CompletableFuture<Void>> held) throws Exception {
    boolean busy = fixture.awaitStats(q.name(), s -> true).notifying();
    CompletableFuture<Void> f = q.notifyOnArrival();
    if (busy) {
      return rc(() -> unwrap(f));
    }
    fixture.awaitStats(q.name(), s -> s.notifying() || f.isDone());
    held.add(f);
    return f.isCompletedExceptionally() ? rc(() -> unwrap(f)) : "ok";
  }

  private void notification() throws Exception {
    List<CompletableFuture<Void>> held = new ArrayList<>();
    MessageQueue q = create("/onyx-parity-notify", 4, 8);
    line("notify-register", register(q, held));
    line("notify-register-again", register(q, held));
    MessageQueue other = MessageQueues.open(owner, "/onyx-parity-notify", OpenOptions.existing());
    line("notify-register-other-descriptor", register(other, held));
    q.send(bytes("1"), 0);
    held.remove(0).get(20, TimeUnit.SECONDS); // delivered: the registration is gone
    line("notify-after-delivery", register(other, held));
    q.send(bytes("2"), 0);
    line("notify-after-send-to-nonempty", register(q, held));
    q.receive();
    q.receive();
    CompletableFuture<ReceivedMessage> blocked = q.receiveAsync();
    fixture.awaitStats(q.name(), s -> s.waitingReceivers() == 1);
    q.send(bytes("3"), 0);
    blocked.get(20, TimeUnit.SECONDS);
    line("notify-after-send-to-blocked-receiver", register(q, held));
    CompletableFuture<Void> otherRegistration = held.remove(0);
    line("notify-cancel", rc(() -> otherRegistration.cancel(false)));
    fixture.awaitStats(q.name(), s -> !s.notifying());
    line("notify-after-cancel", register(q, held));
    line("notify-cancel-not-registered", "ok"); // other holds nothing: cancelling is a future's, nothing to call
    q.close();
    other.close();
    MessageQueues.unlink(owner, "/onyx-parity-notify");
  }

  private void unlinkWhileOpen() throws Exception {
    MessageQueue q = create("/onyx-parity-unlink", 2, 8);
    q.send(bytes("1"), 0);
    line("unlink-open", rc(() -> MessageQueues.unlink(owner, "/onyx-parity-unlink")));
    line("open-unlinked", rc(() -> MessageQueues.open(owner, "/onyx-parity-unlink", OpenOptions.existing())));
    line("unlink-unlinked", rc(() -> MessageQueues.unlink(owner, "/onyx-parity-unlink")));
    line("send-unlinked-open", rc(() -> q.send(bytes("2"), 0)));
    line("unlinked-open-curmsgs", String.valueOf(q.attributes().currentMessages()));
    MessageQueue fresh = create("/onyx-parity-unlink", 2, 8);
    line("recreate-unlinked-name", "ok," + fresh.attributes().currentMessages());
    fresh.close();
    q.close();
    MessageQueues.unlink(owner, "/onyx-parity-unlink");
  }
  private void moreCases() throws Exception {
    String name = "/" + "\u00e9".repeat(127) + "n";
    line("name-255-bytes-of-utf8", rc(() -> create(name, 1, 1).close()));
    MessageQueues.unlink(owner, name);
    line("name-256-bytes-of-utf8", rc(() -> MessageQueues.open(owner, "/" + "\u00e9".repeat(128),
        OpenOptions.create(0600))));
    line("open-create-maxmsg-65537", rc(() -> MessageQueues.open(owner, "/onyx-parity-huge",
        OpenOptions.create(0600, QueueAttributes.of(65_537, 8)))));

    MessageQueue q = MessageQueues.open(owner, "/onyx-parity-more",
        OpenOptions.create(0, QueueAttributes.of(1, 8)).exclusive().nonBlocking());
    line("create-mode-0-creator-sends", rc(() -> q.send(bytes("1"), 0)));
    line("send-oversize-full-nonblocking", rc(() -> q.send(bytes("123456789"), 0)));
    line("send-priority-max-full-nonblocking", rc(() -> q.send(bytes("1"), MessageQueues.MQ_PRIO_MAX)));
    // Root opens what it may not by its mode bits on Linux; here it is the owner, mode 0: write-only needs 0200.
    MessageQueue w = q;
    line("getattr-write-only", rc(w::attributes));
    List<CompletableFuture<Void>> held = new ArrayList<>();
    line("notify-write-only", register(w, held));
    line("notify-cancel-write-only", rc(() -> held.get(0).cancel(false)));
    q.close();
    line("open-create-existing-no-permission", rc(() -> MessageQueues.open(stranger, "/onyx-parity-more",
        OpenOptions.create(0600).readOnly())));
    line("unlink-missing-not-owner", rc(() -> MessageQueues.unlink(stranger, "/onyx-parity-missing")));
    line("unlink-mode-0-owner", rc(() -> MessageQueues.unlink(owner, "/onyx-parity-more")));
    line("name-dot", rc(() -> MessageQueues.open(owner, "/.", OpenOptions.create(0600)).close()));
    line("name-dot-dot", rc(() -> MessageQueues.open(owner, "/..", OpenOptions.create(0600)).close()));
    MessageQueue closed = create("/onyx-parity-close", 1, 8);
    closed.close();
    line("close-twice", rc(closed::close));
    MessageQueues.unlink(owner, "/onyx-parity-close");
    MessageQueues.unlink(owner, "/.");
    MessageQueues.unlink(owner, "/..");
  }

  /**
   * A registration once its holder goes, and the order of waiting senders and receivers. The C
   * program's other process is another client here, uid 0 too, whose connection closes without
   * its handle being closed: a process that dies.
   */
  private void waiters() throws Exception {
    List<CompletableFuture<Void>> held = new ArrayList<>();
    MessageQueue q = create("/onyx-parity-holder", 4, 8);
    MessageQueue other = MessageQueues.open(owner, "/onyx-parity-holder", OpenOptions.existing());
    register(other, held);
    other.close();
    line("notify-after-registering-descriptor-closed", register(q, held));
    held.remove(held.size() - 1).cancel(false);
    fixture.awaitStats(q.name(), s -> !s.notifying());
    RpcClient process = RpcClient.builder().address("127.0.0.1", fixture.server.port())
        .credentials(new AuthSys(0, "other", 0, 0, new int[0])).timeout(Duration.ofSeconds(20)).build();
    MessageQueue theirs = MessageQueues.open(process, "/onyx-parity-holder", OpenOptions.existing());
    line("notify-register-other-process", register(theirs, new ArrayList<>()));
    line("notify-register-while-other-process-holds", register(q, held));
    process.close(); // the process dies holding the registration and its handle
    theirs.closeAsync().exceptionally(e -> null); // only stops its lease renewals: the client is gone
    try {
      fixture.awaitStats(q.name(), s -> !s.notifying());
    } catch (AssertionError stillHeld) {
      // the line below says EBUSY
    }
    line("notify-after-registering-process-exits", register(q, held));
    q.close();
    MessageQueues.unlink(owner, "/onyx-parity-holder");

    MessageQueue senders = create("/onyx-parity-senders", 1, 8);
    senders.send(bytes("0"), 0);
    CompletableFuture<Void> first = senders.sendAsync(bytes("a"), 0);
    fixture.awaitStats(senders.name(), s -> s.waitingSenders() == 1);
    CompletableFuture<Void> second = senders.sendAsync(bytes("b"), 5);
    fixture.awaitStats(senders.name(), s -> s.waitingSenders() == 2);
    List<String> received = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ReceivedMessage m = senders.receive(Duration.ofSeconds(20));
      received.add(new String(m.message(), UTF_8) + ":" + m.priority());
    }
    first.get(20, TimeUnit.SECONDS);
    second.get(20, TimeUnit.SECONDS);
    line("waiting-senders-order", String.join(",", received));
    senders.close();
    MessageQueues.unlink(owner, "/onyx-parity-senders");

    MessageQueue receivers = create("/onyx-parity-receivers", 4, 8);
    CompletableFuture<ReceivedMessage> firstReceiver = receivers.receiveAsync();
    fixture.awaitStats(receivers.name(), s -> s.waitingReceivers() == 1);
    CompletableFuture<ReceivedMessage> secondReceiver = receivers.receiveAsync();
    fixture.awaitStats(receivers.name(), s -> s.waitingReceivers() == 2);
    receivers.send(bytes("1"), 0);
    receivers.send(bytes("2"), 9);
    line("waiting-receivers-order",
        "first:" + new String(firstReceiver.get(20, TimeUnit.SECONDS).message(), UTF_8)
        + ",second:" + new String(secondReceiver.get(20, TimeUnit.SECONDS).message(), UTF_8));
    receivers.close();
    MessageQueues.unlink(owner, "/onyx-parity-receivers");

    line("unlink-256-bytes", rc(() -> MessageQueues.unlink(owner, "/" + "n".repeat(256))));
    line("unlink-two-slashes", rc(() -> MessageQueues.unlink(owner, "/onyx-parity-a/b")));
    line("unlink-no-slash", rc(() -> MessageQueues.unlink(owner, "onyx-parity-noslash")));
  }

  /** Waits until the unlinked queue {@code name} has {@code receivers} receivers waiting. */
  private void awaitUnlinkedReceivers(String name, int receivers) {
    awaitUnlinked(name, s -> s.waitingReceivers() == receivers);
  }

  /** Waits until the unlinked queue {@code name}'s numbers pass {@code until}. */
  private void awaitUnlinked(String name, java.util.function.Predicate<QueueStats> until) {
    if (!org.onyxrpc.testing.Await.within(() -> fixture.queues.stats().stream()
        .anyMatch(s -> s.name().equals(name) && s.unlinked() && until.test(s)),
        Duration.ofMinutes(1))) {
      throw new AssertionError("the unlinked " + name + " never came to what was awaited");
    }
  }

  /**
   * Queues in use by more than one handle. The C program's other descriptor of the same process
   * is, for FIFO across senders, another client's handle here: another connection.
   */
  private void inUse() throws Exception {
    MessageQueue d = MessageQueues.open(owner, "/onyx-parity-defaults", OpenOptions.create(0600, null).exclusive());
    QueueAttributes a = d.attributes();
    line("open-null-attr-defaults", a.maxMessages() + "," + a.messageSize());
    d.close();
    MessageQueues.unlink(owner, "/onyx-parity-defaults");

    MessageQueue q = create("/onyx-parity-inuse", 4, 8);
    MessageQueue other = MessageQueues.open(fixture.client(0, 0), "/onyx-parity-inuse", OpenOptions.existing());
    q.send(bytes("1"), 0);
    line("getattr-other-descriptor-after-send", String.valueOf(other.attributes().currentMessages()));
    other.receive();

    CompletableFuture<ReceivedMessage> blocked = q.receiveAsync();
    fixture.awaitStats(q.name(), s -> s.waitingReceivers() == 1);
    other.setAttributes(new QueueAttributes(0, 0, 0, true));
    fixture.awaitStats(q.name(), s -> s.waitingReceivers() == 1 || blocked.isDone());
    a = q.attributes();
    line("setattr-nonblock-other-while-blocked", (a.nonBlocking() ? "nonblock" : "block") + ",curmsgs="
        + a.currentMessages());
    other.send(bytes("x"), 0);
    line("blocked-receive-after-other-setattr", outcome(blocked));
    // A blocking receive() in a thread of its own, as the C program's, which O_NONBLOCK set on
    // its own handle meanwhile does not end.
    CompletableFuture<ReceivedMessage> blockedHere = CompletableFuture.supplyAsync(q::receive);
    fixture.awaitStats(q.name(), s -> s.waitingReceivers() == 1);
    line("setattr-nonblock-while-own-receive-blocked", rc(() -> q.setAttributes(new QueueAttributes(0, 0, 0, true))));
    fixture.awaitStats(q.name(), s -> s.waitingReceivers() == 1 || blockedHere.isDone());
    other.send(bytes("y"), 0);
    line("blocked-receive-after-own-setattr", outcome(blockedHere));

    q.send(bytes("z"), 0);
    line("receive-buffer-below-msgsize", rc(q::receive) + ",curmsgs=" + q.attributes().currentMessages());

    line("send-priority-max-minus-1", rc(() -> q.send(bytes("p"), MessageQueues.MQ_PRIO_MAX - 1)));
    ReceivedMessage top = q.receive();
    line("receive-priority-max-minus-1", new String(top.message(), UTF_8) + ":" + top.priority());

    q.send(bytes("a"), 7);
    other.send(bytes("b"), 7);
    q.send(bytes("c"), 7);
    other.send(bytes("d"), 7);
    List<String> fifo = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      fifo.add(new String((i % 2 == 0 ? other : q).receive().message(), UTF_8));
    }
    line("fifo-equal-priority-two-descriptors", String.join(",", fifo));

    q.setAttributes(QueueAttributes.of(1, 1));
    Duration farthest = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);
    line("timedsend-farthest-deadline-room", rc(() -> q.send(bytes("f"), 0, farthest)));
    line("timedreceive-farthest-deadline-message", rc(() -> q.receive(farthest)));
    other.close();
    q.close();
    MessageQueues.unlink(owner, "/onyx-parity-inuse");

    String name = "/onyx-parity-unlink-blocked";
    MessageQueue waiter = create(name, 2, 8);
    MessageQueue sender = MessageQueues.open(owner, name, OpenOptions.existing().writeOnly());
    MessageQueue closer = MessageQueues.open(owner, name, OpenOptions.existing());
    CompletableFuture<ReceivedMessage> waiting = waiter.receiveAsync();
    fixture.awaitStats(name, s -> s.waitingReceivers() == 1);
    line("unlink-while-receive-blocked", rc(() -> MessageQueues.unlink(owner, name)));
    line("close-other-while-receive-blocked", rc(closer::close));
    MessageQueue fresh = create(name, 2, 8);
    line("recreate-while-receive-blocked", "ok,curmsgs=" + fresh.attributes().currentMessages());
    sender.send(bytes("s"), 0);
    line("unlinked-blocked-receive", outcome(waiting) + ",new-curmsgs=" + fresh.attributes().currentMessages());

    CompletableFuture<ReceivedMessage> waitingOnClosed = waiter.receiveAsync();
    awaitUnlinkedReceivers(name, 1);
    line("close-own-while-receive-blocked", rc(waiter::close));
    sender.send(bytes("t"), 0);
    line("receive-blocked-on-closed-descriptor", outcome(waitingOnClosed));
    sender.close();
    fresh.close();
    MessageQueues.unlink(owner, name);
  }

  /**
   * A registration made on a queue that is not empty, a notification on an unlinked queue,
   * {@code currentMessages} and a non-blocking send while a sender waits on a full queue,
   * deadlines that pass while waiting, the largest message size, and the C program's uid 1000 on
   * a queue of mode 0666.
   */
  private void edges() throws Exception {
    List<CompletableFuture<Void>> held = new ArrayList<>();
    String name = "/onyx-parity-edges";
    MessageQueue q = create(name, 4, 8);
    q.send(bytes("1"), 0);
    line("notify-register-nonempty", register(q, held));
    q.send(bytes("2"), 0);
    line("notify-registered-nonempty-after-send", register(q, held));
    q.receive();
    q.receive();
    line("notify-registered-nonempty-after-drain", register(q, held));
    q.send(bytes("3"), 0);
    held.remove(0).get(20, TimeUnit.SECONDS); // delivered: the registration is gone
    line("notify-registered-nonempty-after-drain-and-send", register(q, held));
    q.receive();
    line("unlink-notifying", rc(() -> MessageQueues.unlink(owner, name)));
    q.send(bytes("4"), 0);
    held.remove(0).get(20, TimeUnit.SECONDS); // delivered though unlinked: the registration is gone
    CompletableFuture<Void> again = q.notifyOnArrival();
    awaitUnlinked(name, s -> s.notifying() || again.isDone());
    line("notify-unlinked-after-send", again.isCompletedExceptionally() ? rc(() -> unwrap(again)) : "ok");
    again.cancel(false);
    q.close();

    String full = "/onyx-parity-waiting-sender";
    MessageQueue waiter = create(full, 1, 8);
    waiter.send(bytes("0"), 0);
    CompletableFuture<Void> waiting = waiter.sendAsync(bytes("w"), 0);
    fixture.awaitStats(full, s -> s.waitingSenders() == 1);
    line("full-sender-waiting-curmsgs", String.valueOf(waiter.attributes().currentMessages()));
    MessageQueue nonBlocking = MessageQueues.open(owner, full, OpenOptions.existing().nonBlocking());
    line("nonblocking-send-full-sender-waiting", rc(() -> nonBlocking.send(bytes("n"), 9)));
    waiter.receive();
    waiting.get(20, TimeUnit.SECONDS);
    line("timedsend-full-deadline-passes", rc(() -> waiter.send(bytes("x"), 0, Duration.ofMillis(100))));
    waiter.receive();
    line("timedreceive-empty-deadline-passes", rc(() -> waiter.receive(Duration.ofMillis(100))));
    nonBlocking.close();
    waiter.close();
    MessageQueues.unlink(owner, full);

    line("open-create-msgsize-16777217", rc(() -> MessageQueues.open(owner, "/onyx-parity-big",
        OpenOptions.create(0600, QueueAttributes.of(1, 16_777_217)))));

    String shared = "/onyx-parity-shared";
    MessageQueue mine = MessageQueues.open(owner, shared, OpenOptions.create(0666, QueueAttributes.of(2, 8))
        .exclusive());
    List<MessageQueue> theirs = new ArrayList<>();
    line("open-read-write-allowed", rc(() -> theirs.add(MessageQueues.open(stranger, shared, OpenOptions.existing()))));
    line("notify-not-owner", register(theirs.get(0), held));
    line("unlink-not-owner-read-write-allowed", rc(() -> MessageQueues.unlink(stranger, shared)));
    held.remove(0).cancel(false);
    theirs.get(0).close();
    mine.close();
    MessageQueues.unlink(owner, shared);
  }
}
