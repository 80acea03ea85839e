package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.onyxrpc.client.IoStrategy;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.LeakDetection;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.transport.Transport;

/**
 * The buffers of a connection with a thread of its own ({@link BlockingBuffers}): a small call
 * read whole and answered on the thread takes no buffer from the allocator, a large one's grown
 * buffers go back and the calls after it are answered whole, and nothing is left unreleased when
 * the connection ends ({@link LeakDetection}: every buffer is tracked in the build's tests).
 */
@ExtendWith(LeakDetection.class)
class DedicatedTcpBuffersTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final int CALLS = 200;

  @AfterEach
  void everyConnectionsThreadEnded() {
    Await.until(() -> Thread.getAllStackTraces().keySet().stream()
        .noneMatch(t -> t.getName().startsWith(BlockingTcpConnection.THREAD_PREFIX)));
  }

  private static RpcServer server() throws java.io.IOException {
    return RpcServer.builder().bind(LOOPBACK, 0).transports(Transport.TCP)
        .directory(Directory.none()).tcpIo(TcpIo.DEDICATED_THREAD).directExecutor()
        .addService(new TestService().definition()).build().start();
  }

  private static RpcClient client(int port) {
    return RpcClient.builder().address(new InetSocketAddress(LOOPBACK, port))
        .transport(Transport.TCP).ioStrategy(IoStrategy.CALLER_RUNS)
        .timeout(Duration.ofSeconds(10)).build();
  }

  @Test
  void smallCallsAnsweredOnTheThreadTakeNoBufferFromTheAllocator() throws Exception {
    try (RpcServer server = server(); RpcClient client = client(server.port())) {
      assertEquals("first", client.call(TestService.ECHO, "first"));
      long before = server.openConnections().dedicatedAllocations();
      for (int i = 0; i < CALLS; i++) {
        assertEquals("call " + i, client.call(TestService.ECHO, "call " + i));
      }
      // Each call had its read room and its reply buffer: the same ones again.
      assertEquals(before, server.openConnections().dedicatedAllocations());
    }
  }

  @Test
  void afterALargeCallTheGrownBuffersGoBackAndSmallCallsAreAnsweredWhole() throws Exception {
    try (RpcServer server = server(); RpcClient client = client(server.port())) {
      assertEquals("first", client.call(TestService.ECHO, "first"));
      byte[] large = new byte[3 * BlockingBuffers.READ_BYTES];
      Arrays.fill(large, (byte) 7);
      assertArrayEquals(large, client.call(TestService.BLOB, large));
      byte[] small = {1, 2, 3};
      assertArrayEquals(small, client.call(TestService.BLOB, small)); // in buffers taken anew
      long after = server.openConnections().dedicatedAllocations();
      for (int i = 0; i < CALLS; i++) {
        assertEquals("call " + i, client.call(TestService.ECHO, "call " + i));
      }
      assertEquals(after, server.openConnections().dedicatedAllocations());
      assertArrayEquals(large, client.call(TestService.BLOB, large));
    }
  }
}
