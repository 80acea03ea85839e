package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.remote.DirectoryClient;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.transport.Transport;

/**
 * rpcgen's whole servers (the generated main and dispatcher) registered with the Onyx directory
 * through its local socket, as with rpcbind, and found there by rpcinfo, an Onyx DirectoryClient
 * and rpcgen's C client.
 */
@ResourceLock("port 111")
@SuppressWarnings("try") // the directory held open by try-with-resources
class RpcgenServersInOnyxDirectoryTest {
  private static final String PROG = Integer.toString(TestService.PROGRAM); // 536871169

  @TempDir Path work;
  @RegisterExtension final Port111 port111 = Port111.in(() -> work).requiring("rpcgen", "gcc", "rpcinfo")
      .registeringThroughTheRpcbindSocket("rpcgen servers register on");

  private NativeTools tools() {
    return port111.tools();
  }

  /**
   * An rpcgen server registered with the Onyx directory (through its local socket, as with
   * rpcbind) and then killed with SIGKILL, so nothing unregisters it. As rpcbind does, the
   * directory keeps its entries (an rpcbind SET has no lease; only UNSET removes it), so rpcinfo -p
   * lists the dead port; every caller is refused at once and truthfully (a TCP connection refused,
   * an ICMP port unreachable for UDP): the Onyx DirectoryClient with UNAVAILABLE (the call never
   * ran), the C client and rpcinfo with libtirpc's "Connection refused". The restarted rpcgen
   * server unsets its program first (pmap_unset, through the local socket) and registers again, so
   * every caller finds the new port.
   */
  @Test
  void aKilledCServersEntriesStayAndItsRestartReplacesThem() throws Exception {
    Path server = tools().rpcgenServer();
    Path client = tools().rpcgenClient();
    try (DirectoryFixture directory = new DirectoryFixture(Portmap.PORT, NativeTools.RPCBIND_SOCKET)) {
      Process c = tools().start(server.toString());
      int dead = awaitTcpPortOtherThan(directory, -1);
      try (DirectoryClient before = DirectoryClient.builder().directory(directory.directory)
          .program(TestService.PROGRAM, 1).build()) {
        assertEquals(42, before.call(TestService.ADD, new TestService.Pair(2, 40)));
      }
      c.destroyForcibly().waitFor(1, TimeUnit.MINUTES); // SIGKILL: nothing unregisters

      // As rpcbind, the directory keeps what was SET until UNSET: it has no lease to end.
      String p = tools().run("rpcinfo", "-p", "127.0.0.1");
      assertTrue(Pattern.compile("(?m)^\\s*" + PROG + "\\s+1\\s+tcp\\s+" + dead + "\\b").matcher(p).find(), p);
      // Nothing listens there: the connection is refused, so the call was never sent, and every
      // caller is told so at once (no timeout to wait for). A new client: one still holding a
      // connection to the killed server may write a call before its event loop reads the close,
      // and that call, sent, is rightly OUTCOME_UNKNOWN (CI saw it so).
      try (DirectoryClient onyx = DirectoryClient.builder().directory(directory.directory)
          .program(TestService.PROGRAM, 1).build()) {
        RpcException e = assertThrows(RpcException.class,
            () -> onyx.call(TestService.ADD, new TestService.Pair(2, 40)));
        assertEquals(RpcStatus.UNAVAILABLE, e.status(), e.getMessage());
        assertTrue(e.getMessage().contains("Connection refused"), e.getMessage());
        NativeTools.Result tcp = tools().runAllowingFailure(client.toString(), "127.0.0.1", "tcp");
        assertEquals("127.0.0.1: RPC: Remote system error - Connection refused\n", tcp.output());
        NativeTools.Result ping = tools().runAllowingFailure("rpcinfo", "-T", "tcp", "127.0.0.1", PROG, "1");
        assertTrue(ping.exit() != 0 && ping.output().contains("RPC: Remote system error - Connection refused"),
            ping.output());
        try (DirectoryClient overUdp = DirectoryClient.builder().directory(directory.directory)
            .program(TestService.PROGRAM, 1).transport(Transport.UDP).build()) {
          RpcException u = assertThrows(RpcException.class,
              () -> overUdp.call(TestService.ADD, new TestService.Pair(2, 40)));
          // The kernel's ICMP port unreachable: no process had the port, so the call never ran.
          assertEquals(RpcStatus.UNAVAILABLE, u.status(), u.getMessage());
          assertTrue(u.getMessage().contains("ICMP port unreachable"), u.getMessage());
        }
        NativeTools.Result udp = tools().runAllowingFailure(client.toString(), "127.0.0.1", "udp");
        assertEquals("add: RPC: Unable to receive; errno = Connection refused\n", udp.output());
        NativeTools.Result pingUdp = tools().runAllowingFailure("rpcinfo", "-T", "udp", "127.0.0.1", PROG, "1");
        assertTrue(pingUdp.exit() != 0 && pingUdp.output().contains("RPC: Unable to receive; errno = Connection refused"),
            pingUdp.output());

        // rpcgen's main unsets its program first (pmap_unset), so the restarted server's entries
        // replace the dead ones and every caller finds it again.
        tools().start(server.toString());
        awaitTcpPortOtherThan(directory, dead);
        assertEquals(42, onyx.call(TestService.ADD, new TestService.Pair(2, 40)));
        assertEquals("add(2, 40) = 42 over tcp\n", tools().run(client.toString(), "127.0.0.1", "tcp"));
        assertEquals("add(2, 40) = 42 over udp\n", tools().run(client.toString(), "127.0.0.1", "udp"));
      }
    }
  }

