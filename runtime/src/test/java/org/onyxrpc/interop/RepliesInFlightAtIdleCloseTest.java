package org.onyxrpc.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.RpcServerBuilder;
import org.onyxrpc.server.ServerInternals;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.testing.Await;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * A libtirpc client whose reply is still on its way when the server closes idle connections: a
 * 20 MB result of bulk.x's FILL that the C client (stopped with SIGSTOP, as a process paged out
 * or descheduled is) has not taken. Its call is answered, not finished: the connection must not
 * count as idle, neither for {@code idleTimeout} nor when a newcomer at {@code maxConnections}
 * needs a place, or the reply of a call that ran is cut off and libtirpc reports RPC_CANTRECV.
 * Once the client runs again it reads the whole reply.
 */
class RepliesInFlightAtIdleCloseTest {
  private static final int PROGRAM = 0x20000778;
  private static final Procedure<Integer, byte[]> FILL =
      new Procedure<>(PROGRAM, 1, 1, "Bulk.FILL", XdrCodecs.UNSIGNED_INT, XdrCodecs.OPAQUE);
  /** Far beyond what loopback's socket buffers hold. */
  private static final int SIZE = 20_000_000;

  @TempDir static Path work;
  private static NativeInterop c;

  @BeforeAll
  static void build() throws Exception {
    c = NativeInterop.buildBulk(work);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (c != null) {
      c.stopProcesses();
    }
  }

  /**
   * idleTimeout 300 ms: two idle connections opened one after the other after the reply was made
   * are closed for idleness, so the stalled connection's own checks have passed its deadline.
   */
  @Test
  void aReplyTheClientHasNotTakenOutlastsTheIdleTimeout() throws Exception {
    assertEquals("FILL(" + SIZE + ") -> " + SIZE + " bytes, intact\n",
        withStalledClient(b -> b.idleTimeout(Duration.ofMillis(300)), server -> {
          for (int i = 0; i < 2; i++) {
            try (Socket idle = connect(server)) {
              assertEquals(-1, idle.getInputStream().read(), "closed for idleness");
            }
          }
        }));
  }

  /**
   * maxConnections 4 (three places for one address): the stalled connection, then two idle ones;
   * a newcomer takes the place of the idlest of these with no call to answer, not the stalled one.
   */
  @Test
  void aNewcomerAtMaxConnectionsDoesNotTakeThePlaceOfAReplyInFlight() throws Exception {
    assertEquals("FILL(" + SIZE + ") -> " + SIZE + " bytes, intact\n",
        withStalledClient(b -> b.maxConnections(4), server -> {
          try (Socket first = connect(server); Socket second = connect(server)) {
            Await.until(() -> ServerInternals.connections(server) == 3);
            try (Socket newcomer = connect(server)) {
              Await.until(() -> ServerInternals.connections(server) == 3); // one made room
              first.setSoTimeout(10_000);
              assertEquals(-1, first.getInputStream().read(), "the idlest idle connection made room");
            }
          }
        }));
  }

  /** What the C client printed for FILL(SIZE), stopped while {@code meanwhile} ran. */
  private static String withStalledClient(UnaryOperator<RpcServerBuilder> options, Meanwhile meanwhile)
      throws Exception {
    CountDownLatch called = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    RpcServerBuilder builder = RpcServer.builder()
        .bind(java.net.InetAddress.getLoopbackAddress(), 0)
        .transports(Transport.TCP)
        .addService(ServiceDefinition.builder(PROGRAM, 1)
            .procedure(FILL, (size, ctx) -> {
              called.countDown();
              await(stopped);
              byte[] result = new byte[size];
              for (int i = 0; i < size; i++) {
                result[i] = (byte) (i % 251); // as bulk_client checks it
              }
              return result;
            })
            .build());
    try (RpcServer server = options.apply(builder).build().start()) {
      Process client = c.startClient("tcp", server.port(), List.of(Integer.toString(SIZE)));
      try {
        assertTrue(called.await(60, TimeUnit.SECONDS), "FILL was not called");
        signal(client, "STOP");
        stopped.countDown();
        Await.until(() -> ServerInternals.callsInFlight(server) == 0
            && ServerInternals.pendingWriteBytes(server) > 0);
        meanwhile.run(server);
      } finally {
        signal(client, "CONT");
      }
      return c.finishClient(client, "tcp");
    }
  }

  @FunctionalInterface
  private interface Meanwhile {
    void run(RpcServer server) throws Exception;
  }

  private static Socket connect(RpcServer server) throws IOException {
    Socket socket = new Socket();
    socket.setSoTimeout(60_000);
    socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
    return socket;
  }

  private static void signal(Process process, String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
    assertEquals(0, kill.waitFor(), "kill -" + signal);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
