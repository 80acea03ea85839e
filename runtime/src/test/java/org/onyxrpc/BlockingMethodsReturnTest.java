package org.onyxrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingSupplier;
import org.onyxrpc.client.IoStrategy;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.directory.remote.DirectoryClient;
import org.onyxrpc.directory.remote.RemoteDirectory;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * Every public method of the client and server API that waits returns, or throws, when its peer
 * is hung (a TCP socket nobody reads, a UDP port nobody answers) or its procedure never ends:
 * the probe api43 ran by reflection hung on one it did not name. The one wait without end is
 * {@link RpcServer#awaitTermination()}, which waits by design until the server is closed (its
 * Javadoc says so); it is shown returning once another thread closes the server. The bound
 * (a minute) catches a hang, not a slow machine: each wait here is bounded by a timeout of at most
 * a few seconds that the test sets.
 */
class BlockingMethodsReturnTest {
  private static final Duration HANG = Duration.ofMinutes(1);
  private static final int PROGRAM = 0x20000a47;
  private static final Procedure<Void, Void> PING = Procedure.nullPing(PROGRAM, 1);
  private static final Procedure<Void, Integer> ONE = new Procedure<>(PROGRAM, 1, 1, "Hung.one",
      XdrCodecs.VOID, XdrCodecs.INT, CallSemantics.AT_LEAST_ONCE);
  private static final Procedure<String, Void> NOTE = new Procedure<>(PROGRAM, 1, 2, "Hung.note",
      XdrCodecs.STRING, XdrCodecs.VOID, CallSemantics.MAYBE);
  private static final Procedure<Void, Integer> FOREVER = new Procedure<>(PROGRAM, 1, 3,
      "Hung.forever", XdrCodecs.VOID, XdrCodecs.INT, CallSemantics.MAYBE);

  private ServerSocket hungTcp; // listens: the kernel accepts, nobody reads
  private DatagramSocket hungUdp; // bound: nobody answers

  @BeforeEach
  void hangPeers() throws Exception {
    hungTcp = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    hungUdp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }

  @AfterEach
  void close() throws Exception {
    hungTcp.close();
    hungUdp.close();
  }

  private static <T> T returns(String what, ThrowingSupplier<T> wait) {
    return assertTimeoutPreemptively(HANG, wait, what + " did not return");
  }

  private static void times(String what, ThrowingSupplier<?> call) {
    RpcException e = returns(what, () -> assertThrows(RpcException.class, call::get));
    assertEquals(RpcStatus.TIMEOUT, e.status(), what + ": " + e.getMessage());
  }

  private static RpcClient hungClient(Transport transport, int port, IoStrategy io) {
    return RpcClient.builder().address("127.0.0.1", port).transport(transport).ioStrategy(io)
        .timeout(Duration.ofMillis(300)).attemptTimeout(Duration.ofMillis(100)).build();
  }

  @Test
  void aClientsWaitsEndAtTheirDeadlineWhenItsServerIsHung() {
    for (Transport transport : new Transport[] {Transport.TCP, Transport.UDP}) {
      int port = transport == Transport.TCP ? hungTcp.getLocalPort() : hungUdp.getLocalPort();
      for (IoStrategy io : IoStrategy.values()) {
        String how = transport + " " + io;
        RpcClient client = hungClient(transport, port, io);
        times(how + " call", () -> client.call(ONE, null));
        times(how + " ping", () -> {
          client.ping(PROGRAM, 1);
          return null;
        });
        times(how + " callAsync", () -> {
          try {
            return client.callAsync(ONE, null).get();
          } catch (ExecutionException e) {
            throw e.getCause();
          }
        });
        // A one-way call waits for its hand-off to the network, not for a reply.
        returns(how + " sendAndWait", () -> {
          client.sendAndWait(NOTE, "hello", org.onyxrpc.client.CallOptions.DEFAULT);
          return null;
        });
        CompletableFuture<Integer> outstanding = client.callAsync(ONE, null,
            org.onyxrpc.client.CallOptions.DEFAULT.withDeadline(Duration.ofMinutes(10)));
        returns(how + " close with a call outstanding", () -> {
          client.close();
          return null;
        });
        ExecutionException e = assertThrows(ExecutionException.class, outstanding::get);
        assertEquals(RpcStatus.CANCELLED, ((RpcException) e.getCause()).status(), how);
      }
    }
  }

