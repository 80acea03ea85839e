package org.onyxrpc.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onyxrpc.interop.BulkProgram.FILL;
import static org.onyxrpc.interop.BulkProgram.PROGRAM;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.RpcServerBuilder;
import org.onyxrpc.server.ServerInternals;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.testing.Await;
import org.onyxrpc.transport.Transport;

/**
 * A libtirpc client whose reply is still on its way when the server closes idle connections: a
 * 10 MB result of bulk.x's FILL that the C client (stopped with SIGSTOP, as a process paged out
 * or descheduled is) has not taken. Its call is answered, not finished: the connection must not
 * count as idle, neither for {@code idleTimeout} nor when a newcomer at {@code maxConnections}
 * needs a place, or the reply of a call that ran is cut off and libtirpc reports RPC_CANTRECV.
 * Once the client runs again it reads the whole reply. Such connections still make room at
 * {@code maxConnections} when none is idle, so that peers that never read cannot hold every place.
 */
class RepliesInFlightAtIdleCloseTest {
  /**
   * Far beyond what the socket buffers hold: the server's 4 MB at most, and {@link
   * StoppedClients#FIXED_RCVBUF}.
   */
  private static final int SIZE = 10_000_000;

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
   * a newcomer takes the place of one of these, which have no call to answer, not the stalled one.
   */
  @Test
  void aNewcomerAtMaxConnectionsDoesNotTakeThePlaceOfAReplyInFlight() throws Exception {
    assertEquals("FILL(" + SIZE + ") -> " + SIZE + " bytes, intact\n",
        withStalledClient(b -> b.maxConnections(4), server -> {
          try (Socket first = connect(server); Socket second = connect(server)) {
            // Answered, so set up: the server counts a connection before it can choose it.
            ping(first);
            ping(second);
            // Their replies can reach them before their loops have counted the calls done and
            // the replies written: until then each holds a call or an untaken reply, and ranks
            // with (or after) the stalled connection, quiet longest, which would go in their place.
            Await.until(() -> ServerInternals.evictable(server) == 2);
            try (Socket newcomer = connect(server)) {
              // Which of the two is quiet longest depends on the event loops that took them.
              Await.until(() -> closed(first) || closed(second));
            }
          }
        }));
  }

  /**
   * maxConnections 4 (three places for one address), each taken by a stopped client whose reply
   * waits: a newcomer takes the place of the one quiet longest, as it would of an idle one,
   * rather than be refused; peers that ask for replies and never read them hold no place for
   * good. The newcomer is answered, and of the stopped clients two read their replies whole.
   */
  @Test
  void stalledReadersStillMakeRoomWhenNoConnectionIsIdle() throws Exception {
    Semaphore called = new Semaphore(0);
    Semaphore stopped = new Semaphore(0);
    try (RpcServer server = server(RpcServer.builder().maxConnections(4), called, stopped)) {
      List<Process> clients = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          clients.add(c.startClient("stalled-" + i, "tcp", server.port(), List.of(Integer.toString(SIZE)),
            StoppedClients.FIXED_RCVBUF));
          assertTrue(called.tryAcquire(60, TimeUnit.SECONDS), "FILL was not called");
          StoppedClients.stop(clients.get(i));
          stopped.release();
        }
        Await.until(() -> ServerInternals.callsInFlight(server) == 0);
        assertEquals("FILL(100) -> 100 bytes, intact\n",
            c.runClient(Transport.TCP, server.port(), List.of("100")));
      } finally {
        for (Process client : clients) {
          StoppedClients.resume(client);
        }
      }
      int intact = 0;
      for (int i = 0; i < clients.size(); i++) {
        String transcript = c.finishClient(clients.get(i), "stalled-" + i);
        intact += transcript.equals("FILL(" + SIZE + ") -> " + SIZE + " bytes, intact\n") ? 1 : 0;
      }
      assertEquals(2, intact, "stopped clients that read their replies whole");
    }
  }

  /** What the C client printed for FILL(SIZE), stopped while {@code meanwhile} ran. */
  private static String withStalledClient(UnaryOperator<RpcServerBuilder> options, Meanwhile meanwhile)
      throws Exception {
    Semaphore called = new Semaphore(0);
    Semaphore stopped = new Semaphore(0);
    try (RpcServer server = server(options.apply(RpcServer.builder()), called, stopped)) {
      Process client = c.startClient("stalled", "tcp", server.port(), List.of(Integer.toString(SIZE)),
          StoppedClients.FIXED_RCVBUF);
      try {
        assertTrue(called.tryAcquire(60, TimeUnit.SECONDS), "FILL was not called");
        StoppedClients.stop(client);
        stopped.release();
        Await.until(() -> ServerInternals.callsInFlight(server) == 0
            && ServerInternals.pendingWriteBytes(server) > 0);
        meanwhile.run(server);
      } finally {
        StoppedClients.resume(client);
      }
      return c.finishClient(client, "stalled");
    }
  }

  /**
   * FILL over TCP; a call of SIZE bytes tells {@code called} and waits for a permit of {@code
   * stopped} (its client stopped) before its result is made.
   */
  private static RpcServer server(RpcServerBuilder builder, Semaphore called, Semaphore stopped)
      throws IOException {
    return builder
        .bind(InetAddress.getLoopbackAddress(), 0)
        .transports(Transport.TCP)
        .addService(ServiceDefinition.builder(PROGRAM, 1)
            .procedure(FILL, (size, ctx) -> {
              if (size == SIZE) {
                called.release();
                acquire(stopped);
              }
              byte[] result = new byte[size];
              for (int i = 0; i < size; i++) {
                result[i] = (byte) (i % 251); // as bulk_client checks it
              }
              return result;
            })
            .build())
        .build()
        .start();
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

  /** Calls the NULL procedure on {@code socket} and reads the reply (24 bytes after its mark). */
  private static void ping(Socket socket) throws IOException {
    ByteBuffer call = ByteBuffer.allocate(44).putInt(0x8000_0000 | 40).putInt(26).putInt(0)
        .putInt(2).putInt(PROGRAM).putInt(1).putInt(0).putInt(0).putInt(0).putInt(0).putInt(0);
    socket.getOutputStream().write(call.array());
    new DataInputStream(socket.getInputStream()).readFully(new byte[28]);
  }

  /** Whether the server closed {@code socket}, which receives nothing more. */
  private static boolean closed(Socket socket) {
    try {
      socket.setSoTimeout(1);
      return socket.getInputStream().read() == -1;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void acquire(Semaphore permits) {
    try {
      permits.tryAcquire(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
