package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.TestService;

/**
 * The NULL ping an Onyx client sends before its first at-most-once call is its own: when a silent
 * server never answers it, the caller's call times out, counted and logged once, and the pings
 * are neither counted as timeouts nor logged as calls of the user's that got no reply.
 */
@Timeout(60)
class UnansweredProbeTest {
  @ParameterizedTest
  @EnumSource(IoStrategy.class)
  void onlyTheCallersCallIsCountedAsTimedOut(IoStrategy io) throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread reader = new Thread(() -> {
        try (Socket s = silent.accept(); InputStream in = s.getInputStream()) {
          in.transferTo(OutputStream.nullOutputStream()); // reads every byte, answers none
        } catch (Exception e) {
          // the test is over
        }
      }, "silent-server");
      reader.setDaemon(true);
      reader.start();
      try (RpcClient client = RpcClient.builder().address("127.0.0.1", silent.getLocalPort())
          .ioStrategy(io).timeout(Duration.ofMillis(600)).attemptTimeout(Duration.ofMillis(100))
          .build()) {
        CompletableFuture<Integer> call = client.callAsync(TestService.ADD, new TestService.Pair(1, 2));
        ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(1, TimeUnit.MINUTES));
        assertEquals(RpcStatus.TIMEOUT, ((RpcException) e.getCause()).status(), e.getMessage());
        assertEquals(1, client.stats().timeouts(), "the caller's call; not the client's own pings");
      }
    }
  }
}
