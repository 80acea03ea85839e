package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.TestService;

/**
 * A server that accepts and then reads nothing. Before: with EVENT_LOOP every call's bytes were
 * queued without bound (80 × 4 MiB calls: 248 MB of direct memory, then OutOfMemoryError); with
 * CALLER_RUNS, callAsync blocked its caller until the client-wide timeout.
 */
class WriteStallTest {
  private static final int CALLS = 40;
  private static final int BYTES = 1 << 20;
  private ServerSocket deaf;
  private final List<Socket> accepted = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    deaf = new ServerSocket();
    deaf.setReceiveBufferSize(4096);
    deaf.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread t = new Thread(() -> {
      try {
        while (true) {
          accepted.add(deaf.accept()); // and never read
        }
      } catch (IOException e) {
        // closed
      }
    }, "deaf-server");
    t.setDaemon(true);
    t.start();
  }

  @AfterEach
  void stop() throws IOException {
    deaf.close();
    for (Socket s : accepted) {
      s.close();
    }
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES) // before, a caller-runs callAsync hung here
  void callsBeyondTheQueuedBytesLimitFailWithoutBlockingTheirCaller() throws Exception {
    CallOptions maybe = CallOptions.DEFAULT.withSemantics(CallSemantics.MAYBE)
        .withDeadline(Duration.ofMinutes(10));
    try (RpcClient client = RpcClient.builder().address("127.0.0.1", deaf.getLocalPort())
        .maxQueuedBytes(4L * BYTES).build()) {
      client.sendAndWait(TestService.LOG, "connected", CallOptions.DEFAULT); // the connection is made
      List<CompletableFuture<byte[]>> calls = new ArrayList<>();
      for (int i = 0; i < CALLS; i++) {
        calls.add(client.callAsync(TestService.BLOB, new byte[BYTES], maybe));
      }
      // The owner admits calls in the order given: once a later one has ended (refused, or at
      // its deadline), so have they been admitted.
      client.callAsync(TestService.BLOB, new byte[BYTES], maybe.withDeadline(Duration.ofSeconds(1)))
          .handle((ok, failure) -> null).get(1, TimeUnit.MINUTES);
      int refused = 0;
      int outstanding = 0;
      for (CompletableFuture<byte[]> call : calls) {
        if (!call.isDone()) {
          outstanding++;
          continue;
        }
        RpcException e = (RpcException) assertThrowsCompletion(call);
        assertEquals(RpcStatus.RESOURCE_EXHAUSTED, e.status(), e.getMessage());
        refused++;
      }
      // At most the 4 MiB limit queued, and what the kernel's socket buffers took (which Linux
      // grows up to 4 MiB): never all 40.
      assertTrue(outstanding >= 1 && outstanding <= 8, outstanding + " calls queued or written");
      assertEquals(CALLS, refused + outstanding);
    }
  }

  private static Throwable assertThrowsCompletion(CompletableFuture<?> call) {
    try {
      call.join();
    } catch (CompletionException e) {
      return e.getCause();
    }
    throw new AssertionError("completed normally");
  }
}
