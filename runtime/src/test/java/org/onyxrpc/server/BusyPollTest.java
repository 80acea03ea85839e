package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.transport.Transport;

/** A server whose I/O threads busy-poll ({@link RpcServerBuilder#busyPoll}). */
class BusyPollTest {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  @Test
  void itsIoThreadKeepsPollingAfterACallWhereAnotherWouldSleep() throws Exception {
    // A poll far longer than a call: the one I/O thread's CPU time grows by most of it after one
    // call, which a thread asleep in epoll_wait could never spend.
    Duration poll = Duration.ofMillis(300);
    try (RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
            .transports(Transport.TCP, Transport.UDP).directory(Directory.none())
            .ioThreads(1).busyPoll(poll).addService(new TestService().definition()).build().start()) {
      long before = ioThreadsCpuNanos();
      for (Transport transport : new Transport[] {Transport.TCP, Transport.UDP}) {
        try (RpcClient client = RpcClient.builder()
            .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()))
            .transport(transport).build()) {
          assertEquals(5, client.call(TestService.ADD, new TestService.Pair(2, 3)));
        }
      }
      Await.until(() -> ioThreadsCpuNanos() - before >= poll.toNanos() / 2);
    }
  }

  @Test
  void aPollOutsideZeroToOneSecondIsRefused() {
    RpcServerBuilder builder = RpcServer.builder();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> builder.busyPoll(Duration.ofNanos(-1)));
    assertTrue(e.getMessage().contains("busyPoll"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> builder.busyPoll(Duration.ofMillis(1001)));
    builder.busyPoll(Duration.ofSeconds(1));
    builder.busyPoll(Duration.ZERO);
  }

  private static long ioThreadsCpuNanos() {
    return Arrays.stream(THREADS.getThreadInfo(THREADS.getAllThreadIds()))
        .filter(t -> t != null && t.getThreadName().startsWith("onyx-server-io"))
        .mapToLong(t -> Math.max(0, THREADS.getThreadCpuTime(t.getThreadId())))
        .sum();
  }
}
