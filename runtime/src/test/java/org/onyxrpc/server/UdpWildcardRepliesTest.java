package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.onyxrpc.client.IoStrategy;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.testing.LoopbackHosts;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.testing.Unavailable;
import org.onyxrpc.transport.Transport;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * A UDP server on a wildcard address answers from the address each call was sent to, so that a
 * connected client, which takes replies from that address only, gets them.
 *
 * <p>Linux routes all of 127.0.0.0/8 to the loopback interface, which answers 127.0.0.2 from
 * 127.0.0.1: the multi-homed host's problem, on one machine and without privileges. Only
 * 127.0.0.1 is the interface's address, though, so the servers here are told that 127.0.0.2 is
 * one too, as {@code ip addr add 127.0.0.2/8 dev lo} would make it.
 */
class UdpWildcardRepliesTest {
  static final InetAddress LOOPBACK = LoopbackHosts.host("127.0.0.1");
  static final InetAddress OTHER = LoopbackHosts.host("127.0.0.2");
  static final InetAddress LOOPBACK6 = LoopbackHosts.host("::1");
  static final InetAddress ANY = LoopbackHosts.host("0.0.0.0");
  static final InetAddress ANY6 = LoopbackHosts.host("::");
  /** Long enough for a loaded machine; a reply that is dropped never comes anyway. */
  static final Duration TIMEOUT = Duration.ofSeconds(5);

  final TestService service = new TestService();

  /** How the servers' UDP sockets wait; {@link DedicatedUdpThreadTest} runs every test again. */
  UdpIo udpIo() {
    return UdpIo.EVENT_LOOP;
  }

  RpcServer server(InetAddress bind, InetAddress... interfaces) throws IOException {
    return RpcServer.builder().bind(bind, 0).directory(Directory.none()).udpIo(udpIo())
        .interfaceAddresses(List.of(interfaces))
        .addService(service.definition()).build().start();
  }

  static void assumeUsable(InetAddress address) {
    assumeUsable(address, System.getenv());
  }

