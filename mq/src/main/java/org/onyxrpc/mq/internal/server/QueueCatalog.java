package org.onyxrpc.mq.internal.server;

import static org.onyxrpc.mq.internal.server.Failures.fail;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import org.onyxrpc.internal.RateLimitedLog;
import org.onyxrpc.mq.internal.wire.MqConstants;
import org.onyxrpc.mq.internal.wire.MqErrno;
import org.onyxrpc.mq.internal.wire.MqFailure;
import org.onyxrpc.mq.internal.wire.OpenRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hosted queues: the names, the queues alive (named, or unlinked and still open), what they
 * commit of the server's limits and who created them; their creation, recovery from the data
 * directory, unlinking and end. Touched only by the owner thread.
 */
final class QueueCatalog {
  private static final Logger log = LoggerFactory.getLogger(QueueCatalog.class);

  private final HostConfig config;
  private final ScheduledExecutorService owner;
  private final LogRewriter rewriter;
  private final Shares waitingSends;
  private final Map<String, HostedQueue> names = new HashMap<>();
  /** Every queue hosted: named ones and unlinked ones still open; what maxQueues and maxTotalBytes count. */
  private final Set<HostedQueue> hosted = new HashSet<>();
  private final Creators creators;
  /** Room kept on the data directory's disk for the durable messages' TAKE records; set by {@link #recover}. */
  private DiskReserve diskReserve = DiskReserve.NONE;

  QueueCatalog(HostConfig config, ScheduledExecutorService owner, LogRewriter rewriter) {
    this.config = config;
    this.owner = owner;
    this.rewriter = rewriter;
    this.waitingSends = new Shares(config.maxWaitingSendBytes(), config.maxWaitingSendBytesPerClient());
    this.creators = new Creators(config);
  }

  /** The queue named {@code name}, or null. */
  HostedQueue named(String name) {
    return names.get(name);
  }

  /**
   * Up to {@code max} names after {@code after} in {@link String#compareTo} order: a page of a
   * listing that stays in order however the names change between pages.
   */
  List<String> namesAfter(String after, int max) {
    return names.keySet().stream().filter(n -> n.compareTo(after) > 0).sorted().limit(max).toList();
  }

  /** The named queues (not the unlinked ones still open), a copy. */
  List<HostedQueue> named() {
    return new ArrayList<>(names.values());
  }

  /**
   * Hosts the durable queues whose logs are in {@code directory}, read whole before any is
   * changed ({@link DataDirectory#readLogs}); then torn tails are cut.
   */
  void recover(Path directory) throws IOException {
    List<LogReader.Recovered> recovered = DataDirectory.readLogs(directory);
    diskReserve = DiskReserve.of(directory);
    for (LogReader.Recovered r : recovered) {
      if (r.tornBytes() > 0) {
        log.warn("{}: cut off a torn last record, {} bytes at offset {} (the server stopped while writing it)",
            r.path(), r.tornBytes(), r.validBytes());
      }
      QueueLog queueLog = QueueLog.reopen(r.path(), r.createRecord(), r.validBytes(), rewriter);
      queueLog.reserveFrom(diskReserve, r.messages().size());
      HostedQueue q = new HostedQueue(r.name(), r.owner(), r.maxMessages(), r.messageSize(), queueLog, owner, config,
          waitingSends);
      q.restore(r.messages(), r.nextSequence());
      names.put(r.name(), q);
      hosted.add(q);
      log.info("durable queue {} recovered with {} messages", RateLimitedLog.escaped(r.name()), // a client's name
          r.messages().size());
    }
    warnIfOverLimits();
  }

  /**
   * Queues created under higher limits than this start's are all hosted again, whatever the
   * limits say now: they are data, and a queue lives until it is unlinked. They keep serving
   * within their own attributes; only creations are refused until enough are unlinked.
   */
  private void warnIfOverLimits() {
    long committed = committedBytes();
    if (hosted.size() > config.maxQueues() || committed > config.maxTotalBytes()) {
      log.warn("{} durable queues of {} bytes recovered, more than this server's limits of {} queues and {} bytes;"
          + " they all serve as before, and new queues are refused (ENOSPC) until enough are unlinked",
          hosted.size(), committed, config.maxQueues(), config.maxTotalBytes());
    }
  }

