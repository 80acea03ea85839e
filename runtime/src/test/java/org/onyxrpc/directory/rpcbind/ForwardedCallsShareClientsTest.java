package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.internal.rpcbind.Rpcb;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * Forwarded calls (CALLIT, BCAST, INDIRECT) to one address share a client or two, so a burst of
 * them opens a connection or two rather than one each; the clients kept are bounded, closed when idle, and
 * closed with the directory.
 */
class ForwardedCallsShareClientsTest {
  private static final int PROGRAM = 0x20000777;
  private static final byte[] SEVEN = {0, 0, 0, 7};

  /** Where each call to a program came from: one connection (or UDP socket) is one address. */
  private final Set<SocketAddress> peers = ConcurrentHashMap.newKeySet();

  private RpcServer server(int program) throws Exception {
    return server(program, 0);
  }

  private RpcServer server(int program, int port) throws Exception {
    Procedure<Integer, Integer> echo = new Procedure<>(program, 1, 1, "Echo.echo", XdrCodecs.INT,
        XdrCodecs.INT);
    return RpcServer.builder().bind(InetAddress.getLoopbackAddress(), port).directory(Directory.none())
        .addService(ServiceDefinition.builder(program, 1).procedure(echo, (n, ctx) -> {
          peers.add(ctx.remoteAddress());
          return n;
        }).build()).build().start();
  }

  private static void register(DirectoryFixture fixture, int program, String netid, int port) {
    fixture.directory.table().register(new ServiceInstance("", program, 1, netid,
        "127.0.0.1." + (port >> 8) + "." + (port & 0xFF), "unknown"), Duration.ofMinutes(1));
  }

  private static byte[] forward(RemoteCalls calls, int program, String netid) {
    return calls.forward(new Rpcb.CallArgs(program, 1, 1, SEVEN), List.of(netid), true, "caller")
        .toCompletableFuture().join().results();
  }

  @ParameterizedTest
  @EnumSource(value = Transport.class, names = {"TCP", "UDP"})
  void manyForwardedCallsToOneTargetUseAConnectionOrTwo(Transport transport) throws Exception {
    String netid = transport.netid();
    try (DirectoryFixture fixture = new DirectoryFixture(); RpcServer target = server(PROGRAM);
        RemoteCalls calls = new RemoteCalls(fixture.directory.table(), Duration.ofSeconds(5))) {
      register(fixture, PROGRAM, netid, target.port());
      for (int i = 0; i < 20; i++) {
        assertArrayEquals(SEVEN, forward(calls, PROGRAM, netid));
      }
      assertEquals(1, peers.size(), "calls one after the other came from " + peers);
      List<CompletableFuture<RemoteCalls.Forwarded>> together = new ArrayList<>();
      for (int i = 0; i < RemoteCalls.MAX_IN_FLIGHT_PER_CALLER; i++) {
        together.add(calls.forward(new Rpcb.CallArgs(PROGRAM, 1, 1, SEVEN), List.of(netid), true,
            "caller").toCompletableFuture());
      }
      for (CompletableFuture<RemoteCalls.Forwarded> f : together) {
        assertArrayEquals(SEVEN, f.join().results());
      }
      assertTrue(peers.size() <= ForwardingClients.PER_TARGET, "calls came from " + peers);
    }
  }

  /**
   * Restarted at once, the target's old connection was closed moments after its last reply: a
   * client that checked for a close only on connections quiet for a while (caller-runs) wrote the
   * next call on it and lost it (OUTCOME_UNKNOWN, about every other restart here before).
   */
  @ParameterizedTest
  @EnumSource(value = Transport.class, names = {"TCP", "UDP"})
  void forwardedCallsRightAfterQuickRestartsSucceed(Transport transport) throws Exception {
    String netid = transport.netid();
    try (DirectoryFixture fixture = new DirectoryFixture();
        RemoteCalls calls = new RemoteCalls(fixture.directory.table(), Duration.ofSeconds(5))) {
      RpcServer target = server(PROGRAM);
      int port = target.port();
      register(fixture, PROGRAM, netid, port);
      try {
        for (int i = 0; i < 20; i++) {
          assertArrayEquals(SEVEN, forward(calls, PROGRAM, netid), "after " + i + " restarts");
          target.close();
          target = server(PROGRAM, port);
        }
      } finally {
        target.close();
      }
    }
  }

  /**
   * A target runs one connection's calls on at most half of its threads: while the kept client
   * has a call under way, a second is opened for the next; while both have, calls share them.
   */
  @Test
  void whileTheKeptClientIsBusyASecondIsKeptAndNoMore() throws Exception {
    CompletableFuture<Integer> release = new CompletableFuture<>();
    List<CompletableFuture<Void>> running = List.of(new CompletableFuture<>(),
        new CompletableFuture<>(), new CompletableFuture<>(), new CompletableFuture<>());
    AtomicInteger started = new AtomicInteger();
    Procedure<Integer, Integer> wait = new Procedure<>(PROGRAM + 9, 1, 1, "Slow.wait", XdrCodecs.INT,
        XdrCodecs.INT);
    ForwardingClients clients = new ForwardingClients(Duration.ofSeconds(30));
    try (DirectoryFixture fixture = new DirectoryFixture();
        RpcServer slow = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
            .directory(Directory.none())
            .addService(ServiceDefinition.builder(PROGRAM + 9, 1).asyncProcedure(wait, (n, ctx) -> {
              peers.add(ctx.remoteAddress());
              running.get(started.getAndIncrement()).complete(null);
              return release;
            }).build()).build().start();
        RemoteCalls calls = new RemoteCalls(fixture.directory.table(), clients)) {
      register(fixture, PROGRAM + 9, "tcp", slow.port());
      List<CompletableFuture<RemoteCalls.Forwarded>> held = new ArrayList<>();
      try {
        for (int i = 0; i < running.size(); i++) {
          held.add(calls.forward(new Rpcb.CallArgs(PROGRAM + 9, 1, 1, SEVEN), List.of("tcp"), true,
              "caller").toCompletableFuture());
          running.get(i).join(); // under way: the next call finds its client busy
          int kept = Math.min(i + 1, ForwardingClients.PER_TARGET);
          assertEquals(kept, clients.size());
          assertEquals(kept, peers.size(), "calls came from " + peers);
        }
      } finally {
        release.complete(8);
      }
      for (CompletableFuture<RemoteCalls.Forwarded> f : held) {
        assertArrayEquals(new byte[] {0, 0, 0, 8}, f.join().results());
      }
    }
  }

