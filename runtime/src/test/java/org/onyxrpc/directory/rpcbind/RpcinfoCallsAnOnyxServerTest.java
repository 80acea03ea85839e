package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.remote.RemoteDirectory;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.testing.Unavailable;

/**
 * rpcinfo calling an Onyx server at its universal address ({@code -a UADDR -T netid}), no
 * directory involved ({@code -n PORT} does not do without one: rpcinfo looks the program up on
 * port 111 first). The server serves versions 1 and 3 of the program, so asking for every version
 * finds the range in the PROG_MISMATCH answer to version 0 and pings each, version 2 refused with
 * that range, as libtirpc's servers answer. The last tests ask the same through an Onyx directory
 * on port 111, as {@code rpcinfo -T netid HOST PROG} does, over IPv4 and, of a server bound to
 * {@code ::1}, over tcp6 and udp6.
 */
class RpcinfoCallsAnOnyxServerTest {
  private static final String PROG = Integer.toString(TestService.PROGRAM);

  @TempDir Path work;
  private NativeTools tools;
  private RpcServer server;

  @BeforeEach
  void start() throws Exception {
    tools = new NativeTools(work);
    NativeTools.require("rpcinfo");
    server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0).directory(Directory.none())
        .addService(new TestService().definition())
        .addService(ServiceDefinition.builder(TestService.PROGRAM, 3).build())
        .build().start();
  }

  @AfterEach
  void stop() {
    tools.close();
    if (server != null) {
      server.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tcp", "udp"})
  void rpcinfoPingsEveryVersionAtAUniversalAddress(String netid) throws Exception {
    String uaddr = "127.0.0.1." + (server.port() >> 8) + "." + (server.port() & 0xff);
    String mismatch = "rpcinfo: RPC: Program/version mismatch; low version = 1, high version = 3\n";
    assertEquals(new NativeTools.Result(1, mismatch
            + "program " + PROG + " version 1 ready and waiting\n"
            + "program " + PROG + " version 2 is not available\n"
            + "program " + PROG + " version 3 ready and waiting\n"),
        tools.runAllowingFailure("rpcinfo", "-a", uaddr, "-T", netid, PROG));
    assertEquals(new NativeTools.Result(0, "program " + PROG + " version 3 ready and waiting\n"),
        tools.runAllowingFailure("rpcinfo", "-a", uaddr, "-T", netid, PROG, "3"));
    assertEquals(new NativeTools.Result(1, mismatch + "program " + PROG + " version 2 is not available\n"),
        tools.runAllowingFailure("rpcinfo", "-a", uaddr, "-T", netid, PROG, "2"));
    String other = Integer.toString(TestService.PROGRAM + 1);
    assertEquals(new NativeTools.Result(1,
            "rpcinfo: RPC: Program unavailable\nprogram " + other + " version 1 is not available\n"),
        tools.runAllowingFailure("rpcinfo", "-a", uaddr, "-T", netid, other, "1"));
  }

  /**
   * The same server registered in an Onyx directory on port 111, asked by rpcinfo through it
   * ({@code -T netid HOST PROG}, no {@code -a}): for every version, rpcinfo looks up version 0
   * (GETADDR, which answers with another version's address, as rpcbind's find_service does),
   * learns the range 1..3 from the server's PROG_MISMATCH and pings each version there, version 2
   * refused; asked for version 2 alone, it is sent to the server the same way and refused with
   * the range, where a look-up of that exact version would have said "not registered".
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tcp", "udp"})
  @ResourceLock("port 111")
  @SuppressWarnings("try") // the directory is held open by try-with-resources
  void rpcinfoPingsEveryVersionThroughTheDirectory(String netid) throws Exception {
    NativeTools.awaitPort111();
    try (DirectoryFixture directory = new DirectoryFixture(Portmap.PORT);
        RemoteDirectory remote = RemoteDirectory.at("127.0.0.1");
        RpcServer registered = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
            .directory(remote)
            .addService(new TestService().definition())
            .addService(ServiceDefinition.builder(TestService.PROGRAM, 3).build())
            .build().start()) {
      NamesAndLeasesTest.awaitTrue(() -> remote.lookup(TestService.PROGRAM, 3).size() >= 2,
          Duration.ofSeconds(20));
      String mismatch = "rpcinfo: RPC: Program/version mismatch; low version = 1, high version = 3\n";
      assertEquals(new NativeTools.Result(1, mismatch
              + "program " + PROG + " version 1 ready and waiting\n"
              + "program " + PROG + " version 2 is not available\n"
              + "program " + PROG + " version 3 ready and waiting\n"),
          tools.runAllowingFailure("rpcinfo", "-T", netid, "127.0.0.1", PROG));
      assertEquals(new NativeTools.Result(1, mismatch + "program " + PROG + " version 2 is not available\n"),
          tools.runAllowingFailure("rpcinfo", "-T", netid, "127.0.0.1", PROG, "2"));
      assertEquals(new NativeTools.Result(0, "program " + PROG + " version 3 ready and waiting\n"),
          tools.runAllowingFailure("rpcinfo", "-T", netid, "127.0.0.1", PROG, "3"));
    }
  }

  /**
   * An Onyx server bound to {@code ::1} alone registers tcp6 and udp6 at {@code ::1.p1.p2} in an
   * Onyx directory on port 111, and rpcinfo finds and pings it over IPv6: through the directory
   * at {@code ::1} ({@code -T tcp6 ::1 PROG}, GETADDR over IPv6, as {@code clnt_create(host, prog,
   * vers, "tcp6")} asks), and at the universal address the directory lists ({@code -a}).
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tcp6", "udp6"})
  @ResourceLock("port 111")
  @SuppressWarnings("try") // the directory is held open by try-with-resources
  void rpcinfoReachesAServerOnTheIpv6LoopbackThroughTheDirectory(String netid) throws Exception {
    InetAddress loopback6 = InetAddress.getByName("::1");
    try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(loopback6, 0))) {
      // ::1 can be bound
    } catch (SocketException e) {
      Unavailable.because(netid + " needs ::1; binding it failed: " + e.getMessage());
    }
    NativeTools.awaitPort111();
    // On every address (DirectoryFixture's is 127.0.0.1 alone), as rpcbind listens: rpcinfo asks ::1.
    try (DirectoryServer directory = DirectoryServer.builder().port(Portmap.PORT)
            .directory(new LocalDirectory(new InMemoryDirectoryStore())).build().start();
        RemoteDirectory remote = RemoteDirectory.at("127.0.0.1");
        RpcServer registered = RpcServer.builder().bind(loopback6, 0).directory(remote)
            .addService(new TestService().definition())
            .addService(ServiceDefinition.builder(TestService.PROGRAM, 3).build())
            .build().start()) {
      NamesAndLeasesTest.awaitTrue(() -> remote.lookup(TestService.PROGRAM, 3).size() >= 2,
          Duration.ofSeconds(20));
      String uaddr = "::1." + (registered.port() >> 8) + "." + (registered.port() & 0xff);
      assertEquals(Set.of("tcp6 " + uaddr, "udp6 " + uaddr), remote.lookup(TestService.PROGRAM, 3).stream()
          .map(i -> i.netid() + " " + i.address()).collect(Collectors.toSet()));
      String mismatch = "rpcinfo: RPC: Program/version mismatch; low version = 1, high version = 3\n";
      String every = mismatch
          + "program " + PROG + " version 1 ready and waiting\n"
          + "program " + PROG + " version 2 is not available\n"
          + "program " + PROG + " version 3 ready and waiting\n";
      assertEquals(new NativeTools.Result(1, every), tools.runAllowingFailure("rpcinfo", "-T", netid, "::1", PROG));
      assertEquals(new NativeTools.Result(0, "program " + PROG + " version 3 ready and waiting\n"),
          tools.runAllowingFailure("rpcinfo", "-T", netid, "::1", PROG, "3"));
      assertEquals(new NativeTools.Result(1, every), tools.runAllowingFailure("rpcinfo", "-a", uaddr, "-T", netid, PROG));
    }
  }
}
