package org.onyxrpc.mq.internal.server;

import static org.onyxrpc.mq.internal.server.Failures.fail;
import static org.onyxrpc.mq.internal.server.OwnerThread.immediate;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.onyxrpc.internal.RateLimitedLog;
import org.onyxrpc.mq.internal.QueueNames;
import org.onyxrpc.mq.internal.wire.Access;
import org.onyxrpc.mq.internal.wire.CurrentAttributes;
import org.onyxrpc.mq.internal.wire.ListRequest;
import org.onyxrpc.mq.internal.wire.Message;
import org.onyxrpc.mq.internal.wire.MqConstants;
import org.onyxrpc.mq.internal.wire.MqErrno;
import org.onyxrpc.mq.internal.wire.MqFailure;
import org.onyxrpc.mq.internal.wire.OpenRequest;
import org.onyxrpc.mq.internal.wire.Opened;
import org.onyxrpc.mq.internal.wire.QueueList;
import org.onyxrpc.mq.internal.wire.QueueStatus;
import org.onyxrpc.mq.internal.wire.Receipt;
import org.onyxrpc.mq.internal.wire.SendRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hosts named queues and the handles open on them: the mq_* operations, each checked (handle,
 * direction, permission) and run on one owner thread ({@link OwnerThread}), which holds all the
 * state (the {@link QueueCatalog}, the {@link HandleTable} and the queues); callers get a future,
 * completed at once or, for a call that has to wait, when the queue can answer it, so nothing
 * blocks the server's threads.
 */
