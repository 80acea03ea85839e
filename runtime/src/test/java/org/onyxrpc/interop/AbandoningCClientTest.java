package org.onyxrpc.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.testing.Await;
import org.onyxrpc.transport.Transport;

/**
 * A C client whose clnt_call times out before the Onyx server has answered, and which then
 * destroys its client (closing its socket): libtirpc reports RPC_TIMEDOUT, the server's reply
 * goes to a peer that is gone, and the server serves on, its buffered-bytes budget whole.
 */
class AbandoningCClientTest {
  /** Larger than half the server's buffered-bytes budget: two leaked replies would exceed it. */
  private static final int BIG_REPLY = 700 * 1024;

  @TempDir static Path work;
  private static NativeInterop c;

  /** Permits, one per abandoned GREET, that let its handler answer. */
  private final Semaphore release = new Semaphore(0);
  /** Abandoned GREETs whose handler has returned. */
  private final AtomicInteger answered = new AtomicInteger();

  @BeforeAll
  static void build() throws Exception {
    c = NativeInterop.build(work);
  }

  @AfterEach
  void stopClients() throws InterruptedException {
    c.stopProcesses();
  }

  @AfterAll
  static void stopAll() throws InterruptedException {
    if (c != null) {
      c.stopProcesses();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tcp", "udp"})
  void serverServesOnAfterRepliesToClientsThatLeft(String netid) throws Exception {
    Transport transport = netid.equals("tcp") ? Transport.TCP : Transport.UDP;
    int reply = transport == Transport.TCP ? BIG_REPLY : 1000;
    try (RpcServer server = RpcServer.builder()
        .bind(InetAddress.getLoopbackAddress(), 0)
        .transports(transport)
        .maxBufferedBytes(1024 * 1024)
        .addService(service(reply))
        .build()
        .start()) {
      for (int i = 0; i < 3; i++) {
        assertEquals("GREET(\"abandon\") with a 200 ms timeout -> RPC: Timed out\n",
            c.runClient(netid, "127.0.0.1", server.port(), "abandon"), "abandon " + i);
        // The client has exited, its socket closed: only now may the handler answer it.
        release.release();
        int done = i + 1;
        Await.until(() -> answered.get() == done);
      }
      assertEquals(NativeInterop.expected("expected-calls.txt"),
          c.runClient(netid, "127.0.0.1", server.port(), "calls"));
    }
  }

  private ServiceDefinition service(int replyBytes) {
    return InteropService.definition((who, ctx) -> {
      if (!who.equals("abandon")) {
        return InteropService.greet(who);
      }
      if (!release.tryAcquire(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never released");
      }
      try {
        return "x".repeat(replyBytes);
      } finally {
        answered.incrementAndGet();
      }
    });
  }
}
