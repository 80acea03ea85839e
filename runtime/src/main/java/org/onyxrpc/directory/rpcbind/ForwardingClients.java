package org.onyxrpc.directory.rpcbind;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.onyxrpc.client.IoStrategy;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.transport.Transport;

/**
 * The clients the directory forwards calls with (CALLIT, BCAST, INDIRECT): at most {@value
 * #PER_TARGET} per target address and transport, so that forwarded calls to a program share a
 * connection or two rather than open one each. A call goes on the kept client with the fewest
 * calls under way, and a second is opened only while the first has one: a server runs one
 * connection's calls on at most half of its threads, and one address's on three quarters, so a
 * second connection lets forwarded calls reach the address's share (the directory calls from
 * this machine, as its other local clients do) and a third would add nothing. An {@link
 * RpcClient} reaches one address, whatever program and version a call names, so programs
 * registered at one port share them too.
 *
 * <p>At most {@code maxClients} are kept: to make room the least recently used idle one is
 * closed, and when every kept client has a call under way a call to a target none is kept for
 * gets a client of its own, closed after it (the caller's limits in {@link RemoteCalls} bound
 * those). A client idle for {@code idle} is closed by a sweep. The table has one owner, a thread
 * of its own, made by the first forwarded call and stopped by {@link #close}: it looks clients
 * up, gives them back and closes them, and nothing else; calls run on the clients' own threads.
 */
final class ForwardingClients implements AutoCloseable {
  /** Clients kept at most. */
  static final int MAX_CLIENTS = 16;
  /** Clients kept per target at most. */
  static final int PER_TARGET = 2;
  /** How long an unused client is kept. */
  static final Duration IDLE = Duration.ofSeconds(30);

  /** Where a forwarded call goes. */
  record Target(InetSocketAddress address, Transport transport) {}

  /** One of the places a target's kept clients have in the table. */
  private record Slot(Target target, int index) {}

  /** A client and the calls it has under way; touched on the owner only. */
  private static final class Held {
    final RpcClient client;
    final boolean kept;
    int calls;
    long lastUsed;

    Held(RpcClient client, boolean kept) {
      this.client = client;
      this.kept = kept;
    }
  }

  private final Duration timeout;
  private final int maxClients;
  private final long idleNanos;
  private final LongSupplier clock;
  private final LinkedHashMap<Slot, Held> clients = new LinkedHashMap<>(16, 0.75f, true);
  private ScheduledThreadPoolExecutor owner; // made by the first call; guarded by this
  private boolean closed; // guarded by this

  /** Clients whose calls wait at most {@code timeout}. */
  ForwardingClients(Duration timeout) {
    this(timeout, MAX_CLIENTS, IDLE, System::nanoTime);
  }

  /** With its own bounds, and {@code clock} (as {@link System#nanoTime}) ageing clients: tests'. */
  ForwardingClients(Duration timeout, int maxClients, Duration idle, LongSupplier clock) {
    this.timeout = timeout;
    this.maxClients = maxClients;
    this.idleNanos = idle.toNanos();
    this.clock = clock;
  }

  /** Calls {@code procedure} at {@code target} once, on a kept client if one can be. */
  CompletableFuture<byte[]> call(Target target, Procedure<byte[], byte[]> procedure, byte[] args) {
    CompletableFuture<Held> leased;
    try {
      leased = CompletableFuture.supplyAsync(() -> lease(target), owner());
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(closing());
    }
    return leased.thenCompose(held -> {
      CompletableFuture<byte[]> call;
      try {
        call = held.client.callAsync(procedure, args);
      } catch (RuntimeException e) {
        call = CompletableFuture.failedFuture(e);
      }
      return call.whenComplete((r, t) -> giveBack(held));
    });
  }

  /** Clients kept now. */
  int size() {
    return onOwner(clients::size);
  }

  /** Closes the clients idle for longer than allowed now (as the owner does every while). */
  void sweepNow() {
    onOwner(() -> {
      sweep();
      return null;
    });
  }

