package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.remote.DirectoryClient;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * A server shutting down refuses every call that reaches it after its drain began PROG_UNAVAIL,
 * where it read and dropped it, then closed the connection behind its other replies: the call's
 * client, told nothing, ended an at-most-once call OUTCOME_UNKNOWN (a rolling restart behind a
 * {@link DirectoryClient} lost one call in 33,379 so). Refused, the call did not run, and a
 * {@code DirectoryClient} sends it to another instance. Both ways of serving TCP, and UDP.
 */
class DrainRefusesCallsTest {
  private static final int PROGRAM = 0x2000088a;
  private static final String NAME = "org.onyxrpc.test.Drained";
  /** Held until the test releases it, so that the server's drain has a call to wait for. */
  private static final Procedure<Void, Integer> HELD =
      new Procedure<>(PROGRAM, 1, 1, "Drained.held", XdrCodecs.VOID, XdrCodecs.INT);
  /** Counted, at most once (the default). */
  private static final Procedure<Void, Integer> WORK =
      new Procedure<>(PROGRAM, 1, 2, "Drained.work", XdrCodecs.VOID, XdrCodecs.INT);

  /** One server: what it ran, and the held call it waits on. */
  private static final class Instance {
    final AtomicInteger worked = new AtomicInteger();
    final CountDownLatch held = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final RpcServer server;

    Instance(TcpIo io, LocalDirectory directory) throws Exception {
      RpcServerBuilder b = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
          .tcpIo(io).shutdownTimeout(Duration.ofMinutes(1))
          .serviceName(PROGRAM, NAME)
          .addService(ServiceDefinition.builder(PROGRAM, 1)
              .procedure(HELD, (v, ctx) -> {
                held.countDown();
                release.await();
                return 7;
              })
              .procedure(WORK, (v, ctx) -> worked.incrementAndGet())
              .build());
      if (directory != null) {
        b.directory(directory);
      }
      server = b.build().start();
    }

    /** Shuts the server down on a thread of its own; returns once its drain has begun. */
    Thread shutDownInBackground() {
      Thread t = new Thread(server::close, "shutdown");
      t.start();
      long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
      while (!server.draining()) { // the drain's own mark: the event, polled
        if (System.nanoTime() > end) {
          fail("the server never began to drain");
        }
        LockSupport.parkNanos(100_000);
      }
      return t;
    }
  }

  private static RpcException failure(CompletableFuture<?> f) throws Exception {
    try {
      f.get(1, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RpcException r) {
        return r;
      }
      throw e;
    }
    return null;
  }

  @ParameterizedTest
  @EnumSource(TcpIo.class)
  void aCallSentBehindAHeldOneAfterTheDrainBeganIsRefusedNotRun(TcpIo io) throws Exception {
    Instance x = new Instance(io, null);
    try (RpcClient client = RpcClient.builder().address("127.0.0.1", x.server.port())
        .timeout(Duration.ofMinutes(1)).build()) {
      CompletableFuture<Integer> held = client.callAsync(HELD, null);
      assertTrue(x.held.await(1, TimeUnit.MINUTES), "the held call reached the server");
      Thread shutdown = x.shutDownInBackground();
      CompletableFuture<Integer> behind = client.callAsync(WORK, null); // same connection
      x.release.countDown();
      RpcException refused = failure(behind);
      assertEquals(7, held.get(1, TimeUnit.MINUTES), "the call in flight is answered");
      shutdown.join();
      assertTrue(refused != null, "the call sent during the drain was answered");
      assertEquals(RpcStatus.PROG_UNAVAIL, refused.status(), refused.getMessage());
      assertEquals(0, x.worked.get(), "the refused call ran");
    } finally {
      x.release.countDown();
      x.server.close();
    }
  }

  @ParameterizedTest
  @EnumSource(TcpIo.class)
  void aDirectoryClientSendsCallsADrainingInstanceRefusedToTheOther(TcpIo io) throws Exception {
    LocalDirectory directory = new LocalDirectory(new InMemoryDirectoryStore());
    Instance a = new Instance(io, directory);
    Instance b = new Instance(io, directory);
    try (DirectoryClient client = DirectoryClient.builder().directory(directory).service(NAME)
        .clientOptions(o -> o.timeout(Duration.ofMinutes(1))).build()) {
      assertEquals(2, client.instances(PROGRAM, 1).size());
      CompletableFuture<Integer> held = client.callAsync(HELD, null);
      long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
      while (a.held.getCount() > 0 && b.held.getCount() > 0 && System.nanoTime() < end) {
        LockSupport.parkNanos(100_000);
      }
      Instance draining = a.held.getCount() == 0 ? a : b;
      Instance other = draining == a ? b : a;
      assertEquals(0, draining.held.getCount(), "the held call reached a server");
      Thread shutdown = draining.shutDownInBackground();
      // Round robin over the two instances listed: half of these go to the draining one first.
      List<CompletableFuture<Integer>> calls = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        calls.add(client.callAsync(WORK, null));
      }
      draining.release.countDown();
      List<String> failures = new ArrayList<>();
      int answered = 0;
      for (CompletableFuture<Integer> call : calls) {
        RpcException e = failure(call);
        if (e != null) {
          failures.add(e.getMessage());
        } else {
          answered++;
        }
      }
      assertEquals(7, held.get(1, TimeUnit.MINUTES));
      shutdown.join();
      assertEquals(List.of(), failures);
      assertEquals(8, answered);
      assertEquals(0, draining.worked.get(), "the draining instance ran a call");
      assertEquals(8, other.worked.get(), "each call ran once");
    } finally {
      a.release.countDown();
      b.release.countDown();
      a.server.close();
      b.server.close();
      directory.close();
    }
  }

  @ParameterizedTest
  @EnumSource(TcpIo.class)
  void aDatagramCallToADrainingServerIsRefusedNotRun(TcpIo io) throws Exception {
    Instance x = new Instance(io, null);
    try (RpcClient held = RpcClient.builder().address("127.0.0.1", x.server.port())
            .timeout(Duration.ofMinutes(1)).build();
        RpcClient udp = RpcClient.builder().address("127.0.0.1", x.server.port())
            .transport(Transport.UDP).timeout(Duration.ofMinutes(1)).build()) {
      CompletableFuture<Integer> inFlight = held.callAsync(HELD, null);
      assertTrue(x.held.await(1, TimeUnit.MINUTES), "the held call reached the server");
      Thread shutdown = x.shutDownInBackground();
      CompletableFuture<Integer> datagram = udp.callAsync(WORK, null);
      x.release.countDown();
      RpcException refused = failure(datagram);
      assertEquals(7, inFlight.get(1, TimeUnit.MINUTES));
      shutdown.join();
      assertTrue(refused != null, "the datagram call during the drain was answered");
      assertEquals(RpcStatus.PROG_UNAVAIL, refused.status(), refused.getMessage());
      assertEquals(0, x.worked.get(), "the refused call ran");
    } finally {
      x.release.countDown();
      x.server.close();
    }
  }
}
