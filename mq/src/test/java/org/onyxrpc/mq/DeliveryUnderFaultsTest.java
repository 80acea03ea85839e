package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.AuthSys;
import org.onyxrpc.testing.FaultProxy;
import org.onyxrpc.testing.FaultProxy.Faults;

/**
 * 10,000 messages from two producers to three consumers through a proxy that drops requests and
 * replies, duplicates, delays and reorders requests, resets connections and "crashes after
 * execute": every message is received exactly once.
 */
class DeliveryUnderFaultsTest {
  private static final int MESSAGES = 10_000;
  private static final int PRODUCERS = 2;
  private static final int CONSUMERS = 3;
  private static final int OUTSTANDING = 16;
  private static final Faults FAULTS = new Faults(0.02, 0.02, 0.02, 0.02, 20, 0.02, 0.005, 0.01);

  private QueueFixture fixture;
  private FaultProxy proxy;

  @BeforeEach
  void start() throws Exception {
    fixture = new QueueFixture();
    proxy = new FaultProxy(fixture.server.port(), FAULTS, 20261129L);
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
    fixture.close();
  }

  private RpcClient client() {
    RpcClient c = RpcClient.builder().address("127.0.0.1", proxy.port())
        .credentials(new AuthSys(0, "test", 1000, 100, new int[0]))
        .timeout(Duration.ofSeconds(30)).attemptTimeout(Duration.ofMillis(40)).build();
    return c;
  }

  @Test
  void everyMessageIsReceivedExactlyOnce() throws Exception {
    List<RpcClient> clients = new ArrayList<>();
    try {
      RpcClient admin = client();
      clients.add(admin);
      MessageQueues.open(admin, "/work", OpenOptions.create(0600, QueueAttributes.of(MESSAGES, 4))).close();

      AtomicIntegerArray received = new AtomicIntegerArray(MESSAGES);
      AtomicInteger total = new AtomicInteger();
      ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
      CountDownLatch allReceived = new CountDownLatch(MESSAGES);

      List<CompletableFuture<Void>> producers = new ArrayList<>();
      for (int p = 0; p < PRODUCERS; p++) {
        RpcClient c = client();
        clients.add(c);
        MessageQueue q = MessageQueues.open(c, "/work", OpenOptions.existing().writeOnly());
        int first = p * (MESSAGES / PRODUCERS);
        producers.add(CompletableFuture.runAsync(() -> produce(q, first, MESSAGES / PRODUCERS, failures, allReceived)));
      }
      List<Consumer> consumers = new ArrayList<>();
      for (int i = 0; i < CONSUMERS; i++) {
        RpcClient c = client();
        clients.add(c);
        Consumer consumer = new Consumer(MessageQueues.open(c, "/work", OpenOptions.existing().readOnly()),
            received, total, allReceived, failures);
        consumers.add(consumer);
        consumer.start();
      }

      CompletableFuture.allOf(producers.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
      assertTrue(allReceived.await(120, TimeUnit.SECONDS), "not every message arrived");
      consumers.forEach(Consumer::stop);
      assertTrue(failures.isEmpty(), () -> "failures: " + failures);
      for (int i = 0; i < MESSAGES; i++) {
        assertEquals(1, received.get(i), "message " + i);
      }
      QueueStats stats = fixture.awaitStats("/work", s -> s.reserved() == 0 && s.waitingReceivers() == 0);
      assertEquals(0, stats.depth());
      System.out.printf("proxy: %d requests, %d dropped, %d replies dropped, %d duplicated, %d resets,"
          + " %d crashes after execute%n", proxy.requests.sum(), proxy.droppedRequests.sum(),
          proxy.droppedReplies.sum(), proxy.duplicated.sum(), proxy.resets.sum(), proxy.crashes.sum());
      assertTrue(proxy.resets.sum() + proxy.crashes.sum() > 0 && proxy.droppedReplies.sum() > 0,
          "the proxy broke nothing");
    } finally {
      clients.forEach(RpcClient::close);
    }
  }

  /** Records a failure and ends the wait for the messages: none is coming for it. */
  private static void failed(Throwable e, ConcurrentLinkedQueue<Throwable> failures, CountDownLatch allReceived) {
    failures.add(e);
    while (allReceived.getCount() > 0) {
      allReceived.countDown();
    }
  }

  private static void produce(MessageQueue q, int first, int count, ConcurrentLinkedQueue<Throwable> failures,
      CountDownLatch allReceived) {
    Semaphore window = new Semaphore(OUTSTANDING);
    for (int i = first; i < first + count && failures.isEmpty(); i++) {
      window.acquireUninterruptibly();
      q.sendAsync(ByteBuffer.allocate(4).putInt(i).array(), i % 4).whenComplete((ok, e) -> {
        if (e != null) {
          failed(e, failures, allReceived);
        }
        window.release();
      });
    }
    window.acquireUninterruptibly(OUTSTANDING);
  }

  /** Keeps OUTSTANDING receives in flight until every message is in, then withdraws the rest. */
  private static final class Consumer {
    private final MessageQueue q;
    private final AtomicIntegerArray received;
    private final AtomicInteger total;
    private final CountDownLatch allReceived;
    private final ConcurrentLinkedQueue<Throwable> failures;
    private final ConcurrentLinkedQueue<CompletableFuture<ReceivedMessage>> inFlight = new ConcurrentLinkedQueue<>();

    Consumer(MessageQueue q, AtomicIntegerArray received, AtomicInteger total, CountDownLatch allReceived,
        ConcurrentLinkedQueue<Throwable> failures) {
      this.q = q;
      this.received = received;
      this.total = total;
      this.allReceived = allReceived;
      this.failures = failures;
    }

    void start() {
      for (int i = 0; i < OUTSTANDING; i++) {
        next();
      }
    }

    private void next() {
      if (total.get() >= MESSAGES || !failures.isEmpty()) {
        return;
      }
      CompletableFuture<ReceivedMessage> f = q.receiveAsync();
      inFlight.add(f);
      f.whenComplete((m, e) -> {
        inFlight.remove(f);
        if (e != null) {
          if (!f.isCancelled()) {
            failed(e, failures, allReceived);
          }
          return;
        }
        int id = ByteBuffer.wrap(m.message()).getInt();
        received.incrementAndGet(id);
        total.incrementAndGet();
        allReceived.countDown();
        next();
      });
    }

    /** Withdraws the receives still in flight; one that cannot be withdrawn any more is waited for. */
    void stop() {
      for (CompletableFuture<ReceivedMessage> f : inFlight) {
        if (!f.cancel(false)) {
          f.exceptionally(e -> null).join();
        }
      }
    }
  }
}
