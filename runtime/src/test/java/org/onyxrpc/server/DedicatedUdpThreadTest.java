package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.CallOptions;
import org.onyxrpc.client.IoStrategy;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.LoopbackHosts;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * UDP sockets with a thread each ({@link UdpIo#DEDICATED_THREAD}): every test of {@link
 * UdpWildcardRepliesTest} again (replies leave from the address called, the port stays the
 * server's, errors name the port), and what is the dedicated threads' own.
 */
class DedicatedUdpThreadTest extends UdpWildcardRepliesTest {
  private static final int PROGRAM = 0x20000777;
  private static final Procedure<Void, String> THREAD =
      new Procedure<>(PROGRAM, 1, 1, "Where.thread", XdrCodecs.VOID, XdrCodecs.STRING);
  private static final Procedure<Integer, byte[]> BYTES =
      new Procedure<>(PROGRAM, 1, 2, "Where.bytes", XdrCodecs.INT, XdrCodecs.OPAQUE);
  private static final CallOptions MAYBE = CallOptions.DEFAULT.withSemantics(CallSemantics.MAYBE);

  @Override
  UdpIo udpIo() {
    return UdpIo.DEDICATED_THREAD;
  }

  private static ServiceDefinition where() {
    return ServiceDefinition.builder(PROGRAM, 1)
        .procedure(THREAD, (v, ctx) -> Thread.currentThread().getName())
        .procedure(BYTES, (n, ctx) -> new byte[n])
        .build();
  }

  private static RpcServerBuilder udpServer() {
    return RpcServer.builder().bind(LOOPBACK, 0).transports(Transport.UDP)
        .directory(Directory.none()).udpIo(UdpIo.DEDICATED_THREAD).addService(where());
  }

  private static RpcClient udpClient(int port) {
    return RpcClient.builder().address(new InetSocketAddress(LOOPBACK, port))
        .transport(Transport.UDP).ioStrategy(IoStrategy.CALLER_RUNS).timeout(TIMEOUT).build();
  }

  private static long udpThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("onyx-server-udp-")).count();
  }

  @Test
  void withDirectExecutorAProcedureRunsOnTheSocketsOwnThread() throws Exception {
    try (RpcServer server = udpServer().directExecutor().build().start();
        RpcClient client = udpClient(server.port())) {
      assertEquals("onyx-server-udp-127.0.0.1:" + server.port(), client.call(THREAD, null, MAYBE));
    }
  }

  @Test
  void withAnExecutorTheThreadHandsCallsOverAndWorkersReply() throws Exception {
    try (RpcServer server = udpServer().build().start();
        RpcClient client = udpClient(server.port())) {
      for (int i = 0; i < 20; i++) {
        String thread = client.call(THREAD, null, MAYBE);
        assertFalse(thread.startsWith("onyx-server-udp-"), thread);
      }
    }
  }

  @Test
  void closingTheServerEndsTheThreadsAndFreesThePort() throws Exception {
    long before = udpThreads();
    RpcServer server = RpcServer.builder().bind(ANY, 0).transports(Transport.UDP)
        .directory(Directory.none()).udpIo(UdpIo.DEDICATED_THREAD)
        .interfaceAddresses(List.of(LOOPBACK)).addService(where()).build().start();
    int port = server.port();
    assertEquals(before + 2, udpThreads(), "one for the wildcard, one for 127.0.0.1");
    server.close();
    assertEquals(before, udpThreads(), "close waits for the threads to end");
    try (DatagramSocket after = new DatagramSocket(new InetSocketAddress(ANY, port))) {
      assertEquals(port, after.getLocalPort());
    }
  }

  /**
   * Three sockets (the wildcard's, 127.0.0.1's, 127.0.0.2's), each thread held by a procedure
   * that blocks under a direct executor: closing the server closes them all at once and waits for
   * the threads together. It closed one socket, waited 5 s for its thread, then the next: 5 s a
   * socket, one per address of the machine on a wildcard; the third socket was still open 10 s
   * into the close, and the port still taken there.
   */
  @Test
  void closingWaitsForThreadsHeldByProceduresTogetherNotOneAfterAnother() throws Exception {
    InetAddress second = LoopbackHosts.host("127.0.0.2");
    assumeUsable(second);
    TestService service = new TestService();
    RpcServer server = RpcServer.builder().bind(ANY, 0).transports(Transport.UDP)
        .directory(Directory.none()).udpIo(UdpIo.DEDICATED_THREAD).directExecutor()
        .interfaceAddresses(List.of(LOOPBACK, second)).addService(service.definition())
        .build().start();
    int port = server.port();
    // 127.0.0.3 has no socket of its own: the wildcard's thread takes its call.
    List<InetAddress> called = List.of(LOOPBACK, second, LoopbackHosts.host("127.0.0.3"));
    Thread closing = new Thread(() -> server.shutdown(Duration.ZERO), "closing");
    try (DatagramSocket raw = new DatagramSocket()) {
      for (int i = 0; i < called.size(); i++) {
        byte[] hold = TestService.rawHold(i + 1, i);
        raw.send(new DatagramPacket(hold, hold.length, called.get(i), port));
      }
      Await.until(() -> service.holding.get() == called.size());
      closing.start();
      // Well within the one wait of 5 s: before, the sockets closed one a wait.
      assertTrue(Await.within(() -> called.stream().allMatch(a -> free(a, port)),
          Duration.ofSeconds(4)), "every socket is closed before any thread is waited for");
    } finally {
      service.gate.countDown();
      closing.join();
      server.close();
    }
  }

  /** True if {@code port} on {@code address} can be bound: no socket of the server holds it. */
  private static boolean free(InetAddress address, int port) {
    try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(address, port))) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void aServerThatFailsToStartLeavesNoThreadOrSocket() throws Exception {
    long before = udpThreads();
    try (DatagramSocket holder = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
      RpcServerBuilder builder = udpServer().bind(LOOPBACK, holder.getLocalPort());
      IOException e = assertThrows(IOException.class, () -> builder.build().start());
      assertTrue(e.getMessage().startsWith("cannot listen on UDP 127.0.0.1:"), e.getMessage());
    }
    assertEquals(before, udpThreads());
  }

  @Test
  void anOversizedDatagramIsDroppedAndAnOversizedReplyIsASystemError() throws Exception {
    try (RpcServer server = udpServer().maxDatagramBytes(200).directExecutor().build().start();
        DatagramSocket raw = new DatagramSocket();
        RpcClient client = udpClient(server.port())) {
      byte[] tooLong = RawTcpPeer.call(7, 2, PROGRAM, 1, 2, OpaqueAuth.NONE, new byte[4 + 160]);
      assertTrue(tooLong.length > 200);
      raw.send(new DatagramPacket(tooLong, tooLong.length, LOOPBACK, server.port()));
      // The one thread takes datagrams in order: once this call is answered, the first was seen.
      assertEquals(100, client.call(BYTES, 100, MAYBE).length);
      assertEquals(1, server.udpEndpoint().dropped.sum());
      RpcException e = assertThrows(RpcException.class,
          () -> client.call(BYTES, 180, MAYBE), "a reply of 180 bytes of result is over 200");
      assertEquals(RpcStatus.SYSTEM_ERR, e.status());
    }
  }

  @Test
  void anIpv4MappedSourceOnAnIpv6AddressesSocketIsDropped() throws Exception {
    InetAddress loopback6 = LoopbackHosts.host("::1");
    assumeUsable(loopback6);
    try (RpcServer server = RpcServer.builder().bind(loopback6, 0).transports(Transport.UDP)
        .directory(Directory.none()).udpIo(UdpIo.DEDICATED_THREAD).addService(where())
        .build().start()) {
      UdpEndpoint endpoint = server.udpEndpoint();
      InetSocketAddress socket = server.udpAddresses().get(0);
      AtomicReference<Object> replied = new AtomicReference<>();
      UdpEndpoint.Replies replies = new UdpEndpoint.Replies() {
        @Override
        public io.netty.buffer.ByteBuf newReply() {
          return io.netty.buffer.Unpooled.buffer();
        }

        @Override
        public void send(io.netty.buffer.ByteBuf reply, InetSocketAddress to) {
          replied.set(to);
          reply.release();
        }
      };
      byte[] call = RawTcpPeer.call(9, 2, PROGRAM, 1, 0, OpaqueAuth.NONE, new byte[0]);
      // What a forger's ::ffff:127.0.0.1 looks like once the JDK has read it.
      endpoint.receive(io.netty.buffer.Unpooled.wrappedBuffer(call),
          new InetSocketAddress(LOOPBACK, 4000), socket, replies);
      assertEquals(1, endpoint.dropped.sum());
      endpoint.receive(io.netty.buffer.Unpooled.wrappedBuffer(call),
          new InetSocketAddress(loopback6, 4000), socket, replies);
      assertEquals(new InetSocketAddress(loopback6, 4000), replied.get(), "a real IPv6 caller's runs");
    }
  }
}
