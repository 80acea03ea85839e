package org.onyxrpc.mq.internal.server;

import static org.onyxrpc.mq.internal.server.Failures.fail;

import java.util.HashMap;
import java.util.Map;
import org.onyxrpc.mq.internal.wire.MqErrno;
import org.onyxrpc.mq.internal.wire.MqFailure;

/**
 * The queues each client created, counted against it until they are destroyed: a queue outlives
 * its creator's handles, as a POSIX queue stays until unlinked, so without a share one client
 * could create every queue the host may hold, and keep them. Past its share a client's creation
 * fails with EMFILE, as Linux refuses a user past its RLIMIT_MSGQUEUE. Queues recovered from
 * their logs at a start are nobody's. Touched only by the host's owner thread.
 */
final class Creators {
  private final Map<HostedQueue, Object> creators = new HashMap<>();
  private final Shares queues;
  private final Shares bytes;

  Creators(HostConfig config) {
    this.queues = new Shares(config.maxQueues(), config.maxQueuesPerClient());
    this.bytes = new Shares(config.maxTotalBytes(), config.maxTotalBytesPerClient());
  }

  /** Counts a queue of {@code capacity} bytes against {@code client}, or refuses it. */
  void charge(Object client, long capacity) throws MqFailure {
    if (queues.take(client, 1) != null) {
      throw fail(MqErrno.EMFILE, client + " has created " + queues.held(client)
          + " queues still hosted, as many as one client may");
    }
    if (bytes.take(client, capacity) != null) {
      queues.give(client, 1);
      throw fail(MqErrno.EMFILE, "a queue of " + capacity + " bytes would take the queues " + client
          + " created past the " + bytes.perClient() + " bytes one client may have (" + bytes.held(client)
          + " taken)");
    }
  }

  /** Gives back a {@link #charge} whose queue was not created after all. */
  void refund(Object client, long capacity) {
    queues.give(client, 1);
    bytes.give(client, capacity);
  }

  /** The charged queue is hosted now, {@code client}'s until it is destroyed. */
  void created(HostedQueue queue, Object client) {
    creators.put(queue, client);
  }

  /** The queue is gone: its creator gets its share back. */
  void destroyed(HostedQueue queue) {
    Object client = creators.remove(queue);
    if (client != null) {
      refund(client, queue.capacity());
    }
  }
}