  /**
   * Skips the test when {@code address} cannot be bound, and fails it under CI ({@code
   * environment}): a CI container without ::1 must not pass these tests by skipping them.
   */
  static void assumeUsable(InetAddress address, Map<String, String> environment) {
    try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(address, 0))) {
      // bound: the address is this machine's
    } catch (IOException e) {
      Unavailable.because(address.getHostAddress() + " is not usable here (" + e.getMessage()
          + "): this test assumes Linux, where all of 127.0.0.0/8 reaches the loopback interface,"
          + " and ::1 for IPv6", environment);
    }
  }

  /**
   * An address this machine does not have (TEST-NET-1, as ::1 is missing where IPv6 is off)
   * fails the test under CI and skips it elsewhere. Before, it was skipped under CI too: a CI
   * container without ::1 passed the IPv6 tests of this class and DedicatedUdpThreadTest silently.
   */
  @Test
  void anUnusableAddressFailsUnderCiAndSkipsElsewhere() {
    InetAddress elsewhere = LoopbackHosts.host("192.0.2.1");
    assertThrows(AssertionFailedError.class,
        () -> assumeUsable(elsewhere, Map.of("CI", "true")));
    assertThrows(TestAbortedException.class, () -> assumeUsable(elsewhere, Map.of()));
  }

  static int add(InetAddress to, int port, IoStrategy io, int a, int b) {
    try (RpcClient client = RpcClient.builder().address(new InetSocketAddress(to, port))
        .transport(Transport.UDP).ioStrategy(io).timeout(TIMEOUT).build()) {
      return client.call(TestService.ADD, new TestService.Pair(a, b));
    }
  }

  @ParameterizedTest
  @EnumSource(IoStrategy.class)
  void anOnyxClientCallingTheSecondAddressGetsItsReply(IoStrategy io) throws Exception {
    assumeUsable(OTHER);
    try (RpcServer server = server(ANY, LOOPBACK, OTHER)) {
      assertEquals(5, add(OTHER, server.port(), io, 2, 3));
      assertEquals(7, add(LOOPBACK, server.port(), io, 3, 4));
    }
  }

  @Test
  void aConnectedJdkSocketGetsItsReplyFromTheAddressItCalled() throws Exception {
    assumeUsable(OTHER);
    try (RpcServer server = server(ANY, LOOPBACK, OTHER);
        DatagramSocket client = new DatagramSocket()) {
      client.connect(new InetSocketAddress(OTHER, server.port())); // takes datagrams from there only
      client.setSoTimeout((int) TIMEOUT.toMillis());
      byte[] ping = RawTcpPeer.call(0x5151, 2, TestService.PROGRAM, 1, 0, OpaqueAuth.NONE, new byte[0]);
      client.send(new DatagramPacket(ping, ping.length));
      DatagramPacket reply = new DatagramPacket(new byte[512], 512);
      client.receive(reply);
      assertEquals(new InetSocketAddress(OTHER, server.port()), reply.getSocketAddress());
      assertEquals(0x5151, ByteBuffer.wrap(reply.getData()).getInt(), "the reply's xid");
    }
  }

  @ParameterizedTest
  @EnumSource(IoStrategy.class)
  void aDualStackWildcardAnswersIpv4AndIpv6FromTheAddressCalled(IoStrategy io) throws Exception {
    assumeUsable(OTHER);
    assumeUsable(LOOPBACK6);
    try (RpcServer server = server(ANY6, LOOPBACK, OTHER, LOOPBACK6)) {
      assertEquals(5, add(OTHER, server.port(), io, 2, 3));
      assertEquals(9, add(LOOPBACK6, server.port(), io, 4, 5));
      assertEquals(3, server.udpAddresses().size() - 1, "a socket per address beside [::]");
    }
  }

  @Test
  void byDefaultAWildcardPortBindsTheAddressesOfTheMachinesInterfaces() throws Exception {
    try (RpcServer server = RpcServer.builder().port(0).directory(Directory.none()).udpIo(udpIo())
        .addService(service.definition()).build().start()) {
      List<InetSocketAddress> bound = server.udpAddresses();
      InetAddress wildcard = bound.get(0).getAddress();
      assertTrue(wildcard.isAnyLocalAddress(), bound.toString());
      assertTrue(bound.contains(new InetSocketAddress(LOOPBACK, server.port())), bound.toString());
      assertTrue(bound.stream().allMatch(a -> a.getPort() == server.port()), bound.toString());
      assertEquals(7, add(LOOPBACK, server.port(), IoStrategy.EVENT_LOOP, 3, 4));
      // No IPv6 here: IPv4 addresses only (a dedicated thread's wildcard is IPv4's alone anyway).
      if (wildcard instanceof java.net.Inet4Address && udpIo() == UdpIo.EVENT_LOOP) {
        assertTrue(bound.stream().allMatch(a -> a.getAddress() instanceof java.net.Inet4Address),
            bound.toString());
      }
    }
  }

  @Test
  void aSpecificAddressGetsOneSocket() throws Exception {
    try (RpcServer server = server(LOOPBACK, LOOPBACK, OTHER)) {
      assertEquals(List.of(new InetSocketAddress(LOOPBACK, server.port())), server.udpAddresses());
    }
  }

  @Test
  void anAddressThatCannotBeBoundIsLeftToTheWildcard() throws Exception {
    InetAddress notOurs = LoopbackHosts.host("203.0.113.9"); // TEST-NET-3: no machine's own
    try (RpcServer server = server(ANY, notOurs, LOOPBACK)) {
      assertEquals(List.of(new InetSocketAddress(LOOPBACK, server.port())),
          server.udpAddresses().subList(1, server.udpAddresses().size()));
      assertEquals(5, add(LOOPBACK, server.port(), IoStrategy.EVENT_LOOP, 2, 3));
    }
  }

  @Test
  void thePortStaysTheServersAloneAndIsFreedWhenItCloses() throws Exception {
    assumeUsable(OTHER);
    RpcServer server = server(ANY, LOOPBACK, OTHER);
    int port = server.port();
    try {
      // SO_REUSEADDR was needed to bind the addresses beside the wildcard, and is cleared again.
      for (InetAddress at : List.of(ANY, LOOPBACK, OTHER, LoopbackHosts.host("127.0.0.3"))) {
        try (DatagramChannel intruder = DatagramChannel.open()) {
          intruder.setOption(StandardSocketOptions.SO_REUSEADDR, true);
          assertThrows(BindException.class, () -> intruder.bind(new InetSocketAddress(at, port)),
              at.getHostAddress());
        }
      }
    } finally {
      server.close();
    }
    try (DatagramSocket after = new DatagramSocket(new InetSocketAddress(ANY, port))) {
      assertEquals(port, after.getLocalPort(), "every socket of the port was closed");
    }
  }

  @Test
  void aPortHeldOnOneAddressIsAClearError() throws Exception {
    assumeUsable(OTHER);
    try (DatagramSocket holder = new DatagramSocket(new InetSocketAddress(OTHER, 0))) {
      int port = holder.getLocalPort();
      RpcServerBuilder builder = RpcServer.builder().bind(ANY, port).transports(Transport.UDP)
          .directory(Directory.none()).udpIo(udpIo()).interfaceAddresses(List.of(LOOPBACK, OTHER))
          .addService(service.definition());
      IOException e = assertThrows(IOException.class, () -> builder.build().start());
      assertTrue(e.getMessage().startsWith("cannot listen on UDP 0.0.0.0:" + port + ": "),
          e.getMessage());
    }
  }

  @Test
  void theDirectoryListsTheOnePort() throws Exception {
    assumeUsable(OTHER);
    try (LocalDirectory directory = new LocalDirectory(new InMemoryDirectoryStore());
        RpcServer server = RpcServer.builder().port(0).directory(directory).udpIo(udpIo())
            .interfaceAddresses(List.of(LOOPBACK, OTHER))
            .addService(service.definition()).build().start()) {
      assertEquals(server.port(), directory.address(TestService.PROGRAM, 1, Transport.UDP).getPort());
      assertEquals(server.port(), directory.address(TestService.PROGRAM, 1, Transport.TCP).getPort());
      assertEquals(5, add(OTHER, server.port(), IoStrategy.EVENT_LOOP, 2, 3));
    }
  }
}
