package org.onyxrpc.mq.internal.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.mq.internal.wire.Message;
import org.onyxrpc.mq.internal.wire.MqErrno;
import org.onyxrpc.mq.internal.wire.MqFailure;
import org.onyxrpc.mq.internal.wire.Receipt;

/**
 * A durable queue whose disk fills up or fails: the call that could not be logged fails EIO with
 * the file system's reason, nothing half-written stays in the log, and the queue keeps serving.
 */
class DiskTroubleTest {
  private static final QueueOwner OWNER = new QueueOwner(1000, 100, 0640);
  private static final String CLIENT = "client";
  private static final LogRewriter INLINE = new LogRewriter(Runnable::run, Runnable::run, LogRewriter.Hook.NONE);

  @TempDir
  Path dir;

  private final ScheduledExecutorService owner = Executors.newSingleThreadScheduledExecutor();
  private FailingChannel channel;
  private long receipts;

  @AfterEach
  void stop() {
    owner.shutdownNow();
  }

  private Path path() {
    return LogFiles.pathOf(dir, "/q");
  }

  /** A durable queue of 10 × 64 bytes over a log whose disk fails on demand. */
  private HostedQueue queue(Duration reservationLease) throws IOException {
    QueueLog.create(dir, "/q", OWNER, 10, 64, INLINE).close();
    channel = new FailingChannel(FileChannel.open(path(), StandardOpenOption.WRITE));
    channel.position(channel.size());
    QueueLog log = new QueueLog(path(), LogRecords.create("/q", OWNER, 10, 64), channel, INLINE);
    HostConfig config = new HostConfig(256, 65_536, 1 << 20, 1L << 30, 256, 1L << 30, 1024, 65_536, 1024, 64 << 20, 16 << 20,
        reservationLease, Duration.ofMinutes(2), dir);
    return new HostedQueue("/q", OWNER, 10, 64, log, owner, config, new Shares(64 << 20, 16 << 20));
  }

  /** One step on the queue's owner thread, as the host runs it. */
  @FunctionalInterface
  private interface Step<T> {
    void run(CompletableFuture<T> reply) throws MqFailure;
  }

  private <T> CompletableFuture<T> onOwner(Step<T> step) throws Exception {
    CompletableFuture<T> reply = new CompletableFuture<>();
    owner.submit(() -> {
      try {
        step.run(reply);
      } catch (MqFailure e) {
        reply.completeExceptionally(e);
      }
    }).get(10, TimeUnit.SECONDS);
    return reply;
  }

  private CompletableFuture<Void> send(HostedQueue q, int b) throws Exception {
    return onOwner(reply -> q.send(new Receipt(1, receipts++), 0, new byte[] {(byte) b}, 0, CLIENT, reply));
  }

  /** Receives the next message at once, reserving it under {@code r}. */
  private Message receive(HostedQueue q, Receipt r) throws Exception {
    return onOwner((CompletableFuture<Message> reply) -> q.receive(r, 0, CLIENT, reply, PeerWatch.NONE)).get(10, TimeUnit.SECONDS);
  }

  private static MqFailure failure(CompletableFuture<?> call) throws Exception {
    try {
      call.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return (MqFailure) e.getCause();
    }
    throw new AssertionError("the call succeeded");
  }

  private List<Integer> logged() throws IOException {
    return LogReader.read(path()).messages().stream().map(m -> (int) m.payload()[0]).toList();
  }

  @Test
  void aFullDiskFailsTheSendWithEioAndTheQueueKeepsServing() throws Exception {
    HostedQueue q = queue(Duration.ofMinutes(1));
    send(q, 0).get(10, TimeUnit.SECONDS);
    long size = Files.size(path());

    channel.trouble = FailingChannel.Trouble.DISK_FULL;
    MqFailure full = failure(send(q, 1));
    assertEquals(MqErrno.EIO, full.errno());
    assertTrue(full.detail().endsWith("No space left on device"), full.detail());
    assertFalse(full.detail().contains(dir.toString()), full.detail());
    assertEquals(size, Files.size(path()), "half a record left in the log");

    // Reads go on: a receive reserves without writing; its commit needs the disk, fails, takes nothing.
    Receipt r = new Receipt(2, 1);
    Message m = receive(q, r);
    assertArrayEquals(new byte[] {0}, m.message());
    assertEquals(MqErrno.EIO, failure(commit(q, r)).errno());
    assertEquals(1, q.depth());

    channel.trouble = FailingChannel.Trouble.NONE;
    Receipt again = new Receipt(2, 2);
    m = receive(q, again);
    assertArrayEquals(new byte[] {0}, m.message());
    commit(q, again).get(10, TimeUnit.SECONDS);
    send(q, 2).get(10, TimeUnit.SECONDS);
    assertEquals(List.of(2), logged());
  }

