package org.onyxrpc.directory.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.onyxrpc.client.CallOptions;
import org.onyxrpc.directory.AnsweringDirectory;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.transport.Transport;

/**
 * A hostile (or badly broken) directory that answers every look-up with instances it never named
 * before, each at a port where nothing listens: a call that fails over (UNAVAILABLE, the call not
 * sent) looks up again after each failure and finds an instance it has not tried. Before, nothing
 * bounded that: a DirectoryClient's call went from one new instance to the next for as long as the
 * directory kept inventing them (forever, a connection refused taking a millisecond), each with a
 * new connection. Now a call tries at most twice {@link DirectoryClientBuilder#maxInstances} instances
 * (a whole look-up's worth before its first failure, and one after) and then fails with the last
 * failure, saying so; and no instance after the call's deadline.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ShiftingDirectoryTest {
  private static final String NAME = "org.onyxrpc.test.Shifting";
  /** Look-ups past which the directory stops answering, so that an unbounded call still ends. */
  private static final int ENOUGH = 400;
  private static final int MAX_INSTANCES = 3;
  private static int deadPort;

  @BeforeAll
  static void deadPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      deadPort = s.getLocalPort(); // nothing listens there once closed: every 127/8 address refuses it
    }
  }

  /** Each look-up names {@code MAX_INSTANCES} new instances on 127/8; past ENOUGH it fails. */
  private static final class Shifting implements Directory {
    final AtomicInteger lookUps = new AtomicInteger();

    @Override
    public Duration register(ServiceInstance instance, Duration lease) {
      return lease;
    }

    @Override
    public boolean unregister(ServiceInstance instance) {
      return false;
    }

    @Override
    public List<ServiceInstance> lookup(String name) {
      int n = lookUps.incrementAndGet();
      if (n > ENOUGH) {
        throw new RpcException(RpcStatus.UNAVAILABLE, "the test's shifting directory stops here");
      }
      List<ServiceInstance> entries = new ArrayList<>();
      for (int i = 0; i < MAX_INSTANCES; i++) {
        int host = n * MAX_INSTANCES + i;
        entries.add(new ServiceInstance(NAME, TestService.PROGRAM, 1, "tcp",
            "127." + (host >> 8 & 0xff) + "." + (host & 0xff) + ".1." + (deadPort >> 8) + "." + (deadPort & 0xff), "0"));
      }
      return entries;
    }

    @Override
    public List<ServiceInstance> lookup(int program, int version) {
      return lookup(NAME);
    }

    @Override
    public String toString() {
      return "the shifting directory";
    }
  }

  private static DirectoryClient client(Directory directory) {
    return DirectoryClient.builder().directory(directory).service(NAME).maxInstances(MAX_INSTANCES)
        .clientOptions(b -> b.timeout(Duration.ofSeconds(10)).connectTimeout(Duration.ofSeconds(10)))
        .build();
  }

  private static void assertGaveUp(RpcException e, Shifting directory) {
    assertEquals(RpcStatus.UNAVAILABLE, e.status(), e.getMessage());
    // The first look-up, and one after each failure but the last.
    assertTrue(directory.lookUps.get() <= 2 * MAX_INSTANCES,
        directory.lookUps.get() + " look-ups for one call: " + e.getMessage());
    assertTrue(e.getMessage().contains("tried " + 2 * MAX_INSTANCES + " instances"), e.getMessage());
  }

  @Test
  void aWaitingCallTriesABoundedNumberOfInstances() {
    for (Duration deadline : new Duration[] {null, Duration.ofSeconds(30)}) {
      Shifting directory = new Shifting();
      try (DirectoryClient c = client(directory)) {
        CallOptions options = deadline == null ? CallOptions.DEFAULT : CallOptions.DEFAULT.withDeadline(deadline);
        RpcException e = assertThrows(RpcException.class,
            () -> c.call(TestService.ADD, new TestService.Pair(2, 3), options));
        assertGaveUp(e, directory);
      }
    }
  }

  /**
   * A call's deadline is the whole time it may take, its failovers included: an idempotent call
   * whose first instance let the deadline pass unanswered goes to no other. Before, each instance
   * tried was given the whole deadline again, so a call given a second took a second per instance the
   * directory named (here three, each a UDP port that reads and never answers).
   */
  @Test
  void noInstanceIsTriedPastTheCallsDeadline() throws IOException {
    List<DatagramChannel> silent = new ArrayList<>();
    try {
      List<ServiceInstance> entries = new ArrayList<>();
      for (int i = 0; i < MAX_INSTANCES; i++) {
        DatagramChannel channel = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        channel.configureBlocking(false);
        silent.add(channel);
        int port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
        entries.add(new ServiceInstance(NAME, TestService.PROGRAM, 1, "udp", "127.0.0.1." + (port >> 8) + "." + (port & 0xff), "0"));
      }
      for (boolean async : new boolean[] {false, true}) {
        // Whatever the I/O strategy of the run (a caller-runs client's async call ended only when
        // its DirectoryClient closed, before CloseFromAnExpiryTest's fix).
        try (DirectoryClient c = DirectoryClient.builder().directory(new AnsweringDirectory(entries)).service(NAME)
            .transport(Transport.UDP).maxInstances(MAX_INSTANCES).build()) {
          CallOptions options = CallOptions.DEFAULT.withSemantics(CallSemantics.AT_LEAST_ONCE)
              .withDeadline(Duration.ofSeconds(1));
          assertEquals(MAX_INSTANCES, c.instances(TestService.PROGRAM, 1).size()); // looked up before the call
          RpcException e = assertThrows(RpcException.class, () -> {
            try {
              if (async) {
                c.callAsync(TestService.ADD, new TestService.Pair(2, 3), options).get(1, TimeUnit.MINUTES);
              } else {
                c.call(TestService.ADD, new TestService.Pair(2, 3), options);
              }
            } catch (ExecutionException wrapped) {
              throw wrapped.getCause();
            }
          });
          assertEquals(RpcStatus.TIMEOUT, e.status(), e.getMessage());
          // Over loopback a datagram sent is in its socket's buffer before send returns.
          int reached = 0;
          ByteBuffer buffer = ByteBuffer.allocate(65_536);
          for (DatagramChannel channel : silent) {
            boolean any = false;
            while (channel.receive(buffer.clear()) != null) {
              any = true;
            }
            reached += any ? 1 : 0;
          }
          // None on a machine so busy that the first attempt did not send before its deadline.
          assertTrue(reached <= 1, (async ? "async" : "waiting") + ": " + reached + " instances called within one deadline");
        }
      }
    } finally {
      for (DatagramChannel channel : silent) {
        channel.close();
      }
    }
  }

  @Test
  void anAsyncCallTriesABoundedNumberOfInstances() {
    Shifting directory = new Shifting();
    try (DirectoryClient c = client(directory)) {
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> c.callAsync(TestService.ADD, new TestService.Pair(2, 3),
              CallOptions.DEFAULT.withSemantics(CallSemantics.AT_LEAST_ONCE)).get(1, TimeUnit.MINUTES));
      assertGaveUp((RpcException) e.getCause(), directory);
    }
  }
}
