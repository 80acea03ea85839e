package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.onyxrpc.directory.AnsweringDirectory;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.remote.DirectoryClient;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.transport.Transport;

/**
 * A caller-runs client runs a call's expiry, and the callbacks of its future, on the shared
 * timer's thread. When such a callback closed the process's last client, the timer's thread was
 * asked to stop itself, which Netty refuses: the close threw IllegalStateException in the
 * callback ("HashedWheelTimer.stop() cannot be called from TimerTask"), and whatever the callback
 * was to do after it never happened. A {@code DirectoryClient} retires an instance's client so
 * when a call there times out: its async call's future was never completed (found by attack47).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class CloseFromAnExpiryTest {
  private static final CallOptions SHORT = CallOptions.DEFAULT.withSemantics(CallSemantics.AT_LEAST_ONCE)
      .withDeadline(Duration.ofMillis(300));

  @Test
  void aClientClosedInTheCallbackOfItsExpiredCallCloses() throws Exception {
    try (DatagramChannel silent = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      RpcClient client = RpcClient.builder().address((InetSocketAddress) silent.getLocalAddress())
          .transport(Transport.UDP).ioStrategy(IoStrategy.CALLER_RUNS).build();
      CompletableFuture<Throwable> closed = new CompletableFuture<>();
      client.callAsync(TestService.ADD, new TestService.Pair(2, 3), SHORT).whenComplete((sum, failure) -> {
        try {
          client.close();
          closed.complete(null);
        } catch (RuntimeException e) {
          closed.complete(e);
        }
      });
      assertNull(closed.get(1, TimeUnit.MINUTES), "close() in the expiry's callback threw");
    }
  }

  @Test
  void aDirectoryClientsAsyncCallEndsAtItsDeadline() throws Exception {
    try (DatagramChannel silent = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      int port = ((InetSocketAddress) silent.getLocalAddress()).getPort();
      ServiceInstance instance = new ServiceInstance("org.onyxrpc.test.Expiry", TestService.PROGRAM, 1, "udp",
          "127.0.0.1." + (port >> 8) + "." + (port & 0xff), "0");
      try (DirectoryClient c = DirectoryClient.builder().directory(new AnsweringDirectory(List.of(instance)))
          .service("org.onyxrpc.test.Expiry").transport(Transport.UDP)
          .clientOptions(b -> b.ioStrategy(IoStrategy.CALLER_RUNS)).build()) {
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
            () -> c.callAsync(TestService.ADD, new TestService.Pair(2, 3), SHORT).get(1, TimeUnit.MINUTES));
        assertTrue(e.getCause() instanceof RpcException, String.valueOf(e.getCause()));
        assertEquals(RpcStatus.TIMEOUT, ((RpcException) e.getCause()).status(), e.getCause().getMessage());
      }
    }
  }
}
