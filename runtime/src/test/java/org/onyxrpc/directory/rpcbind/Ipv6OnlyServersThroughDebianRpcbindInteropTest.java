package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.remote.DirectoryClient;
import org.onyxrpc.directory.remote.RemoteDirectory;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.testing.Unavailable;
import org.onyxrpc.transport.Transport;

/**
 * Servers on this machine that listen over IPv6 alone, found by an Onyx client through Debian's
 * rpcbind asked at 127.0.0.1: a C server of libtirpc's transport-independent API
 * ({@code svc_tp_create} on tcp6 and udp6, tp_server.c) and an Onyx server bound to {@code ::1}.
 * rpcbind's GETADDRLIST answers a caller only the entries of its own address family, so over
 * IPv4 it lists neither (as {@code rpcinfo -l -T tcp 127.0.0.1} shows), though its DUMP has them
 * and a C client reaches them by asking rpcbind over IPv6 ({@code clnt_tp_create} on tcp6). An
 * Onyx client of a directory on this machine finds them too, at {@code ::1}, over TCP and UDP.
 */
@ResourceLock("port 111")
@SuppressWarnings("try") // servers and directories held open by try-with-resources
class Ipv6OnlyServersThroughDebianRpcbindInteropTest {
  private static final int C_PROGRAM = TestService.PROGRAM + 2;
  private static final String C_PROG = Integer.toString(C_PROGRAM);

  @TempDir Path work;
  @RegisterExtension final Port111 port111 = Port111.in(() -> work).requiring("rpcgen", "gcc", "rpcinfo", "rpcbind");

  private NativeTools tools() {
    return port111.tools();
  }

  @Test
  void anOnyxClientFindsIpv6OnlyServersThroughRpcbindAskedOverIpv4() throws Exception {
    if (!Files.isWritable(NativeTools.RPCBIND_SOCKET.getParent())) {
      Unavailable.because("C servers register through " + NativeTools.RPCBIND_SOCKET + ", which needs root");
    }
    InetAddress ipv6Loopback = NativeTools.ipv6Loopback();
    tools().buildTransportIndependentPeers("tp_client");
    tools().withDebianRpcbind(() -> {
      String ready = tools().startAndReadLine(work.resolve("tp_server").toString(), C_PROG, "tp", "tcp6", "udp6");
      if (!ready.equals("ready")) {
        fail("tp_server printed " + ready);
      }
      try (RemoteDirectory debian = RemoteDirectory.builder().address("127.0.0.1", Portmap.PORT).build();
          RpcServer onyx = RpcServer.builder().bind(ipv6Loopback, 0).directory(debian)
              .addService(new TestService().definition()).build().start()) {
        // What C sees: nothing over IPv4, the server over IPv6.
        assertEquals("No remote programs registered.\n",
            tools().runAllowingFailure("rpcinfo", "-l", "-T", "tcp", "127.0.0.1", C_PROG, "1").output());
        assertEquals("add(2, 40) = 42 over tcp6\n",
            tools().run(work.resolve("tp_client").toString(), "::1", C_PROG, "tcp6"));

        awaitRegistered(debian, TestService.PROGRAM);
        assertFoundAtIpv6Loopback(debian, TestService.PROGRAM, onyx.port());
        assertFoundAtIpv6Loopback(debian, C_PROGRAM, -1);
        Procedure<TestService.Pair, Integer> cAdd = new Procedure<>(C_PROGRAM, 1,
            TestService.ADD.number(), "C.add", TestService.ADD.arguments(), TestService.ADD.result());
        for (Transport transport : List.of(Transport.TCP, Transport.UDP)) {
          for (Procedure<TestService.Pair, Integer> add : List.of(TestService.ADD, cAdd)) {
            try (DirectoryClient c = DirectoryClient.builder().directory(debian)
                .program(add.program(), 1).transport(transport).build()) {
              assertEquals(42, c.call(add, new TestService.Pair(2, 40)), transport + " " + add);
            }
          }
        }
      }
    });
  }

  /**
   * The Onyx server's registration may still be on its way when start() returns: awaited in
   * rpcbind's DUMP, which lists every family to every caller.
   */
  private static void awaitRegistered(RemoteDirectory directory, int program) {
    NamesAndLeasesTest.awaitTrue(() -> directory.versions(program, Transport.TCP).contains(1),
        Duration.ofSeconds(20));
  }

  /** {@code program} version 1 is found over tcp6 and udp6 at ::1 (at {@code port} unless -1). */
  private static void assertFoundAtIpv6Loopback(RemoteDirectory directory, int program, int port) {
    List<ServiceInstance> found = directory.lookup(program, 1);
    assertEquals(Set.of("tcp6", "udp6"), found.stream().map(ServiceInstance::netid).collect(Collectors.toSet()),
        found.toString());
    for (ServiceInstance i : found) {
      InetSocketAddress at = i.socketAddress();
      assertEquals("::1", at.getAddress().getHostAddress().replace("0:0:0:0:0:0:0:1", "::1"), found.toString());
      if (port != -1) {
        assertEquals(port, at.getPort(), found.toString());
      }
    }
  }

}
