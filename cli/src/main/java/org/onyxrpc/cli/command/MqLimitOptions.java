package org.onyxrpc.cli.command;

import java.time.Duration;
import org.onyxrpc.mq.QueueServer;
import picocli.CommandLine.Option;

/**
 * {@code onyx mq}'s limits and leases, each a {@link QueueServer.Builder} setting (mq/README.md, "Limits and
 * numbers"); one not given keeps the builder's default. A value the builder refuses is a bad
 * command line naming the option.
 */
final class MqLimitOptions {
  /** The longest message the protocol carries, which {@link QueueServer.Builder#maxMessageSize} allows at most. */
  private static final long MESSAGE_SIZE_LIMIT = 1 << 20;

  @Option(names = "--max-queues", paramLabel = "N",
      description = "Queues hosted at once (default: 256); past it, creating fails ENOSPC (Linux's queues_max).")
  Integer maxQueues;

  @Option(names = "--max-queues-per-client", paramLabel = "N",
      description = "Queues one client (IP address, or uid over a Unix socket) may have created and not unlinked"
          + " (default: half of --max-queues); past it, EMFILE.")
  Integer maxQueuesPerClient;

  @Option(names = "--max-messages", paramLabel = "N",
      description = "The largest mq_maxmsg a queue may be created with (default: 65536); past it, EINVAL (Linux's msg_max).")
  Long maxMessages;

  @Option(names = "--max-message-size", paramLabel = "BYTES", converter = ByteSizeConverter.class,
      description = "The largest mq_msgsize, at most 1M (default: 1M); past it, EINVAL (Linux's msgsize_max).")
  Long maxMessageSize;

  @Option(names = "--max-total-bytes", paramLabel = "BYTES", converter = ByteSizeConverter.class,
      description = "The sum over all queues of mq_maxmsg x (mq_msgsize + 320), the memory messages may take"
          + " (default: 1G, or a quarter of the heap where less); past it, creating fails ENOSPC.")
  Long maxTotalBytes;

  @Option(names = "--max-total-bytes-per-client", paramLabel = "BYTES", converter = ByteSizeConverter.class,
      description = "The same sum over the queues one client created (default: half of --max-total-bytes); past it,"
          + " EMFILE (Linux's RLIMIT_MSGQUEUE, 800K).")
  Long maxTotalBytesPerClient;

  @Option(names = "--max-handles", paramLabel = "N",
      description = "Open handles of all clients together (default: 65536); past it, opening fails ENFILE.")
  Integer maxHandles;

  @Option(names = "--max-handles-per-client", paramLabel = "N",
      description = "Open handles of one client (default: 1024); past it, EMFILE.")
  Integer maxHandlesPerClient;

  @Option(names = "--max-waiters-per-queue", paramLabel = "N",
      description = "Senders, and as many receivers, that may wait on one queue, one client half of them"
          + " (default: 1024); past it, EAGAIN.")
  Integer maxWaitersPerQueue;

  @Option(names = "--max-waiting-send-bytes", paramLabel = "BYTES", converter = ByteSizeConverter.class,
      description = "Bytes of the messages of senders waiting on full queues, all clients together (default: 64M,"
          + " or a sixteenth of the heap where less);"
          + " past it, a send that would wait fails EAGAIN. Keep it well under a quarter of the heap, what the calls in"
          + " flight may decode.")
  Long maxWaitingSendBytes;

  @Option(names = "--max-waiting-send-bytes-per-client", paramLabel = "BYTES", converter = ByteSizeConverter.class,
      description = "The same for one client (default: 16M, or a 64th of the heap where less).")
  Long maxWaitingSendBytesPerClient;

  @Option(names = "--reservation-lease", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "How long a message handed to a receiver waits for its commit before it goes back to the queue"
          + " (default: 60s).")
  Duration reservationLease;

  @Option(names = "--handle-lease", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "How long a handle no call uses stays open, as a dead process's descriptors close (default: 2m).")
  Duration handleLease;

  /** Sets the limits given on {@code builder}; one out of its range is a {@link BadCommandLine}. */
  QueueServer.Builder applyTo(QueueServer.Builder builder) {
    if (maxQueues != null) {
      builder.maxQueues(atLeastOne("--max-queues", maxQueues));
    }
    if (maxQueuesPerClient != null) {
      builder.maxQueuesPerClient(atLeastOne("--max-queues-per-client", maxQueuesPerClient));
    }
    if (maxMessages != null) {
      builder.maxMessages(atLeastOne("--max-messages", maxMessages));
    }
    if (maxMessageSize != null) {
      if (maxMessageSize < 1 || maxMessageSize > MESSAGE_SIZE_LIMIT) {
        throw new BadCommandLine("--max-message-size must be 1 to " + MESSAGE_SIZE_LIMIT
            + " (1M, the protocol's limit), got " + maxMessageSize);
      }
      builder.maxMessageSize(maxMessageSize);
    }
    if (maxTotalBytes != null) {
      builder.maxTotalBytes(atLeastOne("--max-total-bytes", maxTotalBytes));
    }
    if (maxTotalBytesPerClient != null) {
      builder.maxTotalBytesPerClient(atLeastOne("--max-total-bytes-per-client", maxTotalBytesPerClient));
    }
    if (maxHandles != null) {
      builder.maxHandles(atLeastOne("--max-handles", maxHandles));
    }
    if (maxHandlesPerClient != null) {
      builder.maxHandlesPerClient(atLeastOne("--max-handles-per-client", maxHandlesPerClient));
    }
    if (maxWaitersPerQueue != null) {
      builder.maxWaitersPerQueue(atLeastOne("--max-waiters-per-queue", maxWaitersPerQueue));
    }
    if (maxWaitingSendBytes != null) {
      builder.maxWaitingSendBytes(atLeastOne("--max-waiting-send-bytes", maxWaitingSendBytes));
    }
    if (maxWaitingSendBytesPerClient != null) {
      builder.maxWaitingSendBytesPerClient(
          atLeastOne("--max-waiting-send-bytes-per-client", maxWaitingSendBytesPerClient));
    }
    if (reservationLease != null) {
      builder.reservationLease(reservationLease);
    }
    if (handleLease != null) {
      builder.handleLease(handleLease);
    }
    return builder;
  }

  private static int atLeastOne(String option, int value) {
    return (int) atLeastOne(option, (long) value);
  }

  private static long atLeastOne(String option, long value) {
    if (value < 1) {
      throw new BadCommandLine(option + " must be 1 or more, got " + value);
    }
    return value;
  }
}