  private CompletableFuture<Void> commit(HostedQueue q, Receipt r) throws Exception {
    return onOwner(reply -> {
      q.commit(r);
      reply.complete(null);
    });
  }

  @Test
  void aFailedForceIsCutBackSoTheFailedSendIsNotThereAfterARestart() throws Exception {
    HostedQueue q = queue(Duration.ofMinutes(1));
    send(q, 0).get(10, TimeUnit.SECONDS);
    channel.trouble = FailingChannel.Trouble.FORCE_FAILS;
    MqFailure failed = failure(send(q, 1));
    assertEquals(MqErrno.EIO, failed.errno());
    assertTrue(failed.detail().endsWith("Input/output error"), failed.detail());
    send(q, 2).get(10, TimeUnit.SECONDS);
    assertEquals(List.of(0, 2), logged());
  }

  @Test
  void aLogThatCannotBeCutBackTakesNoMoreAndARestartDropsTheHalfRecord() throws Exception {
    HostedQueue q = queue(Duration.ofMinutes(1));
    send(q, 0).get(10, TimeUnit.SECONDS);
    channel.trouble = FailingChannel.Trouble.DISK_FULL;
    channel.truncateFails = true;
    assertEquals(MqErrno.EIO, failure(send(q, 1)).errno());
    channel.trouble = FailingChannel.Trouble.NONE;
    channel.truncateFails = false;
    MqFailure refused = failure(send(q, 2));
    assertEquals(MqErrno.EIO, refused.errno());
    assertTrue(refused.detail().contains("an earlier write failed"), refused.detail());
    assertFalse(refused.detail().contains(dir.toString()), refused.detail());

    Receipt r = new Receipt(2, 1);
    Message m = receive(q, r);
    assertArrayEquals(new byte[] {0}, m.message());
    LogReader.Recovered afterRestart = LogReader.read(path());
    assertTrue(afterRestart.tornBytes() > 0);
    assertEquals(List.of(0), logged());
  }

  @Test
  void aCommitThatFailsPutsItsMessageBackAtOnceInItsPlace() throws Exception {
    HostedQueue q = queue(Duration.ofHours(1)); // no lease lapses during the test
    send(q, 7).get(10, TimeUnit.SECONDS);
    send(q, 8).get(10, TimeUnit.SECONDS);
    Receipt first = new Receipt(2, 1);
    Message m = receive(q, first);
    assertArrayEquals(new byte[] {7}, m.message());

    channel.trouble = FailingChannel.Trouble.DISK_FULL;
    MqFailure failed = failure(commit(q, first));
    assertEquals(MqErrno.EIO, failed.errno());
    assertTrue(failed.detail().contains("not taken"), failed.detail());
    assertEquals(0, q.status().reserved());
    assertEquals(MqErrno.ETIMEDOUT, failure(commit(q, first)).errno(), "a retried commit takes nothing either");

    // The next receiver gets it, ahead of the later message, without waiting for the lease.
    channel.trouble = FailingChannel.Trouble.NONE;
    Receipt next = new Receipt(3, 1);
    m = receive(q, next);
    assertArrayEquals(new byte[] {7}, m.message());
    commit(q, next).get(10, TimeUnit.SECONDS);
    assertEquals(List.of(8), logged());
  }

  /**
   * A TAKE written whole whose force fails, and that cannot be cut back either, may be read by a
   * restart: the commit's EIO does not say that nothing was taken.
   */
  @Test
  void aCommitWhoseRecordCannotBeCutBackDoesNotSayNothingWasTaken() throws Exception {
    HostedQueue q = queue(Duration.ofHours(1));
    send(q, 7).get(10, TimeUnit.SECONDS);
    Receipt first = new Receipt(2, 1);
    receive(q, first);

    channel.trouble = FailingChannel.Trouble.FORCE_FAILS;
    channel.truncateFails = true;
    MqFailure failed = failure(commit(q, first));
    assertEquals(MqErrno.EIO, failed.errno());
    assertFalse(failed.detail().contains("not taken"), failed.detail());
    assertTrue(failed.detail().contains("a restart may find it taken"), failed.detail());
    assertEquals(List.of(), logged(), "what a restart reads: the message taken");
  }

  @Test
  void aCommitThatFailsHandsItsMessageToAWaitingReceiver() throws Exception {
    HostedQueue q = queue(Duration.ofHours(1));
    send(q, 7).get(10, TimeUnit.SECONDS);
    Receipt first = new Receipt(2, 1);
    receive(q, first);
    CompletableFuture<Message> waiting = onOwner(reply -> q.receive(new Receipt(3, 1), -1, CLIENT, reply, PeerWatch.NONE));
    assertFalse(waiting.isDone());

    channel.trouble = FailingChannel.Trouble.FORCE_FAILS;
    assertEquals(MqErrno.EIO, failure(commit(q, first)).errno());
    assertArrayEquals(new byte[] {7}, waiting.get(10, TimeUnit.SECONDS).message());
  }
}