  /** A callback of a client's own call that closes it runs on whichever thread ended the call. */
  @Test
  void aClientClosedFromItsOwnCallsCallbackCloses() throws Exception {
    try (RpcServer server = server(new CountDownLatch(0))) {
      for (IoStrategy io : IoStrategy.values()) {
        RpcClient client = RpcClient.builder().address("127.0.0.1", server.port()).ioStrategy(io)
            .build();
        CompletableFuture<Void> closed = client.callAsync(ONE, null).thenRun(client::close);
        returns(io + " close in a callback", () -> closed.get());
        assertTrue(client.toString().endsWith(", closed]"), client.toString());
      }
    }
  }

  private volatile CountDownLatch started = new CountDownLatch(1);

  private RpcServer server(CountDownLatch never) throws Exception {
    return RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .directory(Directory.none())
        .addService(ServiceDefinition.builder(PROGRAM, 1)
            .procedure(ONE, (v, ctx) -> 1)
            .procedure(NOTE, (s, ctx) -> null)
            .procedure(FOREVER, (v, ctx) -> {
              started.countDown();
              never.await();
              return 0;
            })
            .build())
        .build().start();
  }

  @Test
  void aServersWaitsEndWithACallThatNeverDoesAndAwaitTerminationAtItsClose() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    RpcServer server = server(never);
    started = new CountDownLatch(1);
    try (RpcClient client = RpcClient.builder().address("127.0.0.1", server.port())
        .timeout(Duration.ofMinutes(5)).build()) {
      CompletableFuture<Integer> running = client.callAsync(FOREVER, null);
      assertTrue(returns("the call to start", () -> started.await(5, TimeUnit.MINUTES)));
      assertFalse(returns("awaitTermination(timeout) of a running server",
          () -> server.awaitTermination(Duration.ofMillis(100))));
      CompletableFuture<Boolean> awaited = CompletableFuture.supplyAsync(() -> {
        try {
          server.awaitTermination(); // until the server is closed: by design, no bound of its own
          return true;
        } catch (InterruptedException e) {
          return false;
        }
      });
      returns("shutdown with a call that never ends",
          () -> server.shutdown(Duration.ofMillis(200)));
      assertTrue(returns("awaitTermination() once closed", () -> awaited.get()));
      assertTrue(returns("awaitTermination(timeout) once closed",
          () -> server.awaitTermination(Duration.ofMillis(1))));
    } finally {
      never.countDown();
      server.close();
    }
  }

  @Test
  void directoryLookUpsEndWhenTheDirectoryIsHung() throws Exception {
    for (int port : new int[] {hungTcp.getLocalPort(), hungUdp.getLocalPort()}) {
      RemoteDirectory hung = RemoteDirectory.builder().address("127.0.0.1", port)
          .timeout(Duration.ofMillis(300)).build();
      try (DirectoryClient client = DirectoryClient.builder().directory(hung)
          .program(PROGRAM, 1).clientOptions(b -> b.timeout(Duration.ofMillis(300))).build()) {
        RpcException e = returns("DirectoryClient.call",
            () -> assertThrows(RpcException.class, () -> client.call(ONE, null)));
        assertTrue(e.status() == RpcStatus.UNAVAILABLE || e.status() == RpcStatus.TIMEOUT,
            e.toString());
      }
      returns("RpcClientBuilder.build through a hung directory", () -> assertThrows(
          RuntimeException.class, () -> RpcClient.builder().directory(hung, PROGRAM, 1).build()));
      RpcServer server = returns("start registering with a hung directory",
          () -> RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0).directory(hung)
              .addService(ServiceDefinition.builder(PROGRAM, 1).procedure(ONE, (v, ctx) -> 1)
                  .build())
              .build().start());
      returns("close withdrawing from a hung directory", () -> {
        server.close();
        return null;
      });
      hung.close();
    }
  }
}
