package org.onyxrpc.directory.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.onyxrpc.client.CallOptions;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.Await;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * A directory that does not answer, while a client knows no instance yet: the callers that
 * arrive during one look-up share its failure. Before, they looked up in turn, each after the
 * last had failed, so with a directory that let each look-up run to its timeout the n-th caller
 * waited n timeouts, far past its own deadline. An asynchronous call does not wait for the
 * look-up at all.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class StalledDirectoryTest {
  private static final Procedure<Void, Integer> WHO =
      new Procedure<>(0x20000889, 1, 1, "Who.who", XdrCodecs.VOID, XdrCodecs.INT)
          .withSemantics(CallSemantics.AT_LEAST_ONCE);

  /** Look-ups wait until released, then fail as a directory that never answered does. */
  private static class Stalled implements Directory {
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger lookups = new AtomicInteger();
    final AtomicInteger lookingUp = new AtomicInteger();

    @Override
    public Duration register(ServiceInstance instance, Duration lease) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean unregister(ServiceInstance instance) {
      return false;
    }

    @Override
    public List<ServiceInstance> lookup(String name) {
      lookups.incrementAndGet();
      lookingUp.incrementAndGet();
      try {
        release.await(20, TimeUnit.SECONDS); // bounded: a test that waits here has failed already
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        lookingUp.decrementAndGet();
      }
      throw new RpcException(RpcStatus.UNAVAILABLE, "the directory did not answer");
    }

    @Override
    public List<ServiceInstance> lookup(int program, int version) {
      return lookup("");
    }
  }

  @Test
  void callersDuringOneLookUpShareItsFailure() throws Exception {
    Stalled stalled = new Stalled();
    List<Thread> callers = new CopyOnWriteArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "caller");
      callers.add(t);
      return t;
    });
    try (DirectoryClient c = DirectoryClient.builder().directory(stalled).service("org.onyxrpc.test.Who").build()) {
      List<Future<RpcStatus>> calls = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        calls.add(pool.submit(() -> {
          try {
            c.call(WHO, null);
            return RpcStatus.SUCCESS;
          } catch (RpcException e) {
            return e.status();
          }
        }));
      }
      // One look-up under way, and every caller parked: three of them behind it.
      Await.until(() -> stalled.lookups.get() == 1 && callers.size() == 4
          && callers.stream().allMatch(t -> t.getState() == Thread.State.WAITING
              || t.getState() == Thread.State.TIMED_WAITING));
      stalled.release.countDown();
      for (Future<RpcStatus> call : calls) {
        assertEquals(RpcStatus.UNAVAILABLE, call.get(1, TimeUnit.MINUTES));
      }
      assertEquals(1, stalled.lookups.get(), "look-ups made");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void anAsyncCallReturnsAtOnceAndFailsWithTheLookUp() throws Exception {
    Stalled stalled = new Stalled();
    try (DirectoryClient c = DirectoryClient.builder().directory(stalled).service("org.onyxrpc.test.Who").build()) {
      // Before, callAsync made the look-up on the caller's thread, perhaps an event loop's.
      CompletableFuture<Integer> call = c.callAsync(WHO, null);
      assertFalse(call.isDone(), "callAsync waited for the directory");
      Await.until(() -> stalled.lookups.get() == 1);
      stalled.release.countDown();
      ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(1, TimeUnit.MINUTES));
      assertEquals(RpcStatus.UNAVAILABLE, ((RpcException) e.getCause()).status());
    }
  }

  /**
   * A call's deadline is the whole time it may take, the look-up it waits for included: a call
   * given 200 ms ends UNAVAILABLE (nothing was sent) while the directory still has not answered.
   * Before, a waiting call joined the look-up without a bound and an asynchronous call's future
   * waited for it too, so a directory that never answered held every call for its own timeout
   * (5 s per request of a RemoteDirectory), whatever the call's deadline.
   */
  @Test
  void aCallEndsAtItsDeadlineWhileTheLookUpHangs() throws Exception {
    Stalled stalled = new Stalled();
    CallOptions quick = CallOptions.DEFAULT.withDeadline(Duration.ofMillis(200));
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (DirectoryClient c = DirectoryClient.builder().directory(stalled).service("org.onyxrpc.test.Who").build()) {
      Future<RpcException> waiting =
          pool.submit(() -> assertThrows(RpcException.class, () -> c.call(WHO, null, quick)));
      RpcException e = waiting.get(1, TimeUnit.MINUTES);
      assertEquals(1, stalled.lookingUp.get(), "the call waited for the look-up to end: " + e.getMessage());
      assertEquals(RpcStatus.UNAVAILABLE, e.status(), e.getMessage());
      assertTrue(e.getMessage().contains("within the call's deadline of 200 ms"), e.getMessage());

      ExecutionException async = assertThrows(ExecutionException.class,
          () -> c.callAsync(WHO, null, quick).get(1, TimeUnit.MINUTES));
      assertEquals(1, stalled.lookingUp.get(), "the future waited for the look-up to end: " + async.getCause());
      assertEquals(RpcStatus.UNAVAILABLE, ((RpcException) async.getCause()).status(), async.getCause().getMessage());
      stalled.release.countDown();
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * The look-up that a failure makes due (the instance refused the connection and was dropped)
   * is waited for at most the call's deadline too, before the call fails over or ends. Before, a
   * waiting call joined it without a bound and an asynchronous one waited for it to end.
   */
  @Test
  void aFailedOverCallEndsAtItsDeadlineWhileTheNextLookUpHangs() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    ServiceInstance refusing = new ServiceInstance("org.onyxrpc.test.Who", 0x20000889, 1, "tcp",
        "127.0.0.1." + (closedPort >> 8) + "." + (closedPort & 0xff), "0");
    Stalled stalled = new Stalled() {
      @Override
      public List<ServiceInstance> lookup(String name) {
        return lookups.get() == 0 && lookups.incrementAndGet() == 1 ? List.of(refusing) : super.lookup(name);
      }
    };
    CallOptions quick = CallOptions.DEFAULT.withDeadline(Duration.ofMillis(200));
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (DirectoryClient c = DirectoryClient.builder().directory(stalled).service("org.onyxrpc.test.Who").build()) {
      Future<RpcException> waiting =
          pool.submit(() -> assertThrows(RpcException.class, () -> c.call(WHO, null, quick)));
      RpcException e = waiting.get(1, TimeUnit.MINUTES);
      // The look-up runs until released: under way after the call ended, the call did not wait
      // for it. Started by then, or (a first attempt that took the whole deadline, on a busy
      // machine) in the background as the call gave up.
      Await.until(() -> stalled.lookingUp.get() == 1);
      assertEquals(1, stalled.lookingUp.get(), "the call waited for the look-up to end: " + e.getMessage());
      // The attempt's own failure: refused, or (a busy machine's first connect) still connecting.
      Set<RpcStatus> notSent = Set.of(RpcStatus.UNAVAILABLE, RpcStatus.TIMEOUT);
      assertTrue(notSent.contains(e.status()), e.getMessage());

      ExecutionException async = assertThrows(ExecutionException.class,
          () -> c.callAsync(WHO, null, quick).get(1, TimeUnit.MINUTES));
      Await.until(() -> stalled.lookingUp.get() == 1); // as above
      assertEquals(1, stalled.lookingUp.get(), "the future waited for the look-up to end: " + async.getCause());
      assertTrue(notSent.contains(((RpcException) async.getCause()).status()), async.getCause().getMessage());
      stalled.release.countDown();
    } finally {
      pool.shutdownNow();
    }
  }
}
