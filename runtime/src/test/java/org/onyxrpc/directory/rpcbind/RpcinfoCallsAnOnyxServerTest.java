package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.time.Duration;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.directory.remote.RemoteDirectory;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.testing.TestService;

/**
 * rpcinfo calling an Onyx server at its universal address ({@code -a UADDR -T netid}), no
 * directory involved ({@code -n PORT} does not do without one: rpcinfo looks the program up on
 * port 111 first). The server serves versions 1 and 3 of the program, so asking for every version
 * finds the range in the PROG_MISMATCH answer to version 0 and pings each, version 2 refused with
 * that range, as libtirpc's servers answer. The last test asks the same through an Onyx directory
 * on port 111, as {@code rpcinfo -T netid HOST PROG} does.
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
}