  /** Closes every client (calls under way fail with CANCELLED) and stops the owner. */
  @Override
  public void close() {
    ScheduledThreadPoolExecutor o;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      o = owner;
    }
    if (o == null) {
      return;
    }
    try {
      o.submit(() -> {
        for (Held held : clients.values()) {
          held.client.close();
        }
        clients.clear();
      }).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      throw new IllegalStateException("closing the forwarding clients failed", e.getCause());
    } finally {
      o.shutdown();
    }
  }

  private synchronized ScheduledThreadPoolExecutor owner() {
    if (closed) {
      throw new RejectedExecutionException("closed");
    }
    if (owner == null) {
      owner = new ScheduledThreadPoolExecutor(1, new DefaultThreadFactory("onyx-directory-forwarding", true));
      owner.setRemoveOnCancelPolicy(true);
      long every = Math.max(1, idleNanos / 2);
      owner.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.NANOSECONDS);
    }
    return owner;
  }

  private synchronized boolean isClosed() {
    return closed;
  }

  private <T> T onOwner(Supplier<T> task) {
    try {
      return CompletableFuture.supplyAsync(task, owner()).join();
    } catch (RejectedExecutionException e) {
      throw closing();
    }
  }

  /** On the owner: a client for one call to {@code target}. */
  private Held lease(Target target) {
    if (isClosed()) { // a call that got in while the directory closed
      throw closing();
    }
    Held least = null;
    int free = -1;
    for (int i = 0; i < PER_TARGET; i++) {
      Held kept = clients.get(new Slot(target, i));
      if (kept == null) {
        free = free < 0 ? i : free;
      } else if (least == null || kept.calls < least.calls) {
        least = kept;
      }
    }
    Held held = least;
    if (least == null) {
      boolean room = clients.size() < maxClients || closeLeastRecentlyUsedIdle();
      held = newClient(target, free, room);
    } else if (least.calls > 0 && free >= 0
        && (clients.size() < maxClients || closeLeastRecentlyUsedIdle())) {
      held = newClient(target, free, true);
    }
    held.calls++;
    return held;
  }

  /** On the owner: a new client for {@code target}, kept in its {@code index} place if {@code kept}. */
  private Held newClient(Target target, int index, boolean kept) {
    // On the event loop, whatever the default: a forwarded call is sent once, so the client must
    // see a target's restart (its connection closed) before the next call, not by losing it; a
    // caller-runs client reads a quiet connection only when a call is written. Nothing waits on
    // these calls' threads either.
    // Results over 8 KiB are refused as their record's header arrives, not buffered first.
    Held held = new Held(RpcClient.builder().address(target.address()).transport(target.transport())
        .ioStrategy(IoStrategy.EVENT_LOOP).timeout(timeout).maxRecordBytes(RemoteCalls.MAX_REPLY_BYTES)
        .maxDatagramBytes(RemoteCalls.MAX_REPLY_BYTES).build(), kept);
    if (kept) {
      clients.put(new Slot(target, index), held);
    }
    return held;
  }

  /** On the owner: closes the least recently used client without calls; false if none is. */
  private boolean closeLeastRecentlyUsedIdle() {
    for (Iterator<Held> it = clients.values().iterator(); it.hasNext(); ) {
      Held held = it.next();
      if (held.calls == 0) {
        it.remove();
        held.client.close();
        return true;
      }
    }
    return false;
  }

  /** After a call: on the owner, or here if the owner is gone (then every client is closed). */
  private void giveBack(Held held) {
    try {
      owner().execute(() -> {
        held.lastUsed = clock.getAsLong();
        if (--held.calls == 0 && !held.kept) {
          held.client.close();
        }
      });
    } catch (RejectedExecutionException e) {
      held.client.close(); // closing twice does nothing
    }
  }

  private void sweep() {
    long now = clock.getAsLong();
    for (Iterator<Held> it = clients.values().iterator(); it.hasNext(); ) {
      Held held = it.next();
      if (held.calls == 0 && now - held.lastUsed >= idleNanos) {
        it.remove();
        held.client.close();
      }
    }
  }

  private static RpcException closing() {
    return new RpcException(RpcStatus.CANCELLED, "the directory is closing");
  }
}