  /** Σ capacity (maxMessages × (messageSize + overhead)) of the hosted queues, saturated rather than overflowed. */
  private long committedBytes() {
    long sum = 0;
    for (HostedQueue q : hosted) {
      sum = sum > Long.MAX_VALUE - q.capacity() ? Long.MAX_VALUE : sum + q.capacity();
    }
    return sum;
  }

  /** Linux's msg_default and msgsize_default: what mq_open with a NULL attr asks for. */
  static final long DEFAULT_MAX_MESSAGES = 10;
  static final long DEFAULT_MESSAGE_SIZE = 8192;

  /** O_CREAT of a queue that does not exist: checked against the server's limits and the caller's. */
  HostedQueue create(Caller caller, String name, OpenRequest request) throws MqFailure {
    long maxMessages = request.maxMessages();
    long messageSize = request.messageSize();
    if ((request.mode() & MqConstants.MQ_DEFAULT_ATTRIBUTES) != 0) {
      // mq_open's NULL attr: the defaults, or this server's limits where lower, as Linux caps
      // msg_default and msgsize_default by msg_max and msgsize_max. Before, a client's 10 × 8192
      // was refused EINVAL by a server with lower limits, where Linux creates the queue.
      maxMessages = Math.min(DEFAULT_MAX_MESSAGES, config.maxMessages());
      messageSize = Math.min(DEFAULT_MESSAGE_SIZE, config.maxMessageSize());
    }
    if (maxMessages < 1 || maxMessages > config.maxMessages()) {
      throw fail(MqErrno.EINVAL, "maxMessages must be 1 .. " + config.maxMessages() + ", got " + maxMessages);
    }
    if (messageSize < 1 || messageSize > config.maxMessageSize()) {
      throw fail(MqErrno.EINVAL, "messageSize must be 1 .. " + config.maxMessageSize() + ", got " + messageSize);
    }
    if (hosted.size() >= config.maxQueues()) {
      throw fail(MqErrno.ENOSPC, "this server hosts " + hosted.size() + " queues and may host " + config.maxQueues());
    }
    long capacity = HostedQueue.capacity(maxMessages, messageSize);
    long committed = committedBytes();
    if (capacity > config.maxTotalBytes() - committed) {
      throw fail(MqErrno.ENOSPC, "a queue of " + capacity + " bytes would exceed the server's "
          + config.maxTotalBytes() + " (" + committed + " committed)");
    }
    if (request.durable() && config.dataDirectory() == null) {
      throw fail(MqErrno.EINVAL, "this server keeps no durable queues (no data directory)");
    }
    creators.charge(caller.client(), capacity);
    QueueOwner qo = new QueueOwner(caller.uid(), caller.gid(), request.mode() & 0777);
    QueueLog queueLog = null;
    if (request.durable()) {
      try {
        queueLog = QueueLog.create(config.dataDirectory(), name, qo, maxMessages, messageSize, rewriter);
        queueLog.reserveFrom(diskReserve, 0);
      } catch (IOException e) {
        creators.refund(caller.client(), capacity);
        throw fail(MqErrno.EIO, "cannot create the log of " + name + ": " + Failures.reason(e));
      }
    }
    HostedQueue q = new HostedQueue(name, qo, maxMessages, messageSize, queueLog, owner, config, waitingSends);
    names.put(name, q);
    hosted.add(q);
    creators.created(q, caller.client());
    return q;
  }

  /** mq_unlink's part here: the log goes, then the name; the queue lives on while handles are open. */
  void unlink(HostedQueue q) throws MqFailure {
    try {
      q.deleteLog();
    } catch (IOException e) {
      throw fail(MqErrno.EIO, "cannot delete the log of " + q.name + ", so it stays: " + Failures.reason(e));
    }
    names.remove(q.name);
    q.unlinked = true;
  }

  /** The queue is gone (unlinked and its last handle closed). */
  void destroy(HostedQueue q) {
    q.destroy();
    hosted.remove(q);
    creators.destroyed(q);
  }

  /** The host closes: every queue goes, named or not ({@code alsoOpen}: the unlinked ones still open). */
  void destroyAll(Set<HostedQueue> alsoOpen) {
    Set<HostedQueue> all = new HashSet<>(names.values());
    all.addAll(alsoOpen);
    names.clear();
    all.forEach(HostedQueue::destroy);
  }
}