  /**
   * The target program restarts at the same port: the kept client's connection died with the
   * old process, and the next forwarded call goes on a new one rather than ending OUTCOME_UNKNOWN
   * (CALLIT is sent once, so a call lost on a dead connection would not be sent again): the
   * client sends a call it finds its connection closed for, before writing it, on a new one.
   */
  @ParameterizedTest
  @EnumSource(value = Transport.class, names = {"TCP", "UDP"})
  void aForwardedCallAfterTheTargetRestartedAtItsPortSucceeds(Transport transport) throws Exception {
    String netid = transport.netid();
    try (DirectoryFixture fixture = new DirectoryFixture();
        RemoteCalls calls = new RemoteCalls(fixture.directory.table(), Duration.ofSeconds(5))) {
      int port;
      try (RpcServer first = server(PROGRAM)) {
        port = first.port();
        register(fixture, PROGRAM, netid, port);
        assertArrayEquals(SEVEN, forward(calls, PROGRAM, netid));
      }
      // While it is down a call fails (nothing listens); the client is not spoiled by it.
      assertThrows(CompletionException.class, () -> forward(calls, PROGRAM, netid));
      try (RpcServer second = server(PROGRAM, port)) {
        for (int i = 0; i < 3; i++) {
          assertArrayEquals(SEVEN, forward(calls, PROGRAM, netid));
        }
      }
    }
  }

  @Test
  void whenEveryKeptClientIsBusyACallGetsOneOfItsOwnAndTheBoundHolds() throws Exception {
    CompletableFuture<Integer> release = new CompletableFuture<>();
    CompletableFuture<Void> held = new CompletableFuture<>();
    Procedure<Integer, Integer> wait = new Procedure<>(PROGRAM + 9, 1, 1, "Slow.wait", XdrCodecs.INT,
        XdrCodecs.INT);
    ForwardingClients clients = new ForwardingClients(Duration.ofSeconds(30), 1, Duration.ofSeconds(30),
        System::nanoTime);
    try (DirectoryFixture fixture = new DirectoryFixture(); RpcServer a = server(PROGRAM);
        RpcServer slow = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
            .directory(Directory.none())
            .addService(ServiceDefinition.builder(PROGRAM + 9, 1).asyncProcedure(wait, (n, ctx) -> {
              held.complete(null);
              return release;
            }).build()).build().start();
        RemoteCalls calls = new RemoteCalls(fixture.directory.table(), clients)) {
      register(fixture, PROGRAM, "tcp", a.port());
      register(fixture, PROGRAM + 9, "tcp", slow.port());
      CompletableFuture<RemoteCalls.Forwarded> busy = calls.forward(
          new Rpcb.CallArgs(PROGRAM + 9, 1, 1, SEVEN), List.of("tcp"), true, "caller").toCompletableFuture();
      held.join();
      assertEquals(1, clients.size());
      for (int i = 0; i < 3; i++) {
        assertArrayEquals(SEVEN, forward(calls, PROGRAM, "tcp"));
        assertEquals(1, clients.size(), "the busy client is kept, the others are closed after their call");
      }
      assertEquals(3, peers.size(), "one client, and one connection, per call while the kept one is busy");
      release.complete(8);
      assertArrayEquals(new byte[] {0, 0, 0, 8}, busy.join().results());
    }
  }

  @Test
  void theClientsKeptAreBoundedAndClosedWhenIdleAndWithTheDirectory() throws Exception {
    long[] now = {0};
    ForwardingClients clients = new ForwardingClients(Duration.ofSeconds(5), 2, Duration.ofSeconds(30),
        () -> now[0]);
    try (DirectoryFixture fixture = new DirectoryFixture(); RpcServer a = server(PROGRAM);
        RpcServer b = server(PROGRAM + 1); RpcServer c = server(PROGRAM + 2);
        RemoteCalls calls = new RemoteCalls(fixture.directory.table(), clients)) {
      register(fixture, PROGRAM, "tcp", a.port());
      register(fixture, PROGRAM + 1, "tcp", b.port());
      register(fixture, PROGRAM + 2, "tcp", c.port());
      for (int round = 0; round < 2; round++) {
        for (int p = PROGRAM; p < PROGRAM + 3; p++) {
          assertArrayEquals(SEVEN, forward(calls, p, "tcp"));
          assertEquals(Math.min(2, p - PROGRAM + 1 + 2 * round), clients.size());
        }
      }

      now[0] += Duration.ofSeconds(29).toNanos();
      clients.sweepNow();
      assertEquals(2, clients.size());
      now[0] += Duration.ofSeconds(1).toNanos();
      clients.sweepNow();
      assertEquals(0, clients.size());

      calls.close();
      CompletionException closed = assertThrows(CompletionException.class,
          () -> forward(calls, PROGRAM, "tcp"));
      assertEquals(RpcStatus.CANCELLED, ((RpcException) closed.getCause()).status());
    }
  }
}
