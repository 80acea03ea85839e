package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.onyxrpc.client.CallOptions;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.internal.directory.Names;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.internal.rpcbind.Rpcb;
import org.onyxrpc.rpc.AuthStatus;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;
import org.onyxrpc.xdr.XdrWriter;

/**
 * CALLIT, BCAST and INDIRECT call no procedure of the directory's own programs but NULL (which
 * rpcbind forwards to itself too: {@link RpcbindProtocolTest}): a forwarded call comes from this
 * machine, so a caller from anywhere could otherwise make the directory register (or
 * unregister) entries on itself, which only local callers may; nor, for a caller elsewhere, a
 * program that listens on loopback only.
 */
class IndirectCallsTest {
  private static byte[] registerArgs(String name) {
    ByteBuf buf = Unpooled.buffer();
    Names.REGISTER.arguments().encode(new XdrWriter(buf),
        new Names.RegisterArgs(new ServiceInstance(name, 0x20000999, 1, "tcp", "192.0.2.7.0.80", ""), 60_000));
    byte[] bytes = new byte[buf.readableBytes()];
    buf.readBytes(bytes);
    buf.release();
    return bytes;
  }

  @ParameterizedTest
  @EnumSource(value = Transport.class, names = {"TCP", "UDP"})
  void theNamesProgramIsNeverCalledIndirectly(Transport t) throws Exception {
    CallOptions once = CallOptions.DEFAULT.withSemantics(CallSemantics.MAYBE).withDeadline(Duration.ofMillis(300));
    try (DirectoryFixture fixture = new DirectoryFixture(); RpcClient c = fixture.client(t, 0)) {
      byte[] args = registerArgs("hijack");
      RpcException indirect = assertThrows(RpcException.class, () -> c.call(Rpcb.INDIRECT,
          new Rpcb.CallArgs(Names.PROGRAM, Names.VERSION, Names.REGISTER.number(), args)));
      assertEquals(AuthStatus.AUTH_TOOWEAK, indirect.authStatus(), indirect::toString);
      // Refused, answered even to CALLIT as rpcbind answers the calls it refuses; no entry.
      RpcException callit = assertThrows(RpcException.class, () -> c.call(Portmap.CALLIT,
          new Rpcb.CallArgs(Names.PROGRAM, Names.VERSION, Names.REGISTER.number(), args), once));
      assertEquals(AuthStatus.AUTH_TOOWEAK, callit.authStatus(), callit::toString);
      for (int v : new int[] {3, 4}) {
        RpcException e = assertThrows(RpcException.class, () -> c.call(Rpcb.callit(v),
            new Rpcb.CallArgs(Names.PROGRAM, Names.VERSION, Names.REGISTER.number(), args), once));
        assertEquals(AuthStatus.AUTH_TOOWEAK, e.authStatus(), e::toString);
      }
      assertEquals(List.of(), c.call(Names.LOOKUP, "hijack"));
    }
  }

  @Test
  void aProgramOnLoopbackOnlyIsCalledOnlyForCallersOnThisMachine() throws Exception {
    try (DirectoryFixture fixture = new DirectoryFixture();
        RpcServer target = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
            .directory(Directory.none()).addService(new TestService().definition()).build().start()) {
      int port = target.port();
      fixture.directory.table().register(new ServiceInstance("", TestService.PROGRAM, 1, "udp",
          "127.0.0.1." + (port >> 8) + "." + (port & 0xFF), "unknown"), Duration.ofMinutes(1));
      try (RemoteCalls calls = new RemoteCalls(fixture.directory.table(), Duration.ofSeconds(5))) {
        Rpcb.CallArgs add = new Rpcb.CallArgs(TestService.PROGRAM, 1, TestService.ADD.number(),
            new byte[] {0, 0, 0, 2, 0, 0, 0, 40});

        CompletionException refused = assertThrows(CompletionException.class,
            () -> calls.forward(add, List.of("udp"), false, "caller").toCompletableFuture().join());
        assertEquals(RpcStatus.PROG_UNAVAIL, ((RpcException) refused.getCause()).status());
        byte[] sum = calls.forward(add, List.of("udp"), true, "caller").toCompletableFuture().join().results();
        assertArrayEquals(new byte[] {0, 0, 0, 42}, sum);
      }
    }
  }

