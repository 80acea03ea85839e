package org.onyxrpc.examples.workqueue;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.examples.ExampleMain;
import org.onyxrpc.mq.MessageQueue;
import org.onyxrpc.mq.MessageQueues;
import org.onyxrpc.mq.OpenOptions;
import org.onyxrpc.mq.QueueAttributes;
import org.onyxrpc.mq.ReceivedMessage;
import org.onyxrpc.rpc.AuthSys;

/**
 * A work queue with priorities: two producers queue jobs, urgent ones at a higher priority, and
 * three consumers, each with its own connection, take them until each gets a "stop" job.
 */
public final class WorkQueueDemo {
  static final int URGENT = 10;
  static final int NORMAL = 1;
  static final int STOP = 0;
  private static final int PRODUCERS = 2;
  private static final int JOBS_PER_PRODUCER = 12;
  private static final int CONSUMERS = 3;

  private WorkQueueDemo() {}

  /** Runs the demo and prints what happens. */
  public static void main(String[] args) throws Exception {
    ExampleMain.run("WorkQueueDemo", () -> demo(args));
  }

  static void demo(String[] args) throws Exception {
    run(System.out);
  }

  /** AUTH_SYS: who this process says it is; the queue's permissions are checked against it. */
  static RpcClient connect(int port) {
    return RpcClient.builder().address("127.0.0.1", port)
        .credentials(new AuthSys(0, "workqueue-demo", 1000, 1000, new int[0]))
        .build();
  }

  /** The demo, printing to {@code out}; {@code WorkQueueDemoTest} checks every line. */
  public static void run(PrintStream out) throws IOException {
    // A thread for each producer and consumer, which block: the default async executor, the
    // common pool, may have a single thread (JDK 25 on two CPUs), which would run them in turn.
    ExecutorService workers = Executors.newFixedThreadPool(Math.max(PRODUCERS, CONSUMERS));
    try (WorkQueueServer server = WorkQueueServer.start(0); RpcClient rpc = connect(server.port())) {
      // mq_open("/jobs", O_RDWR | O_CREAT | O_EXCL, 0600, {mq_maxmsg 64, mq_msgsize 256})
      MessageQueue jobs = MessageQueues.open(rpc, "/jobs",
          OpenOptions.create(0600, QueueAttributes.of(64, 256)).exclusive());

      List<CompletableFuture<Void>> producers = new ArrayList<>();
      for (int p = 0; p < PRODUCERS; p++) {
        String producer = "producer-" + (char) ('a' + p);
        producers.add(CompletableFuture.runAsync(() -> produce(server.port(), producer), workers));
      }
      CompletableFuture.allOf(producers.toArray(CompletableFuture[]::new)).join();
      var attributes = jobs.attributes();
      out.printf("producers: queued %d jobs on /jobs, urgent ones at priority %d, others at %d%n",
          PRODUCERS * JOBS_PER_PRODUCER, URGENT, NORMAL);
      out.printf("queue: %d of %d messages, at most %d bytes each%n",
          attributes.currentMessages(), attributes.maxMessages(), attributes.messageSize());

      for (int i = 0; i < CONSUMERS; i++) {
        jobs.send("stop".getBytes(UTF_8), STOP);
      }
      Set<String> handled = ConcurrentHashMap.newKeySet();
      List<CompletableFuture<Boolean>> consumers = new ArrayList<>();
      for (int c = 0; c < CONSUMERS; c++) {
        consumers.add(CompletableFuture.supplyAsync(() -> consume(server.port(), handled), workers));
      }
      boolean urgentFirst = consumers.stream().allMatch(CompletableFuture::join);
      out.printf("consumers: %d consumers handled %d jobs, each exactly once%n", CONSUMERS, handled.size());
      out.println("consumers: each saw every urgent job before any normal one: " + urgentFirst);

      // mq_unlink, then mq_close: the queue goes with its last handle.
      MessageQueues.unlink(rpc, "/jobs");
      jobs.close();
      out.println("queue: /jobs unlinked and closed: " + server.queues().stats().size() + " queues left");
    } finally {
      workers.shutdown();
    }
  }

  private static void produce(int port, String producer) {
    try (RpcClient rpc = connect(port);
        MessageQueue jobs = MessageQueues.open(rpc, "/jobs", OpenOptions.existing().writeOnly())) {
      for (int j = 0; j < JOBS_PER_PRODUCER; j++) {
        jobs.send((producer + " job " + j).getBytes(UTF_8), j % 4 == 0 ? URGENT : NORMAL); // mq_send
      }
    }
  }

  /** Takes jobs until "stop"; true if no urgent job came after a normal one. */
  private static boolean consume(int port, Set<String> handled) {
    try (RpcClient rpc = connect(port);
        MessageQueue jobs = MessageQueues.open(rpc, "/jobs", OpenOptions.existing().readOnly())) {
      boolean sawNormal = false;
      boolean inOrder = true;
      while (true) {
        ReceivedMessage job = jobs.receive(); // mq_receive: the highest priority, oldest first
        if (job.priority() == STOP) {
          return inOrder;
        }
        sawNormal |= job.priority() == NORMAL;
        inOrder &= !(sawNormal && job.priority() == URGENT);
        if (!handled.add(new String(job.message(), UTF_8))) {
          throw new IllegalStateException("a job was handled twice");
        }
      }
    }
  }
}
