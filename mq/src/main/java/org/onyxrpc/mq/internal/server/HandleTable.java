package org.onyxrpc.mq.internal.server;

import static org.onyxrpc.mq.internal.server.Failures.fail;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.onyxrpc.mq.internal.wire.Access;
import org.onyxrpc.mq.internal.wire.MqErrno;
import org.onyxrpc.mq.internal.wire.MqFailure;

/**
 * The open handles: their random ids, whose they are, and how many each client holds
 * (maxHandles, maxHandlesPerClient). Touched only by the owner thread.
 */
final class HandleTable {
  private final SecureRandom random = new SecureRandom();
  private final Map<Long, Handle> handles = new HashMap<>();
  private final Shares shares;
  /** Now, in nanoseconds: System::nanoTime but in tests, which set it to end a lease. */
  private final LongSupplier nanoTime;

  HandleTable(HostConfig config, LongSupplier nanoTime) {
    this.shares = new Shares(config.maxHandles(), config.maxHandlesPerClient());
    this.nanoTime = nanoTime;
  }

  /** Counts a handle against its client before it is opened; {@link #giveBack} if the open fails. */
  void take(Caller caller) throws MqFailure {
    Shares.Refusal refused = shares.take(caller.client(), 1);
    if (refused == Shares.Refusal.CLIENT) {
      throw fail(MqErrno.EMFILE, caller.client() + " has " + shares.perClient()
          + " handles open, as many as one client may");
    }
    if (refused == Shares.Refusal.TOTAL) {
      throw fail(MqErrno.ENFILE, "this server has " + shares.total() + " handles open, its limit");
    }
  }

  void giveBack(Caller caller) {
    shares.give(caller.client(), 1);
  }

  /** A new handle on {@code queue}, counted already by {@link #take}. */
  Handle open(HostedQueue queue, Caller caller, Access access) {
    long id;
    do {
      id = random.nextLong();
    } while (id == 0 || handles.containsKey(id));
    Handle h = new Handle(id, queue, caller, access, nanoTime.getAsLong());
    handles.put(id, h);
    return h;
  }

  /**
   * The caller's handle, its lease renewed; EBADF for none, or for one another uid or another
   * client opened. The uid alone is not enough: over TCP it is an AUTH_SYS claim, so a handle id
   * read off the wire would be anyone's who claimed the same uid from another host.
   */
  Handle get(Caller caller, long id) throws MqFailure {
    Handle h = handles.get(id);
    if (h == null || h.uid != caller.uid() || !h.client.equals(caller.client())) {
      throw fail(MqErrno.EBADF, "no open queue handle " + Long.toHexString(id) + " of uid " + caller.uid()
          + " from " + caller.client());
    }
    h.lastUsedNanos = nanoTime.getAsLong();
    return h;
  }

  /** As {@link #get(Caller, long)}, and open for {@code direction}. */
  Handle get(Caller caller, long id, Access direction) throws MqFailure {
    Handle h = get(caller, id);
    if (h.access != Access.READ_WRITE && h.access != direction) {
      throw fail(MqErrno.EBADF, "queue " + h.queue.name + " is open " + h.access);
    }
    return h;
  }

  /** The handle {@code id}, if open, whoever holds it; its lease is not renewed. */
  Handle find(long id) {
    return handles.get(id);
  }

  /** Forgets {@code h} and gives its place back to its client. */
  void remove(Handle h) {
    handles.remove(h.id);
    shares.give(h.client, 1);
  }

  /** The handles no call has used for {@code leaseNanos}, and none waits on. */
  List<Handle> unusedFor(long leaseNanos, long now) {
    return handles.values().stream().filter(h -> h.waitingCalls == 0 && now - h.lastUsedNanos > leaseNanos)
        .toList();
  }

  /**
   * {@code reply}'s call waits on {@code h}: the handle is in use until it is answered, and its
   * lease starts again then, so that the call that follows (a receive's commit) finds it open. A
   * C client blocked in a receive without end calls nothing else meanwhile; before, the handle
   * was closed under its waiting call once the wait had lasted a lease. The connection bounds it:
   * a caller that goes ends its waiting calls (GoneCallers), and its lease runs from then.
   */
  void inUseWhileWaiting(Handle h, CompletableFuture<?> reply, OwnerThread owner) {
    if (reply.isDone()) {
      return;
    }
    h.waitingCalls++;
    // Answered on the owner thread, or by the runtime on its own: counted back on the owner's.
    reply.whenComplete((result, failure) -> owner.runOnOwner(() -> {
      h.waitingCalls--;
      h.lastUsedNanos = nanoTime.getAsLong();
    }));
  }

  /** Every open handle, a copy. */
  Collection<Handle> all() {
    return new ArrayList<>(handles.values());
  }

  void clear() {
    handles.clear();
  }
}
