package org.onyxrpc.directory.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.onyxrpc.client.CallOptions;
import org.onyxrpc.directory.AnsweringDirectory;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.TestService;

/**
 * An at-least-once call that went unanswered at one instance (it may have run there) is made
 * again at the next; when that one refuses it (nothing listens: the call did not run there), the
 * caller is told the first instance's TIMEOUT, never UNAVAILABLE, which would say the call ran
 * nowhere. Before, the last failure was told as it was: "expected: <TIMEOUT> but was:
 * <UNAVAILABLE>".
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class MayHaveRunElsewhereTest {
  private static final String NAME = "org.onyxrpc.test.MayHaveRun";
  private static final CallOptions IDEMPOTENT = CallOptions.DEFAULT.withSemantics(CallSemantics.AT_LEAST_ONCE);

  private static ServiceInstance at(int port) {
    return new ServiceInstance(NAME, TestService.PROGRAM, 1, "tcp", "127.0.0.1." + (port >> 8) + "." + (port & 0xff), "0");
  }

  @Test
  void aCallThatMayHaveRunAtTheFirstInstanceIsNotToldUnavailableByTheNext() throws Exception {
    // Takes connections into its backlog and never reads: a call sent there is never answered.
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int dead;
      try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        dead = closed.getLocalPort(); // nothing listens there once closed
      }
      for (boolean async : new boolean[] {false, true}) {
        // The silent instance first (a client's first pick is the directory's first entry).
        try (DirectoryClient c = DirectoryClient.builder()
            .directory(new AnsweringDirectory(List.of(at(silent.getLocalPort()), at(dead)))).service(NAME)
            .clientOptions(b -> b.timeout(Duration.ofMillis(500))).build()) {
          assertEquals(new InetSocketAddress(InetAddress.getLoopbackAddress(), silent.getLocalPort()),
              c.instances(TestService.PROGRAM, 1).get(0));
          RpcException e = assertThrows(RpcException.class, () -> {
            try {
              if (async) {
                c.callAsync(TestService.ADD, new TestService.Pair(2, 3), IDEMPOTENT).get(1, TimeUnit.MINUTES);
              } else {
                c.call(TestService.ADD, new TestService.Pair(2, 3), IDEMPOTENT);
              }
            } catch (ExecutionException wrapped) {
              throw wrapped.getCause();
            }
          });
          assertEquals(RpcStatus.TIMEOUT, e.status(), (async ? "async: " : "waiting: ") + e.getMessage());
          assertTrue(e.getMessage().contains("then another instance did not run it"), e.getMessage());
          assertEquals(RpcStatus.UNAVAILABLE, ((RpcException) e.getSuppressed()[0]).status());
        }
      }
    }
  }
}
