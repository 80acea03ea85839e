package org.onyxrpc.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onyxrpc.interop.BulkProgram.FILL;
import static org.onyxrpc.interop.BulkProgram.PROGRAM;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServerInternals;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.server.TcpIo;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.BoundedClose;
import org.onyxrpc.transport.Transport;

/**
 * A libtirpc client in the middle of its loop of calls on one CLIENT when {@code RpcServer.close()}
 * begins (bulk_client from src/test/c/bulk: FILL of each size given, one after the other). The
 * call the server had read is answered whole, however long the client takes to read its reply;
 * the next call, written on the connection the server closes behind that reply, is not run, and
 * libtirpc reports it {@code RPC: Unable to receive}; libtirpc never reconnects a CLIENT, so the
 * program must make a new one (and finds the port closed, {@code RPC: Remote system error -
 * Connection refused}, until a server listens there again).
 */
class CClientAtServerCloseTest {
  /**
   * Far beyond what the socket buffers hold while the client is stopped (see {@link
   * StoppedClients#FIXED_RCVBUF}).
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
   * The C client calls FILL(10 MB) and is stopped (SIGSTOP, as a process descheduled or paged out
   * is) while the procedure runs; close() begins, then the procedure returns. The drain ends with
   * the call, but its reply is still mostly in the server's outbound buffer: before, the
   * connections were closed at once and that buffer thrown away, so the C client, once running
   * again, got part of the reply and {@code RPC: Unable to receive} for a call that ran. Now the
   * server closes a connection once its replies are written (within the shutdown timeout), and
   * the client reads the reply whole. Its next call, sent on the same connection during the
   * drain, is refused PROG_UNAVAIL ({@code RPC: Program unavailable}: it did not run), where it
   * was read and dropped and the client got {@code RPC: Unable to receive}. With a thread
   * per connection ({@link TcpIo#DEDICATED_THREAD}) the call, and so the drain, lasts until the
   * kernel has its reply: the client, resumed as soon as the reply is being written, takes it
   * before the drain's stall watch would close a peer that takes nothing of it (2 s).
   */
  @Test
  void theCallReadBeforeCloseIsAnsweredWholeAndTheNextOneIsNotRun() throws Exception {
    Semaphore called = new Semaphore(0);
    Semaphore release = new Semaphore(0);
    RpcServer server = server(called, release);
    CompletableFuture<Boolean> closed = null;
    Process client = c.startClient("mid-loop", "tcp", server.port(),
        List.of(Integer.toString(SIZE), "100"), StoppedClients.FIXED_RCVBUF);
    try {
      assertTrue(called.tryAcquire(60, TimeUnit.SECONDS), "FILL was not called");
      StoppedClients.stop(client);
      closed = CompletableFuture.supplyAsync(() -> server.shutdown(Duration.ofSeconds(60)));
      Await.until(() -> ServerInternals.draining(server));
      release.release();
      awaitReplyHeld(server);
    } finally {
      StoppedClients.resume(client);
      release.release();
    }
    String transcript = c.finishClient(client, "mid-loop");
    assertEquals("FILL(" + SIZE + ") -> " + SIZE + " bytes, intact\n"
        + "FILL(100) -> RPC: Program unavailable\n", transcript);
    assertTrue(closed.get(60, TimeUnit.SECONDS), "every call finished within the timeout");
    assertTrue(server.awaitTermination(Duration.ofSeconds(30)));
    // A new CLIENT, as the README says to make, finds nothing listening there any more.
    Process again = c.startClient("after-close", "tcp", server.port(), List.of("100"));
    assertTrue(again.waitFor(60, TimeUnit.SECONDS));
    assertEquals(2, again.exitValue());
    assertEquals("bulk_client: RPC: Remote system error - Connection refused\n",
        Files.readString(work.resolve("client-after-close.stderr")));
  }

  /**
   * A C client that stays stopped while the server closes takes nothing of its reply: the server
   * waits for it no longer than a stalled reader is given (2 s, not the 60 s shutdown timeout),
   * then lets the reply go, and the client, once running again, reports the call that ran {@code
   * RPC: Unable to receive}, as it would a server that crashed after running it. With a thread
   * per connection the blocking write of the reply is what the drain's stall watch ends, and the
   * call with it.
   */
  @Test
  void aClientThatTakesNothingOfItsReplyHoldsTheCloseOnlyBriefly() throws Exception {
    Semaphore called = new Semaphore(0);
    Semaphore release = new Semaphore(0);
    RpcServer server = server(called, release);
    Process client = c.startClient("stalled", "tcp", server.port(),
        List.of(Integer.toString(SIZE), "100"), StoppedClients.FIXED_RCVBUF);
    try {
      assertTrue(called.tryAcquire(60, TimeUnit.SECONDS), "FILL was not called");
      StoppedClients.stop(client);
      release.release();
      awaitReplyHeld(server);
      BoundedClose.closeWithin(server, Duration.ofSeconds(30));
    } finally {
      StoppedClients.resume(client);
      release.release();
    }
    assertEquals("FILL(" + SIZE + ") -> RPC: Unable to receive\n"
        + "FILL(100) -> RPC: Unable to receive\n", c.finishClient(client, "stalled"));
  }

  /**
   * Waits until the server holds the reply of FILL(SIZE) for the stopped client, which takes
   * none of it, as far as the server's mode takes a reply: an event loop counts the call answered
   * once its reply is queued on the connection (a drain may then end with it), so the wait is for
   * no call in flight; a thread per connection ({@link TcpIo#DEDICATED_THREAD}) writes the reply
   * in a blocking write and counts the call answered only once the kernel has it all, which a
   * stopped client never lets happen, so the wait is for the reply being written (charged to the
   * unread-replies budget, as a reply that large is while written), the call still in flight.
   */
  private static void awaitReplyHeld(RpcServer server) {
    if (ServerInternals.defaultTcpIo() == TcpIo.DEDICATED_THREAD) {
      Await.until(() -> ServerInternals.unreadReplyBytes(server) >= SIZE);
      assertEquals(1, ServerInternals.callsInFlight(server), "answered before the kernel had its reply");
    } else {
      Await.until(() -> ServerInternals.callsInFlight(server) == 0);
    }
  }

  /**
   * FILL over TCP, with a shutdown timeout of a minute; a call of SIZE bytes tells {@code called}
   * and waits for a permit of {@code release} before its result is made.
   */
  private static RpcServer server(Semaphore called, Semaphore release) throws IOException {
    return RpcServer.builder()
        .bind(InetAddress.getLoopbackAddress(), 0)
        .transports(Transport.TCP)
        .shutdownTimeout(Duration.ofSeconds(60))
        .addService(ServiceDefinition.builder(PROGRAM, 1)
            .procedure(FILL, (size, ctx) -> {
              if (size == SIZE) {
                called.release();
                acquire(release);
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

  private static void acquire(Semaphore permits) {
    try {
      permits.tryAcquire(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
