package org.onyxrpc.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.onyxrpc.client.CallOptions;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.interop.InteropTypes.Color;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.transport.Transport;

/**
 * Onyx clients whose deadlines pass while a C server (rpcgen's dispatcher in libtirpc's
 * single-threaded svc_run) is busy with another client's call. A call already sent ends TIMEOUT
 * and its late reply is not taken for the next call's. A new client's first call, which waits
 * for the NULL ping that goes first, ends TIMEOUT "not sent" and must never be sent: before, it
 * went out when the busy server answered the ping, and ran.
 */
class OnyxClientGivesUpOnACServerTest {
  @TempDir Path work;
  private NativeInterop c;

  @AfterEach
  void stopCServer() throws InterruptedException {
    if (c != null) {
      c.stopProcesses();
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Transport.class, names = {"TCP", "UDP"})
  void callsPastTheirDeadlinesAreTimeoutAndRunOnlyIfSent(Transport transport) throws Exception {
    c = NativeInterop.build(work);
    int port = c.startServer(); // COUNT_RUNS counts per server: this test's own
    try (RpcClient busy = client(transport, port, Duration.ofSeconds(1));
        // Its NULL ping may wait 10 s for an answer: the busy server answers it after 1.5 s.
        RpcClient newcomer = client(transport, port, Duration.ofSeconds(10))) {
      assertEquals(Color.GREEN, busy.call(InteropProgram.NEXT_COLOR, Color.RED)); // connected
      CompletableFuture<Integer> slow = busy.callAsync(InteropProgram.COUNT_RUNS, 1500);
      c.awaitServerSaid("COUNT_RUNS(1500) running"); // else the newcomer's ping may go first

      RpcException e = assertThrows(RpcException.class, () -> newcomer.call(
          InteropProgram.COUNT_RUNS, 0, CallOptions.DEFAULT.withDeadline(Duration.ofMillis(300))));
      assertEquals(RpcStatus.TIMEOUT, e.status(), e::toString);
      assertTrue(e.getMessage().contains("not sent"), e::getMessage);

      assertEquals(1, slow.get(1, TimeUnit.MINUTES));
      // Sent after anything the newcomer sent before, on the same connection or socket.
      assertEquals(Color.BLUE, newcomer.call(InteropProgram.NEXT_COLOR, Color.GREEN));
      assertEquals(Color.RED, newcomer.call(InteropProgram.NEXT_COLOR, Color.BLUE));
      assertEquals(2, busy.call(InteropProgram.COUNT_RUNS, 0), "runs: the slow call and this one");

      RpcException late = assertThrows(RpcException.class, () -> busy.call(
          InteropProgram.COUNT_RUNS, 1500, CallOptions.DEFAULT.withDeadline(Duration.ofMillis(300))));
      assertEquals(RpcStatus.TIMEOUT, late.status(), late::toString);
      assertEquals(Color.GREEN, busy.call(InteropProgram.NEXT_COLOR, Color.RED)); // not the late reply
      assertEquals(4, busy.call(InteropProgram.COUNT_RUNS, 0), "the call given up on ran once");
    }
  }

  private static RpcClient client(Transport transport, int port, Duration attemptTimeout) {
    return RpcClient.builder().address("127.0.0.1", port).transport(transport)
        .timeout(Duration.ofSeconds(20)).attemptTimeout(attemptTimeout).build();
  }
}