public final class QueueHost implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(QueueHost.class);

  private final HostConfig config;
  private final OwnerThread owner = new OwnerThread();
  private final LogRewriter rewriter;
  private final QueueCatalog queues;
  private final HandleTable handles;
  private final GoneCallers goneCallers;
  private final LongSupplier nanoTime;

  /** Starts a host; with a data directory, the durable queues found there are hosted again. */
  public QueueHost(HostConfig config) throws IOException {
    this(config, System::nanoTime);
  }

  /**
   * With the clock that handle leases are measured on: {@code System::nanoTime}, or a test's, which
   * ends a lease by setting it forward and then calls {@link #closeExpiredHandlesNow}.
   */
  public QueueHost(HostConfig config, LongSupplier nanoTime) throws IOException {
    this(config, LogRewriter.Hook.NONE, nanoTime);
  }

  /** With a hook told each step of a log's rewrite (tests). */
  QueueHost(HostConfig config, LogRewriter.Hook rewriteHook) throws IOException {
    this(config, rewriteHook, System::nanoTime);
  }

  private QueueHost(HostConfig config, LogRewriter.Hook rewriteHook, LongSupplier nanoTime)
      throws IOException {
    this.config = config;
    this.nanoTime = nanoTime;
    this.rewriter = LogRewriter.background(owner.executor, rewriteHook);
    this.queues = new QueueCatalog(config, owner.executor, rewriter);
    this.handles = new HandleTable(config, nanoTime);
    this.goneCallers = new GoneCallers(owner, handles);
    if (config.dataDirectory() != null) {
      try {
        queues.recover(config.dataDirectory());
      } catch (IOException | RuntimeException e) {
        queues.destroyAll(Set.of());
        owner.shutdown();
        rewriter.close();
        throw e;
      }
    }
    long sweepMillis = Math.max(1, config.handleLease().toMillis() / 4);
    owner.executor.scheduleWithFixedDelay(this::closeExpiredHandles, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
  }

  /**
   * Closes the handles no call has used for a whole lease: their clients died or lost the
   * server, and a dead process's descriptors close (so an unlinked queue can go).
   */
  private void closeExpiredHandles() {
    List<Handle> expired = handles.unusedFor(config.handleLease().toNanos(), nanoTime.getAsLong());
    if (expired.isEmpty()) {
      return;
    }
    // One line per sweep, not per handle: a client can leave thousands behind. Queue names are
    // the clients' (newlines included, as on Linux): quoted escaped, one line whatever they hold.
    log.info("{} handle(s) unused for {} ms closed, of queue(s) {}", expired.size(), config.handleLease().toMillis(),
        expired.stream().map(h -> RateLimitedLog.escaped(h.queue.name)).distinct().limit(8).toList());
    expired.forEach(this::closeHandle);
  }

  /**
   * Closes now, on the owner thread, the handles unused for a whole lease, as the periodic sweep
   * does (for tests on their own clock, which cannot wait for the next sweep).
   *
   * @return completed once the sweep has run
   */
  public CompletableFuture<Void> closeExpiredHandlesNow() {
    return CompletableFuture.runAsync(this::closeExpiredHandles, owner.executor);
  }

  private void closeHandle(Handle h) {
    handles.remove(h);
    h.queue.closeHandle(h.id, "");
    if (h.queue.unlinked && h.queue.openHandles == 0) {
      queues.destroy(h.queue);
    }
  }

  // --- names and handles ---

  /** mq_open. */
  public CompletableFuture<Opened> open(Caller caller, OpenRequest request) {
    return owner.submit(immediate(() -> {
      String name = QueueNames.check(request.name());
      handles.take(caller);
      boolean opened = false;
      try {
        Opened o = openTaken(caller, name, request);
        opened = true;
        return o;
      } finally {
        if (!opened) {
          handles.giveBack(caller);
        }
      }
    }));
  }

  /** mq_open once the handle is counted against its client. */
  private Opened openTaken(Caller caller, String name, OpenRequest request) throws MqFailure {
    HostedQueue q = queues.named(name);
    if (q == null) {
      if (!request.create()) {
        throw fail(MqErrno.ENOENT, "no queue " + name);
      }
      q = queues.create(caller, name, request);
    } else if (request.create() && request.exclusive()) {
      throw fail(MqErrno.EEXIST, "queue " + name + " exists");
    } else if (!Permissions.allows(q.owner, caller, request.access())) {
      throw fail(MqErrno.EACCES, "uid " + caller.uid() + " may not open " + name + " "
          + request.access() + " (owner " + q.owner.uid() + ":" + q.owner.gid() + ", mode 0"
          + Integer.toOctalString(q.owner.mode()) + ")");
    }
    Handle h = handles.open(q, caller, request.access());
    q.openHandles++;
    return new Opened(h.id, q.attributes(), config.handleLease().toMillis());
  }

  /** mq_close. */
  public CompletableFuture<Void> close(Caller caller, long id) {
    return owner.submit(immediate(() -> {
      closeHandle(handles.get(caller, id));
      return null;
    }));
  }

  /** mq_unlink: only the owner may, as with a sticky /dev/mqueue. */
  public CompletableFuture<Void> unlink(Caller caller, String name) {
    return owner.submit(immediate(() -> {
      HostedQueue q = queues.named(QueueNames.check(name));
      if (q == null) {
        throw fail(MqErrno.ENOENT, "no queue " + name);
      }
      if (q.owner.uid() != caller.uid()) {
        throw fail(MqErrno.EACCES, "only its owner, uid " + q.owner.uid() + ", may unlink " + name);
      }
      queues.unlink(q);
      if (q.openHandles == 0) {
        queues.destroy(q);
      }
      return null;
    }));
  }

  // --- messages ---

  /** mq_send, mq_timedsend. */
  public CompletableFuture<Void> send(Caller caller, SendRequest request) {
    return send(caller, request, PeerWatch.NONE);
  }

  /** mq_send, mq_timedsend; a send left waiting is withdrawn if its caller goes. */
  public CompletableFuture<Void> send(Caller caller, SendRequest request, PeerWatch watch) {
    return owner.submit(reply -> {
      checkPriority(request.priority()); // before the handle, as Linux checks it before the descriptor
      Handle h = handles.get(caller, request.receipt().handle(), Access.WRITE_ONLY);
      if (request.message().length > h.queue.messageSize) {
        throw fail(MqErrno.EMSGSIZE, "a message of " + request.message().length + " bytes is longer than "
            + h.queue.name + "'s message size, " + h.queue.messageSize);
      }
      checkNotReleased(h, request.receipt());
      h.queue.send(request.receipt(), request.priority(), request.message(), request.timeoutMillis(),
          caller.client(), reply);
      handles.inUseWhileWaiting(h, reply, owner);
      goneCallers.watchWhileParked(request.receipt(), reply, watch);
    });
  }

  private static void checkPriority(int priority) throws MqFailure {
    if (priority < 0 || priority >= MqConstants.MQ_PRIO_MAX) {
      throw fail(MqErrno.EINVAL, "priority must be 0 .. " + (MqConstants.MQ_PRIO_MAX - 1) + ", got " + priority);
    }
  }

  private static void checkNotReleased(Handle h, Receipt receipt) throws MqFailure {
    if (h.wasReleased(receipt.sequence())) {
      throw fail(MqErrno.ECANCELED, "call " + receipt.sequence() + " on " + h.queue.name + " was withdrawn");
    }
  }

  /** The first half of mq_receive: reserves the best message for the receipt. */
  public CompletableFuture<Message> receive(Caller caller, Receipt receipt, long timeoutMillis) {
    return receive(caller, receipt, timeoutMillis, PeerWatch.NONE);
  }

  /**
   * The first half of mq_receive; a receive left waiting is withdrawn if its caller goes, and a
   * message reserved for it goes back if its caller goes before the commit.
   */
  public CompletableFuture<Message> receive(Caller caller, Receipt receipt, long timeoutMillis, PeerWatch watch) {
    return owner.submit(reply -> {
      Handle h = handles.get(caller, receipt.handle(), Access.READ_ONLY);
      checkNotReleased(h, receipt);
      h.queue.receive(receipt, timeoutMillis, caller.client(), reply, watch);
      handles.inUseWhileWaiting(h, reply, owner);
      goneCallers.watchWhileParked(receipt, reply, watch);
    });
  }

  /** The second half: the reserved message is taken for good. */
  public CompletableFuture<Void> commit(Caller caller, Receipt receipt) {
    return owner.submit(immediate(() -> {
      handles.get(caller, receipt.handle(), Access.READ_ONLY).queue.commit(receipt);
      return null;
    }));
  }

  /** Withdraws a parked call or puts a reserved message back; remembers the receipt otherwise. */
  public CompletableFuture<Void> release(Caller caller, Receipt receipt) {
    return owner.submit(immediate(() -> {
      Handle h = handles.get(caller, receipt.handle());
      MqFailure withdrawn = fail(MqErrno.ECANCELED, "withdrawn by its caller");
      if (!h.queue.withdraw(receipt, withdrawn) && !h.queue.putBack(receipt)) {
        h.rememberReleased(receipt.sequence());
      }
      return null;
    }));
  }

  /** mq_getattr. */
  public CompletableFuture<CurrentAttributes> attributes(Caller caller, long id) {
    return owner.submit(immediate(() -> handles.get(caller, id).queue.attributes()));
  }

  /** mq_notify: the future completes when the notification fires. */
  public CompletableFuture<Void> notifyOnArrival(Caller caller, long id) {
    return notifyOnArrival(caller, id, PeerWatch.NONE);
  }

  /**
   * mq_notify from a client before receipts: the registration has no identity of its own (the
   * receipt sequence 0), so only {@link #cancelNotify(Caller, long)} or a cancel of sequence 0
   * removes it.
   */
  public CompletableFuture<Void> notifyOnArrival(Caller caller, long id, PeerWatch watch) {
    return notifyOnArrival(caller, new Receipt(id, 0), watch);
  }

  /**
   * mq_notify for the receipt's registration; the registration goes if its caller goes, as a
   * process's goes when it exits. One whose cancel overtook it fails ECANCELED, registering nothing.
   */
  public CompletableFuture<Void> notifyOnArrival(Caller caller, Receipt registration, PeerWatch watch) {
    return owner.submit(reply -> {
      Handle h = handles.get(caller, registration.handle());
      checkNotReleased(h, registration);
      h.queue.registerNotification(registration, reply);
      handles.inUseWhileWaiting(h, reply, owner);
      goneCallers.watchWhileParked(registration, reply, watch);
    });
  }

  /** mq_notify(NULL) from a client before receipts: removes the handle's registration, whichever it is. */
  public CompletableFuture<Void> cancelNotify(Caller caller, long id) {
    return owner.submit(immediate(() -> {
      handles.get(caller, id).queue.cancelNotification(id);
      return null;
    }));
  }

  /**
   * mq_notify(NULL) for one registration: a late or repeated cancel leaves a registration made
   * since alone. One that finds nothing is remembered, as a release is, in case it overtook its
   * registration (the server runs a connection's calls in parallel).
   */
  public CompletableFuture<Void> cancelNotify(Caller caller, Receipt registration) {
    return owner.submit(immediate(() -> {
      Handle h = handles.get(caller, registration.handle());
      if (!h.queue.cancelNotification(registration)) {
        h.rememberReleased(registration.sequence());
      }
      return null;
    }));
  }

  /** One queue's numbers, for a caller who may read it. */
  public CompletableFuture<QueueStatus> status(Caller caller, String name) {
    return owner.submit(immediate(() -> {
      HostedQueue q = queues.named(QueueNames.check(name));
      if (q == null) {
        throw fail(MqErrno.ENOENT, "no queue " + name);
      }
      if (!Permissions.allows(q.owner, caller, Access.READ_ONLY)) {
        throw fail(MqErrno.EACCES, "uid " + caller.uid() + " may not read " + name);
      }
      return q.status();
    }));
  }

  /**
   * A page of the queues' names, to anyone, as Linux lists {@code /dev/mqueue}: the names after
   * {@code request.after()}, at most {@code request.max()} (1 .. MQ_LIST_MAX, else EINVAL).
   */
  public CompletableFuture<QueueList> list(ListRequest request) {
    return owner.submit(immediate(() -> {
      int max = request.max();
      if (max < 1 || max > MqConstants.MQ_LIST_MAX) {
        throw fail(MqErrno.EINVAL, "a listing's page is 1 .. " + MqConstants.MQ_LIST_MAX
            + " names, not " + max);
      }
      List<String> page = queues.namesAfter(request.after(), max + 1);
      boolean more = page.size() > max;
      return new QueueList(more ? page.subList(0, max) : page, more);
    }));
  }

  /** Every hosted queue's numbers (unlinked ones still open included), for the process that hosts them. */
  public CompletableFuture<List<QueueStatus>> statuses() {
    return owner.submit(immediate(() -> {
      Set<HostedQueue> hosted = new LinkedHashSet<>(queues.named());
      handles.all().forEach(h -> hosted.add(h.queue));
      List<QueueStatus> all = new ArrayList<>();
      hosted.forEach(q -> all.add(q.status()));
      all.sort(Comparator.comparing(QueueStatus::name));
      return all;
    }));
  }

  /** Timers queued on the owner thread, cancelled ones included (tests). */
  int timersQueued() {
    return owner.timersQueued();
  }

  /**
   * Fails every parked call, closes the logs (abandoning their rewrites) and stops the threads.
   * Calls that come later are refused unrun ({@link HostClosedException}); before, one that came
   * while this ran was run on the closed host (an open answered with a handle nothing held, a
   * receive parked for good) or dropped unanswered with the owner thread's queue.
   */
  @Override
  public void close() {
    CompletableFuture<Void> done = owner.submitLast(immediate(() -> {
      Set<HostedQueue> open = new HashSet<>();
      for (Handle h : handles.all()) {
        h.queue.closeHandle(h.id, ": the queue server stopped");
        open.add(h.queue);
      }
      handles.clear();
      queues.destroyAll(open);
      return null;
    }));
    done.exceptionally(e -> null).join();
    owner.shutdown();
    rewriter.close(); // after the logs abandoned their rewrites
  }
}
