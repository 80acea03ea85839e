package org.onyxrpc.mq.internal.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.mq.internal.wire.Access;
import org.onyxrpc.mq.internal.wire.MqErrno;
import org.onyxrpc.mq.internal.wire.MqFailure;
import org.onyxrpc.mq.internal.wire.OpenRequest;
import org.onyxrpc.mq.internal.wire.Receipt;
import org.onyxrpc.mq.internal.wire.SendRequest;

/**
 * A host restarted with lower {@code maxQueues} or {@code maxTotalBytes} than its data directory
 * holds: every queue comes back and serves as before (nothing is deleted), and creations are
 * refused with ENOSPC until enough queues are unlinked to be under the limits again.
 */
class LoweredLimitsTest {
  private static final Caller CALLER = new Caller(1000, 100, new int[0], "client");

  @TempDir
  Path dir;

  private final List<QueueHost> hosts = new ArrayList<>();

  @AfterEach
  void stop() {
    hosts.forEach(QueueHost::close);
  }

  private QueueHost host(int maxQueues, long maxMessages, long maxTotalBytes, Path data) throws IOException {
    QueueHost h = new QueueHost(new HostConfig(maxQueues, maxMessages, 1 << 20, maxTotalBytes, maxQueues, maxTotalBytes, 1024, 65_536, 1024,
        64 << 20, 16 << 20, Duration.ofMinutes(1), Duration.ofMinutes(2), data));
    hosts.add(h);
    return h;
  }

  private static <T> T await(Future<T> call) throws Exception {
    return call.get(10, TimeUnit.SECONDS);
  }

  private static Future<Long> create(QueueHost h, String name, long maxMessages, long messageSize, boolean durable) {
    return h.open(CALLER, new OpenRequest(name, Access.READ_WRITE, true, true, 0600, maxMessages, messageSize,
        durable)).thenApply(o -> o.handle());
  }

  private static long open(QueueHost h, String name) throws Exception {
    return await(h.open(CALLER, new OpenRequest(name, Access.READ_WRITE, false, false, 0, 0, 0, false))).handle();
  }

  private static MqFailure failure(Future<?> call) throws Exception {
    try {
      await(call);
    } catch (ExecutionException e) {
      return (MqFailure) e.getCause();
    }
    throw new AssertionError("the call succeeded");
  }

  /** Each queue serves as before: its message comes out, a new one goes in and out. */
  private static void stillServes(QueueHost h, String name, int message) throws Exception {
    long q = open(h, name);
    assertArrayEquals(new byte[] {(byte) message}, await(h.receive(CALLER, new Receipt(q, 1), 0)).message());
    await(h.commit(CALLER, new Receipt(q, 1)));
    await(h.send(CALLER, new SendRequest(new Receipt(q, 2), 0, new byte[] {42}, 0)));
    assertArrayEquals(new byte[] {42}, await(h.receive(CALLER, new Receipt(q, 3), 0)).message());
    await(h.commit(CALLER, new Receipt(q, 3)));
    await(h.close(CALLER, q));
  }

  @Test
  void queuesOverALoweredMaxQueuesAllServeAndCreationsWaitUntilEnoughAreUnlinked() throws Exception {
    QueueHost before = host(3, 65_536, 1L << 30, dir);
    for (int i = 0; i < 3; i++) {
      long q = await(create(before, "/q" + i, 10, 16, true));
      await(before.send(CALLER, new SendRequest(new Receipt(q, 0), 0, new byte[] {(byte) i}, 0)));
    }
    before.close();

    QueueHost after = host(1, 65_536, 1L << 30, dir);
    for (int i = 0; i < 3; i++) {
      stillServes(after, "/q" + i, i);
    }
    MqFailure refused = failure(create(after, "/new", 1, 1, false));
    assertEquals(MqErrno.ENOSPC, refused.errno());
    assertTrue(refused.detail().contains("hosts 3 queues and may host 1"), refused.detail());

    await(after.unlink(CALLER, "/q0"));
    await(after.unlink(CALLER, "/q1"));
    assertEquals(MqErrno.ENOSPC, failure(create(after, "/new", 1, 1, false)).errno());
    await(after.unlink(CALLER, "/q2"));
    await(create(after, "/new", 1, 1, false));
  }

  @Test
  void queuesOverALoweredMaxTotalBytesAllServeAndCreationsWaitUntilEnoughAreUnlinked() throws Exception {
    QueueHost before = host(256, 65_536, 1L << 30, dir);
    for (int i = 0; i < 2; i++) {
      long q = await(create(before, "/q" + i, 10, 1024, true));
      await(before.send(CALLER, new SendRequest(new Receipt(q, 0), 0, new byte[] {(byte) i}, 0)));
    }
    before.close();

    QueueHost after = host(256, 65_536, 15_000, dir); // 2 × 10 × (1,024 + 320) bytes on the disk
    stillServes(after, "/q0", 0);
    stillServes(after, "/q1", 1);
    MqFailure refused = failure(create(after, "/new", 1, 1, false));
    assertEquals(MqErrno.ENOSPC, refused.errno());
    assertTrue(refused.detail().contains("(26880 committed)"), refused.detail());

    await(after.unlink(CALLER, "/q0"));
    await(create(after, "/new", 1, 1000, false));
    assertEquals(MqErrno.ENOSPC, failure(create(after, "/newer", 10, 500, false)).errno());
  }

  @Test
  void aQueueWhoseCapacityIsBeyondALongGivesItAllBackWhenItGoes() throws Exception {
    QueueHost h = host(256, Long.MAX_VALUE, Long.MAX_VALUE, null);
    long huge = await(create(h, "/huge", 1L << 43, 1 << 20, false)); // 2^63 bytes: saturated
    await(h.close(CALLER, huge));
    await(h.unlink(CALLER, "/huge"));
    await(create(h, "/small", 10, 16, false));
  }
}