  /**
   * A program on the wildcard address listens on loopback too; called there for a caller from
   * elsewhere, it took that caller for one on this machine's loopback (a program may trust
   * those). It is called at this machine's own address instead, as rpcbind merges the address
   * for the caller, or not at all on a machine with no address other machines reach.
   */
  @Test
  void aProgramOnTheWildcardAddressSeesNoLoopbackCallerForACallerElsewhere() throws Exception {
    List<InetAddress> callers = new java.util.concurrent.CopyOnWriteArrayList<>();
    Procedure<Integer, Integer> echo = new Procedure<>(TestService.PROGRAM, 3, 1, "Echo.echo",
        XdrCodecs.INT, XdrCodecs.INT);
    try (DirectoryFixture fixture = new DirectoryFixture();
        RpcServer target = RpcServer.builder().bind(new java.net.InetSocketAddress(0))
            .directory(Directory.none())
            .addService(ServiceDefinition.builder(TestService.PROGRAM, 3).procedure(echo, (n, ctx) -> {
              callers.add(((java.net.InetSocketAddress) ctx.remoteAddress()).getAddress());
              return n;
            }).build()).build().start();
        RemoteCalls calls = new RemoteCalls(fixture.directory.table(), Duration.ofSeconds(5))) {
      int port = target.port();
      fixture.directory.table().register(new ServiceInstance("", TestService.PROGRAM, 3, "udp",
          "0.0.0.0." + (port >> 8) + "." + (port & 0xFF), "unknown"), Duration.ofMinutes(1));
      Rpcb.CallArgs seven = new Rpcb.CallArgs(TestService.PROGRAM, 3, 1, new byte[] {0, 0, 0, 7});

      calls.forward(seven, List.of("udp"), true, "local").toCompletableFuture().join();
      assertEquals(true, callers.get(0).isLoopbackAddress(), "a local caller's call goes through loopback");
      InetAddress own = org.onyxrpc.internal.rpcbind.LocalAddresses.firstReachable(false);
      if (own != null) {
        assertArrayEquals(new byte[] {0, 0, 0, 7},
            calls.forward(seven, List.of("udp"), false, "elsewhere").toCompletableFuture().join().results());
        assertEquals(own, callers.get(1), "called at this machine's address, not on loopback");
      } else { // no address but loopback: nothing to call it at for a caller elsewhere
        CompletionException refused = assertThrows(CompletionException.class,
            () -> calls.forward(seven, List.of("udp"), false, "elsewhere").toCompletableFuture().join());
        assertEquals(RpcStatus.PROG_UNAVAIL, ((RpcException) refused.getCause()).status());
        assertEquals(1, callers.size());
      }
    }
  }

  /**
   * Datagrams from other machines may claim any source, each with a caller's share of its own:
   * before, one sender forging 32 addresses held every forwarded call to a slow program, and
   * callers who are who they say (TCP, loopback) got SYSTEM_ERR until those timed out. Such
   * datagrams together now hold at most half of the turns.
   */
  @Test
  void datagramsFromOtherMachinesTogetherTakeAtMostHalfOfTheDirectorysTurns() throws Exception {
    // Each from an address of its own; a caller over TCP still has its turn.
    turnsAreBounded(RemoteCalls.MAX_IN_FLIGHT_CLAIMED, i -> "forged " + i, "forged again", true, "over tcp");
  }

  @Test
  void oneCallersForwardedCallsTakeAtMostHalfOfTheDirectorysTurns() throws Exception {
    turnsAreBounded(RemoteCalls.MAX_IN_FLIGHT_PER_CALLER, i -> "greedy", "greedy", false, "another");
  }

  /**
   * Holds {@code limit} forwarded calls to a procedure that waits, made for {@code holder}'s
   * callers ({@code claimed}: their sources may be forged): one more for {@code refused} is
   * refused with SYSTEM_ERR, one for {@code bystander} still goes through, and once the held
   * ones return, {@code refused} is served again.
   */
  private static void turnsAreBounded(int limit, IntFunction<String> holder, String refused,
      boolean claimed, String bystander) throws Exception {
    CompletableFuture<Integer> release = new CompletableFuture<>();
    AtomicInteger waiting = new AtomicInteger();
    Procedure<Integer, Integer> slow = new Procedure<>(TestService.PROGRAM, 2, 1, "Slow.wait",
        XdrCodecs.INT, XdrCodecs.INT);
    try (DirectoryFixture fixture = new DirectoryFixture();
        RpcServer target = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
            .directory(Directory.none()).addService(new TestService().definition())
            .addService(ServiceDefinition.builder(TestService.PROGRAM, 2).asyncProcedure(slow, (n, ctx) -> {
              waiting.incrementAndGet();
              return release;
            }).build()).build().start();
        RemoteCalls calls = new RemoteCalls(fixture.directory.table(), Duration.ofMinutes(1))) {
      int port = target.port();
      String uaddr = "127.0.0.1." + (port >> 8) + "." + (port & 0xFF);
      for (int v : new int[] {1, 2}) {
        fixture.directory.table().register(new ServiceInstance("", TestService.PROGRAM, v, "tcp",
            uaddr, "unknown"), Duration.ofMinutes(1));
      }
      Rpcb.CallArgs wait = new Rpcb.CallArgs(TestService.PROGRAM, 2, slow.number(), new byte[4]);
      List<CompletableFuture<RemoteCalls.Forwarded>> held = new ArrayList<>();
      for (int i = 0; i < limit; i++) {
        held.add(calls.forward(wait, List.of("tcp"), true, holder.apply(i), claimed).toCompletableFuture());
      }
      Await.until(() -> waiting.get() == limit);
      CompletionException refusal = assertThrows(CompletionException.class,
          () -> calls.forward(wait, List.of("tcp"), true, refused, claimed).toCompletableFuture().join());
      assertEquals(RpcStatus.SYSTEM_ERR, ((RpcException) refusal.getCause()).status());

      Rpcb.CallArgs add = new Rpcb.CallArgs(TestService.PROGRAM, 1, TestService.ADD.number(),
          new byte[] {0, 0, 0, 2, 0, 0, 0, 40});
      assertArrayEquals(new byte[] {0, 0, 0, 42},
          calls.forward(add, List.of("tcp"), true, bystander).toCompletableFuture().join().results());

      release.complete(7);
      for (CompletableFuture<RemoteCalls.Forwarded> f : held) {
        assertArrayEquals(new byte[] {0, 0, 0, 7}, f.join().results());
      }
      assertArrayEquals(new byte[] {0, 0, 0, 7},
          calls.forward(wait, List.of("tcp"), true, refused, claimed).toCompletableFuture().join().results());
    }
  }
}