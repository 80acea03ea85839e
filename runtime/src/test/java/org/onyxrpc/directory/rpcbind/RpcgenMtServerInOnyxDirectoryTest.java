package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.onyxrpc.directory.remote.DirectoryClient;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.transport.Transport;

/**
 * rpcgen's whole server in its MT-safe form ({@code rpcgen -M -s tcp}: the generated main, the
 * dispatcher passing a result the procedure fills in, and a freeresult routine), restricted to
 * TCP, registered with the Onyx directory through its local socket: rpcinfo lists it over TCP
 * only, an Onyx DirectoryClient and rpcgen's C client reach it over TCP, and over UDP both are
 * told that nothing serves the program there, not sent anywhere.
 */
@ResourceLock("port 111")
@SuppressWarnings("try") // the directory held open by try-with-resources
class RpcgenMtServerInOnyxDirectoryTest {
  private static final String PROG = Integer.toString(TestService.PROGRAM); // 536871169

  @TempDir Path work;
  private NativeTools tools;

  @BeforeEach
  void claimPort111() {
    NativeTools.require("rpcgen", "gcc", "rpcinfo");
    tools = new NativeTools(work);
    NativeTools.awaitPort111();
  }

  @AfterEach
  void stopProcesses() {
    tools.close();
  }

  @Test
  void anMtSafeTcpOnlyRpcgenServerIsFoundOverTcpOnly() throws Exception {
    if (!Files.isWritable(NativeTools.RPCBIND_SOCKET.getParent())) {
      NativeTools.unavailable("rpcgen servers register on " + NativeTools.RPCBIND_SOCKET + ", which needs root");
    }
    Path server = mtServer();
    Path client = tools.rpcgenClient();
    try (DirectoryFixture directory = new DirectoryFixture(Portmap.PORT, NativeTools.RPCBIND_SOCKET);
        DirectoryClient overTcp = DirectoryClient.builder().directory(directory.directory)
            .program(TestService.PROGRAM, 1).build();
        DirectoryClient overUdp = DirectoryClient.builder().directory(directory.directory)
            .program(TestService.PROGRAM, 1).transport(Transport.UDP).build()) {
      tools.start(server.toString());
      NamesAndLeasesTest.awaitTrue(() -> !directory.directory.lookup(TestService.PROGRAM, 1).isEmpty(),
          Duration.ofSeconds(20));
      String p = tools.run("rpcinfo", "-p", "127.0.0.1");
      assertTrue(Pattern.compile("(?m)^\\s*" + PROG + "\\s+1\\s+tcp\\s+\\d+").matcher(p).find(), p);
      assertFalse(Pattern.compile("(?m)^\\s*" + PROG + "\\s+1\\s+udp\\s").matcher(p).find(), p);

      assertEquals(42, overTcp.call(TestService.ADD, new TestService.Pair(2, 40)));
      assertEquals("add(2, 40) = 42 over tcp\n", tools.run(client.toString(), "127.0.0.1", "tcp"));

      RpcException e = assertThrows(RpcException.class,
          () -> overUdp.call(TestService.ADD, new TestService.Pair(2, 40)));
      assertEquals(RpcStatus.UNAVAILABLE, e.status(), e.getMessage());
      assertTrue(e.getMessage().startsWith("no instance of program 0x20000101 version 1 over UDP"),
          e.getMessage());
      assertEquals(new NativeTools.Result(1, "127.0.0.1: RPC: Program not registered\n"),
          tools.runAllowingFailure(client.toString(), "127.0.0.1", "udp"));
    }
  }

  /** rpcgen -M -s tcp's server of TestService's program, its procedure filling in the result. */
  private Path mtServer() throws Exception {
    tools.write("mt.x", """
        struct pair { int a; int b; };
        program TESTPROG { version TESTVERS { int ADD(pair) = 1; } = 1; } = 0x20000101;
        """);
    tools.write("mt_impl.c", """
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
    tools.run("rpcgen", "-M", "-h", "-o", "mt.h", "mt.x");
    tools.run("rpcgen", "-M", "-c", "-o", "mt_xdr.c", "mt.x");
    tools.run("rpcgen", "-M", "-s", "tcp", "-o", "mt_svc.c", "mt.x");
    tools.run("gcc", "-std=gnu11", "-O1", "-I" + NativeTools.TIRPC_INCLUDE, "-I" + work,
        "-o", "mt_server", "mt_svc.c", "mt_impl.c", "mt_xdr.c", "-ltirpc");
    return work.resolve("mt_server");
  }
}
