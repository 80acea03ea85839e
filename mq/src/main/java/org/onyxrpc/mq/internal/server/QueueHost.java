package org.onyxrpc.mq.internal.server;

import static org.onyxrpc.mq.internal.server.Failures.fail;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.onyxrpc.mq.internal.QueueNames;
import org.onyxrpc.mq.internal.wire.Access;
import org.onyxrpc.mq.internal.wire.CurrentAttributes;
import org.onyxrpc.mq.internal.wire.Message;
import org.onyxrpc.mq.internal.wire.MqConstants;
import org.onyxrpc.mq.internal.wire.MqErrno;
import org.onyxrpc.mq.internal.wire.MqFailure;
import org.onyxrpc.mq.internal.wire.OpenRequest;
import org.onyxrpc.mq.internal.wire.Opened;
import org.onyxrpc.mq.internal.wire.QueueStatus;
import org.onyxrpc.mq.internal.wire.Receipt;
import org.onyxrpc.mq.internal.wire.SendRequest;
import org.onyxrpc.server.NoReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hosts named queues and the handles open on them. Every operation runs on one owner thread,
 * which holds all the state; callers get a future, completed at once or, for a call that has to
 * wait, when the queue can answer it, so nothing blocks the server's threads.
 */
public final class QueueHost implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(QueueHost.class);
  /** Released receipts remembered per handle, for a release that overtakes its receive. */
  private static final int TOMBSTONES_PER_HANDLE = 64;

  private final HostConfig config;
  private final ScheduledExecutorService owner;
  private final LogRewriter rewriter;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, HostedQueue> names = new HashMap<>();
  private final Map<Long, Handle> handles = new HashMap<>();
  private final Shares handleShares;
  private final Shares waitingSends;
  /** Every queue hosted: named ones and unlinked ones still open; what maxQueues and maxTotalBytes count. */
  private final Set<HostedQueue> hosted = new HashSet<>();
  private final Creators creators;

  /** An open queue description: mqd_t on the server. */
  private static final class Handle {
    final long id;
    final HostedQueue queue;
    final int uid;
    final Access access;
    final Object client;
    final LinkedHashSet<Long> released = new LinkedHashSet<>();
    long lastUsedNanos;

    Handle(long id, HostedQueue queue, Caller caller, Access access, long now) {
      this.id = id;
      this.queue = queue;
      this.uid = caller.uid();
      this.client = caller.client();
      this.access = access;
      this.lastUsedNanos = now;
    }
  }

  /** Starts a host; with a data directory, the durable queues found there are hosted again. */
  public QueueHost(HostConfig config) throws IOException {
    this(config, LogRewriter.Hook.NONE);
  }

  /** With a hook told each step of a log's rewrite (tests). */
  QueueHost(HostConfig config, LogRewriter.Hook rewriteHook) throws IOException {
    this.config = config;
    this.handleShares = new Shares(config.maxHandles(), config.maxHandlesPerClient());
    this.waitingSends = new Shares(config.maxWaitingSendBytes(), config.maxWaitingSendBytesPerClient());
    this.creators = new Creators(config);
    this.owner = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "onyx-mq-queues");
      t.setDaemon(true);
      return t;
    });
    this.rewriter = LogRewriter.background(owner, rewriteHook);
    if (config.dataDirectory() != null) {
      try {
        recover(config.dataDirectory());
      } catch (IOException | RuntimeException e) {
        names.values().forEach(HostedQueue::destroy);
        owner.shutdownNow();
        rewriter.close();
        throw e;
      }
    }
    long sweepMillis = Math.max(1, config.handleLease().toMillis() / 4);
    owner.scheduleWithFixedDelay(this::closeExpiredHandles, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
  }

  /**
   * Closes the handles no call has used for a whole lease: their clients died or lost the
   * server, and a dead process's descriptors close (so an unlinked queue can go).
   */
  private void closeExpiredHandles() {
    long now = System.nanoTime();
    long lease = config.handleLease().toNanos();
    List<Handle> expired = handles.values().stream().filter(h -> now - h.lastUsedNanos > lease).toList();
    if (expired.isEmpty()) {
      return;
    }
    // One line per sweep, not per handle: a client can leave thousands behind.
    log.info("{} handle(s) unused for {} ms closed, of queue(s) {}", expired.size(), config.handleLease().toMillis(),
        expired.stream().map(h -> h.queue.name).distinct().limit(8).toList());
    expired.forEach(this::closeHandle);
  }

  private void closeHandle(Handle h) {
    handles.remove(h.id);
    handleShares.give(h.client, 1);
    h.queue.closeHandle(h.id);
    if (h.queue.unlinked && h.queue.openHandles == 0) {
      destroy(h.queue);
    }
  }

  /**
   * Hosts the durable queues whose logs are in {@code directory}, read whole before any is
   * changed ({@link DataDirectory#readLogs}); then torn tails are cut.
   */
  private void recover(Path directory) throws IOException {
    List<LogReader.Recovered> recovered = DataDirectory.readLogs(directory);
    for (LogReader.Recovered r : recovered) {
      if (r.tornBytes() > 0) {
        log.warn("{}: cut off a torn last record, {} bytes at offset {} (the server stopped while writing it)",
            r.path(), r.tornBytes(), r.validBytes());
      }
      QueueLog queueLog = QueueLog.reopen(r.path(), r.createRecord(), r.validBytes(), rewriter);
      HostedQueue q = new HostedQueue(r.name(), r.owner(), r.maxMessages(), r.messageSize(), queueLog, owner, config,
          waitingSends);
      q.restore(r.messages(), r.nextSequence());
      names.put(r.name(), q);
      hosted.add(q);
      log.info("durable queue {} recovered with {} messages", r.name(), r.messages().size());
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

  /** Σ maxMessages × messageSize of the hosted queues, saturated rather than overflowed. */
  private long committedBytes() {
    long sum = 0;
    for (HostedQueue q : hosted) {
      sum = sum > Long.MAX_VALUE - q.capacity() ? Long.MAX_VALUE : sum + q.capacity();
    }
    return sum;
  }

  /** An operation on the owner thread; a failure it throws completes the future. */
  @FunctionalInterface
  private interface Operation<T> {
    void run(CompletableFuture<T> reply) throws MqFailure;
  }

  private <T> CompletableFuture<T> submit(Operation<T> operation) {
    CompletableFuture<T> reply = new CompletableFuture<>();
    try {
      owner.execute(() -> {
        try {
          operation.run(reply);
        } catch (MqFailure e) {
          reply.completeExceptionally(e);
        } catch (RuntimeException e) {
          log.warn("queue operation failed", e);
          reply.completeExceptionally(e);
        }
      });
    } catch (RejectedExecutionException e) {
      reply.completeExceptionally(new IllegalStateException("queue host closed"));
    }
    return reply;
  }

  private static <T> Operation<T> immediate(ThrowingSupplier<T> supplier) {
    return reply -> reply.complete(supplier.get());
  }

  @FunctionalInterface
  private interface ThrowingSupplier<T> {
    T get() throws MqFailure;
  }

  // --- names and handles ---

  /** mq_open. */
  public CompletableFuture<Opened> open(Caller caller, OpenRequest request) {
    return submit(immediate(() -> {
      String name = QueueNames.check(request.name());
      takeHandle(caller);
      boolean opened = false;
      try {
        Opened o = openTaken(caller, name, request);
        opened = true;
        return o;
      } finally {
        if (!opened) {
          handleShares.give(caller.client(), 1);
        }
      }
    }));
  }

  private void takeHandle(Caller caller) throws MqFailure {
    Shares.Refusal refused = handleShares.take(caller.client(), 1);
    if (refused == Shares.Refusal.CLIENT) {
      throw fail(MqErrno.EMFILE, caller.client() + " has " + handleShares.perClient()
          + " handles open, as many as one client may");
    }
    if (refused == Shares.Refusal.TOTAL) {
      throw fail(MqErrno.ENFILE, "this server has " + handleShares.total() + " handles open, its limit");
    }
  }

  /** mq_open once the handle is counted against its client. */
  private Opened openTaken(Caller caller, String name, OpenRequest request) throws MqFailure {
    HostedQueue q = names.get(name);
    if (q == null) {
      if (!request.create()) {
        throw fail(MqErrno.ENOENT, "no queue " + name);
      }
      q = create(caller, name, request);
    } else if (request.create() && request.exclusive()) {
      throw fail(MqErrno.EEXIST, "queue " + name + " exists");
    } else if (!Permissions.allows(q.owner, caller, request.access())) {
      throw fail(MqErrno.EACCES, "uid " + caller.uid() + " may not open " + name + " "
          + request.access() + " (owner " + q.owner.uid() + ":" + q.owner.gid() + ", mode 0"
          + Integer.toOctalString(q.owner.mode()) + ")");
    }
    long id;
    do {
      id = random.nextLong();
    } while (id == 0 || handles.containsKey(id));
    handles.put(id, new Handle(id, q, caller, request.access(), System.nanoTime()));
    q.openHandles++;
    return new Opened(id, q.attributes(), config.handleLease().toMillis());
  }

  private HostedQueue create(Caller caller, String name, OpenRequest request) throws MqFailure {
    long maxMessages = request.maxMessages();
    long messageSize = request.messageSize();
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

  private Handle handle(Caller caller, long id) throws MqFailure {
    Handle h = handles.get(id);
    if (h == null || h.uid != caller.uid()) {
      throw fail(MqErrno.EBADF, "no open queue handle " + Long.toHexString(id) + " of uid " + caller.uid());
    }
    h.lastUsedNanos = System.nanoTime();
    return h;
  }

  private Handle handle(Caller caller, long id, Access direction) throws MqFailure {
    Handle h = handle(caller, id);
    if (h.access != Access.READ_WRITE && h.access != direction) {
      throw fail(MqErrno.EBADF, "queue " + h.queue.name + " is open " + h.access);
    }
    return h;
  }

  /** mq_close. */
  public CompletableFuture<Void> close(Caller caller, long id) {
    return submit(immediate(() -> {
      closeHandle(handle(caller, id));
      return null;
    }));
  }

  /** mq_unlink: only the owner may, as with a sticky /dev/mqueue. */
  public CompletableFuture<Void> unlink(Caller caller, String name) {
    return submit(immediate(() -> {
      HostedQueue q = names.get(QueueNames.check(name));
      if (q == null) {
        throw fail(MqErrno.ENOENT, "no queue " + name);
      }
      if (q.owner.uid() != caller.uid()) {
        throw fail(MqErrno.EACCES, "only its owner, uid " + q.owner.uid() + ", may unlink " + name);
      }
      try {
        q.deleteLog();
      } catch (IOException e) {
        throw fail(MqErrno.EIO, "cannot delete the log of " + name + ", so it stays: " + Failures.reason(e));
      }
      names.remove(name);
      q.unlinked = true;
      if (q.openHandles == 0) {
        destroy(q);
      }
      return null;
    }));
  }

  private void destroy(HostedQueue q) {
    q.destroy();
    hosted.remove(q);
    creators.destroyed(q);
  }

  // --- messages ---

  /** mq_send, mq_timedsend. */
  public CompletableFuture<Void> send(Caller caller, SendRequest request) {
    return send(caller, request, PeerWatch.NONE);
  }

  /** mq_send, mq_timedsend; a send left waiting is withdrawn if its caller goes. */
  public CompletableFuture<Void> send(Caller caller, SendRequest request, PeerWatch watch) {
    return submit(reply -> {
      checkPriority(request.priority()); // before the handle, as Linux checks it before the descriptor
      Handle h = handle(caller, request.receipt().handle(), Access.WRITE_ONLY);
      if (request.message().length > h.queue.messageSize) {
        throw fail(MqErrno.EMSGSIZE, "a message of " + request.message().length + " bytes is longer than "
            + h.queue.name + "'s message size, " + h.queue.messageSize);
      }
      checkNotReleased(h, request.receipt());
      h.queue.send(request.receipt(), request.priority(), request.message(), request.timeoutMillis(),
          caller.client(), reply);
      watchWhileParked(request.receipt(), reply, watch);
    });
  }

  private static void checkPriority(int priority) throws MqFailure {
    if (priority < 0 || priority >= MqConstants.MQ_PRIO_MAX) {
      throw fail(MqErrno.EINVAL, "priority must be 0 .. " + (MqConstants.MQ_PRIO_MAX - 1) + ", got " + priority);
    }
  }

  private static void checkNotReleased(Handle h, Receipt receipt) throws MqFailure {
    if (h.released.contains(receipt.sequence())) {
      throw fail(MqErrno.ECANCELED, "call " + receipt.sequence() + " on " + h.queue.name + " was withdrawn");
    }
  }

  /** The first half of mq_receive: reserves the best message for the receipt. */
  public CompletableFuture<Message> receive(Caller caller, Receipt receipt, long timeoutMillis) {
    return receive(caller, receipt, timeoutMillis, PeerWatch.NONE);
  }

  /**
   * The first half of mq_receive; a receive left waiting is withdrawn if its caller goes, and a
   * message reserved for it once the caller had gone goes back.
   */
  public CompletableFuture<Message> receive(Caller caller, Receipt receipt, long timeoutMillis, PeerWatch watch) {
    return submit(reply -> {
      Handle h = handle(caller, receipt.handle(), Access.READ_ONLY);
      checkNotReleased(h, receipt);
      h.queue.receive(receipt, timeoutMillis, caller.client(), reply, watch);
      watchWhileParked(receipt, reply, watch);
    });
  }

  /**
   * A call left waiting on a queue ends at once if its caller goes, as a process's calls end
   * when it dies: rather than hold its place and its bytes until its deadline or its handle's
   * lease, and take a message that would wait for a commit until the reservation's lease.
   */
  private void watchWhileParked(Receipt receipt, CompletableFuture<?> reply, PeerWatch watch) {
    if (!reply.isDone()) {
      watch.onGone(() -> {
        try {
          owner.execute(() -> callerGone(receipt, reply));
        } catch (RejectedExecutionException e) {
          // the host closed: it ended every waiting call itself
        }
      });
    }
  }

  /**
   * The caller of a waiting call went. The call ends with no reply (nobody reads it), so that the
   * duplicate request cache keeps nothing for it: the same call sent again over a new connection,
   * by a client that only lost its connection, runs again. A message reserved for a receive as
   * its caller went (the close and the message crossed) goes back by the reservation's own watch
   * of the connection (HostedQueue.watch); a client that sends the receive again, and gets the
   * saved reply, finds the reservation gone when it commits (ETIMEDOUT), and asks again.
   */
  private void callerGone(Receipt receipt, CompletableFuture<?> reply) {
    Handle h = handles.get(receipt.handle());
    if (h != null) { // else closed meanwhile: its calls ended and its reservations went back with it
      h.queue.withdraw(reply, new NoReply("its caller's connection closed while it waited"));
    }
  }

  /** The second half: the reserved message is taken for good. */
  public CompletableFuture<Void> commit(Caller caller, Receipt receipt) {
    return submit(immediate(() -> {
      handle(caller, receipt.handle(), Access.READ_ONLY).queue.commit(receipt);
      return null;
    }));
  }

  /** Withdraws a parked call or puts a reserved message back; remembers the receipt otherwise. */
  public CompletableFuture<Void> release(Caller caller, Receipt receipt) {
    return submit(immediate(() -> {
      Handle h = handle(caller, receipt.handle());
      MqFailure withdrawn = fail(MqErrno.ECANCELED, "withdrawn by its caller");
      if (!h.queue.withdraw(receipt, withdrawn) && !h.queue.putBack(receipt)) {
        h.released.add(receipt.sequence());
        if (h.released.size() > TOMBSTONES_PER_HANDLE) {
          h.released.remove(h.released.iterator().next());
        }
      }
      return null;
    }));
  }

  /** mq_getattr. */
  public CompletableFuture<CurrentAttributes> attributes(Caller caller, long id) {
    return submit(immediate(() -> handle(caller, id).queue.attributes()));
  }

  /** mq_notify: the future completes when the notification fires. */
  public CompletableFuture<Void> notifyOnArrival(Caller caller, long id) {
    return notifyOnArrival(caller, id, PeerWatch.NONE);
  }

  /** mq_notify; the registration goes if its caller goes, as a process's goes when it exits. */
  public CompletableFuture<Void> notifyOnArrival(Caller caller, long id, PeerWatch watch) {
    return submit(reply -> {
      handle(caller, id).queue.registerNotification(id, reply);
      watchWhileParked(new Receipt(id, 0), reply, watch);
    });
  }

  /** mq_notify(NULL). */
  public CompletableFuture<Void> cancelNotify(Caller caller, long id) {
    return submit(immediate(() -> {
      handle(caller, id).queue.cancelNotification(id);
      return null;
    }));
  }

  /** One queue's numbers, for a caller who may read it. */
  public CompletableFuture<QueueStatus> status(Caller caller, String name) {
    return submit(immediate(() -> {
      HostedQueue q = names.get(QueueNames.check(name));
      if (q == null) {
        throw fail(MqErrno.ENOENT, "no queue " + name);
      }
      if (!Permissions.allows(q.owner, caller, Access.READ_ONLY)) {
        throw fail(MqErrno.EACCES, "uid " + caller.uid() + " may not read " + name);
      }
      return q.status();
    }));
  }

  /** Every hosted queue's numbers (unlinked ones still open included), for the process that hosts them. */
  public CompletableFuture<List<QueueStatus>> statuses() {
    return submit(immediate(() -> {
      Set<HostedQueue> hosted = new LinkedHashSet<>(names.values());
      handles.values().forEach(h -> hosted.add(h.queue));
      List<QueueStatus> all = new ArrayList<>();
      hosted.forEach(q -> all.add(q.status()));
      all.sort(Comparator.comparing(QueueStatus::name));
      return all;
    }));
  }

  /** Fails every parked call, closes the logs (abandoning their rewrites) and stops the threads. */
  @Override
  public void close() {
    CompletableFuture<Void> done = submit(immediate(() -> {
      Set<HostedQueue> all = new HashSet<>(names.values());
      for (Handle h : handles.values()) {
        h.queue.closeHandle(h.id);
        all.add(h.queue);
      }
      handles.clear();
      names.clear();
      all.forEach(HostedQueue::destroy);
      return null;
    }));
    done.exceptionally(e -> null).join();
    owner.shutdownNow();
    rewriter.close(); // after the logs abandoned their rewrites
  }
}