  /** The C server's TCP port once the directory lists it over TCP and UDP, not at {@code old}. */
  private static int awaitTcpPortOtherThan(DirectoryFixture directory, int old) {
    int[] port = {-1};
    NamesAndLeasesTest.awaitTrue(() -> {
      var instances = directory.directory.lookup(TestService.PROGRAM, 1);
      port[0] = instances.stream().filter(i -> i.netid().equals("tcp")).mapToInt(
          i -> i.socketAddress().getPort()).findFirst().orElse(-1);
      return instances.size() >= 2 && port[0] > 0 && port[0] != old
          && instances.stream().map(ServiceInstance::netid).anyMatch("udp"::equals);
    }, Duration.ofSeconds(20));
    return port[0];
  }

  /**
   * rpcgen's whole server in its MT-safe form ({@code rpcgen -M -s tcp}: the generated main, the
   * dispatcher passing a result the procedure fills in, and a freeresult routine), restricted to
   * TCP, registered with the Onyx directory through its local socket: rpcinfo lists it over TCP
   * only, an Onyx DirectoryClient and rpcgen's C client reach it over TCP, and over UDP both are
   * told that nothing serves the program there, not sent anywhere.
   */
  @Test
  void anMtSafeTcpOnlyRpcgenServerIsFoundOverTcpOnly() throws Exception {
    Path server = mtServer();
    Path client = tools().rpcgenClient();
    try (DirectoryFixture directory = new DirectoryFixture(Portmap.PORT, NativeTools.RPCBIND_SOCKET);
        DirectoryClient overTcp = DirectoryClient.builder().directory(directory.directory)
            .program(TestService.PROGRAM, 1).build();
        DirectoryClient overUdp = DirectoryClient.builder().directory(directory.directory)
            .program(TestService.PROGRAM, 1).transport(Transport.UDP).build()) {
      tools().start(server.toString());
      NamesAndLeasesTest.awaitTrue(() -> !directory.directory.lookup(TestService.PROGRAM, 1).isEmpty(),
          Duration.ofSeconds(20));
      String p = tools().run("rpcinfo", "-p", "127.0.0.1");
      assertTrue(Pattern.compile("(?m)^\\s*" + PROG + "\\s+1\\s+tcp\\s+\\d+").matcher(p).find(), p);
      assertFalse(Pattern.compile("(?m)^\\s*" + PROG + "\\s+1\\s+udp\\s").matcher(p).find(), p);

      assertEquals(42, overTcp.call(TestService.ADD, new TestService.Pair(2, 40)));
      assertEquals("add(2, 40) = 42 over tcp\n", tools().run(client.toString(), "127.0.0.1", "tcp"));

      RpcException e = assertThrows(RpcException.class,
          () -> overUdp.call(TestService.ADD, new TestService.Pair(2, 40)));
      assertEquals(RpcStatus.UNAVAILABLE, e.status(), e.getMessage());
      assertTrue(e.getMessage().startsWith("no instance of program 0x20000101 version 1 over UDP"),
          e.getMessage());
      assertEquals(new NativeTools.Result(1, "127.0.0.1: RPC: Program not registered\n"),
          tools().runAllowingFailure(client.toString(), "127.0.0.1", "udp"));
    }
  }

  /** rpcgen -M -s tcp's server of TestService's program, its procedure filling in the result. */
  private Path mtServer() throws Exception {
    tools().write("mt.x", """
        struct pair { int a; int b; };
        program TESTPROG { version TESTVERS { int ADD(pair) = 1; } = 1; } = 0x20000101;
        """);
    tools().write("mt_impl.c", """
        #include "mt.h"

        bool_t add_1_svc(pair *args, int *sum, struct svc_req *request) {
          *sum = args->a + args->b;
          return TRUE;
        }

        int testprog_1_freeresult(SVCXPRT *transport, xdrproc_t xdr_result, caddr_t result) {
          xdr_free(xdr_result, result);
          return TRUE;
        }
        """);
    tools().run("rpcgen", "-M", "-h", "-o", "mt.h", "mt.x");
    tools().run("rpcgen", "-M", "-c", "-o", "mt_xdr.c", "mt.x");
    tools().run("rpcgen", "-M", "-s", "tcp", "-o", "mt_svc.c", "mt.x");
    tools().run("gcc", "-std=gnu11", "-O1", "-I" + NativeTools.TIRPC_INCLUDE, "-I" + work,
        "-o", "mt_server", "mt_svc.c", "mt_impl.c", "mt_xdr.c", "-ltirpc");
    return work.resolve("mt_server");
  }
}
