package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.remote.DirectoryClient;
import org.onyxrpc.directory.remote.RemoteDirectory;
import org.onyxrpc.internal.rpcbind.Owners;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.testing.TestService;

/**
 * The C world finds Onyx services through an Onyx directory on port 111 ({@code rpcinfo -p},
 * {@code rpcinfo -s}, {@code rpcinfo -T}, and an unmodified rpcgen client's {@code clnt_create}),
 * an unmodified rpcgen server registers with the Onyx directory (through rpcbind's local socket)
 * and is called by Onyx, and Onyx registers with and looks up through Debian's own rpcbind. Every phase owns port 111
 * of 127.0.0.1 alone and frees it before the next: the Onyx directory and rpcbind never meet.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ResourceLock("port 111")
@SuppressWarnings("try") // directories and servers held open by try-with-resources
class RpcbindInteropTest {
  private static final String NAME = "org.onyxrpc.testing.TestService";
  private static final String PROG = Integer.toString(TestService.PROGRAM); // 536871169
  private static final Path RPCBIND_SOCKET = Path.of("/run/rpcbind.sock");

  @TempDir Path work;
  private NativeTools tools;

  @BeforeEach
  void claimPort111() throws Exception {
    tools = new NativeTools(work);
    for (int i = 0; i < 50 && !NativeTools.port111Free(); i++) {
      Thread.sleep(100); // the previous phase's sockets are closing
    }
    if (!NativeTools.port111Free()) {
      NativeTools.unavailable("port 111 of 127.0.0.1 is taken (an rpcbind running?) or not ours to bind");
    }
  }

  @AfterEach
  void stopProcesses() throws Exception {
    tools.close();
  }

  @Test
  @Order(1)
  void rpcinfoListsAndPingsOnyxServicesThroughAnOnyxDirectory() throws Exception {
    NativeTools.require("rpcinfo");
    try (DirectoryFixture directory = new DirectoryFixture(Portmap.PORT);
        RemoteDirectory remote = RemoteDirectory.at("127.0.0.1");
        RpcServer server = onyxServer(remote)) {
      awaitRegistered(remote);
      int port = server.port();
      String p = tools.run("rpcinfo", "-p", "127.0.0.1");
      assertTrue(Pattern.compile("(?m)^\\s*" + PROG + "\\s+1\\s+tcp\\s+" + port + "\\b").matcher(p).find(), p);
      assertTrue(Pattern.compile("(?m)^\\s*" + PROG + "\\s+1\\s+udp\\s+" + port + "\\b").matcher(p).find(), p);
      assertTrue(Pattern.compile("(?m)^\\s*100000\\s+2\\s+tcp\\s+111\\b").matcher(p).find(), p);

      String s = tools.run("rpcinfo", "-s", "127.0.0.1");
      assertTrue(Pattern.compile("(?m)^\\s*" + PROG + "\\s+1\\s+\\S*tcp\\S*\\s").matcher(s).find(), s);
      assertTrue(Pattern.compile("(?m)^\\s*100000\\s+\\S*2\\S*\\s").matcher(s).find(), s);

      for (String netid : List.of("tcp", "udp")) {
        String ping = tools.run("rpcinfo", "-T", netid, "127.0.0.1", PROG, "1");
        assertTrue(ping.contains("program " + PROG + " version 1 ready and waiting"), ping);
      }
      String missing = tools.runAllowingFailure("rpcinfo", "-T", "tcp", "127.0.0.1", "536871170", "1").output();
      assertFalse(missing.contains("ready and waiting"), missing);
    }
  }

  @Test
  @Order(2)
  void rpcgenClientFindsAnOnyxServerWithClntCreate() throws Exception {
    NativeTools.require("rpcgen", "gcc");
    Path client = buildCClient();
    try (DirectoryFixture directory = new DirectoryFixture(Portmap.PORT);
        RemoteDirectory remote = RemoteDirectory.at("127.0.0.1");
        RpcServer server = onyxServer(remote)) {
      awaitRegistered(remote);
      for (String netid : List.of("tcp", "udp")) {
        String out = tools.run(client.toString(), "127.0.0.1", netid);
        assertEquals("add(2, 40) = 42 over " + netid + "\n", out);
      }
    }
  }

  @Test
  @Order(3)
  void anRpcgenServerRegistersWithTheOnyxDirectoryAndOnyxCallsIt() throws Exception {
    NativeTools.require("rpcgen", "gcc", "rpcinfo");
    if (!Files.isWritable(RPCBIND_SOCKET.getParent())) {
      NativeTools.unavailable("rpcgen servers register on " + RPCBIND_SOCKET + ", which needs root");
    }
    Path server = buildCServer();
    try (DirectoryFixture directory = new DirectoryFixture(Portmap.PORT, RPCBIND_SOCKET)) {
      // svc_register → pmap_set → rpcb_set, through rpcbind's local socket as always.
      tools.start(server.toString());
      NamesAndLeasesTest.awaitTrue(() -> directory.directory.lookup(TestService.PROGRAM, 1).size() >= 2,
          Duration.ofSeconds(20));
      String s = tools.run("rpcinfo", "-s", "127.0.0.1");
      assertTrue(Pattern.compile("(?m)^\\s*" + PROG + "\\s+1\\s+\\S*tcp\\S*\\s+-\\s+" + Owners.self() + "\\s*$")
          .matcher(s).find(), "the owner is the uid the kernel reports:\n" + s);
      try (DirectoryClient c = DirectoryClient.builder().directory(directory.directory)
          .program(TestService.PROGRAM, 1).build()) {
        assertEquals(42, c.call(TestService.ADD, new TestService.Pair(2, 40)), "answered by the C server");
      }
      tools.run("rpcinfo", "-d", PROG, "1"); // as its owner (or root), through the local socket
      assertEquals(List.of(), directory.directory.lookup(TestService.PROGRAM, 1));
    }
    assertFalse(Files.exists(RPCBIND_SOCKET), "the local socket is removed on close");
  }

  @Test
  @Order(4)
  void onyxRegistersWithAndLooksUpThroughDebianRpcbind() throws Exception {
    NativeTools.require("rpcbind", "rpcinfo");
    boolean hadSocket = Files.exists(RPCBIND_SOCKET);
    Process rpcbind = tools.start("rpcbind", "-f");
    try {
      awaitRpcbind(rpcbind);
      registerAndLookUpThroughRpcbind();
    } finally {
      tools.close();
      if (!hadSocket) {
        Files.deleteIfExists(RPCBIND_SOCKET); // rpcbind leaves it behind on SIGTERM
      }
    }
  }

  private void registerAndLookUpThroughRpcbind() throws Exception {
    try (RemoteDirectory debian = RemoteDirectory.builder().address("127.0.0.1", Portmap.PORT).build()) {
      int port;
      try (RpcServer server = onyxServer(debian)) {
        awaitRegistered(debian);
        port = server.port();
        String p = tools.run("rpcinfo", "-p", "127.0.0.1");
        assertTrue(Pattern.compile("(?m)^\\s*" + PROG + "\\s+1\\s+tcp\\s+" + port + "\\b").matcher(p).find(), p);

        List<ServiceInstance> found = debian.lookup(TestService.PROGRAM, 1);
        assertTrue(found.stream().anyMatch(i -> i.netid().equals("tcp")
            && i.socketAddress().getPort() == port), found.toString());
        assertEquals(List.of(), debian.lookup(NAME), "rpcbind has no names");
        assertFalse(debian.keepsNames(), "and says so");
        try (DirectoryClient c = DirectoryClient.builder().directory(debian)
            .program(TestService.PROGRAM, 1).build()) {
          assertEquals(42, c.call(TestService.ADD, new TestService.Pair(2, 40)));
        }
      }
      String after = tools.run("rpcinfo", "-p", "127.0.0.1");
      assertFalse(after.contains(PROG), "the server withdrew its entries on close:\n" + after);
    }
  }

  private static RpcServer onyxServer(Directory directory) throws Exception {
    return RpcServer.builder()
        .bind(InetAddress.getLoopbackAddress(), 0)
        .directory(directory)
        .serviceName(TestService.PROGRAM, NAME)
        .addService(new TestService().definition())
        .build()
        .start();
  }

  /** start() returns before the registration on a busy machine: wait for it. */
  private static void awaitRegistered(Directory directory) throws InterruptedException {
    NamesAndLeasesTest.awaitTrue(() -> directory.lookup(TestService.PROGRAM, 1).size() >= 2,
        Duration.ofSeconds(20));
  }

  private void awaitRpcbind(Process rpcbind) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      if (!rpcbind.isAlive()) {
        fail("rpcbind -f exited with " + rpcbind.exitValue() + ":\n"
            + java.nio.file.Files.readString(work.resolve("rpcbind.log")));
      }
      if (tools.runAllowingFailure("rpcinfo", "-p", "127.0.0.1").exit() == 0) {
        return;
      }
      Thread.sleep(100);
    }
    fail("rpcbind did not answer on port 111 within 15 s");
  }

  private void generate() throws Exception {
    tools.write("dirtest.x", """
        struct pair { int a; int b; };
        program TESTPROG { version TESTVERS { int ADD(pair) = 1; } = 1; } = 0x20000101;
        """);
    tools.run("rpcgen", "-h", "-o", "dirtest.h", "dirtest.x");
    tools.run("rpcgen", "-c", "-o", "dirtest_xdr.c", "dirtest.x");
  }

  /** rpcgen's own server: its main registers over TCP and UDP with svc_register. */
  private Path buildCServer() throws Exception {
    generate();
    tools.write("impl.c", """
        #include "dirtest.h"

        int *add_1_svc(pair *args, struct svc_req *request) {
          static int sum;
          sum = args->a + args->b;
          return &sum;
        }
        """);
    tools.run("rpcgen", "-s", "tcp", "-s", "udp", "-o", "dirtest_svc.c", "dirtest.x");
    tools.run("gcc", "-std=gnu11", "-O1", "-I" + NativeTools.TIRPC_INCLUDE, "-I" + work,
        "-o", "dirtest_server", "dirtest_svc.c", "impl.c", "dirtest_xdr.c", "-ltirpc");
    return work.resolve("dirtest_server");
  }

  private Path buildCClient() throws Exception {
    generate();
    tools.write("client.c", """
        #include <stdio.h>
        #include <rpc/rpc.h>
        #include "dirtest.h"

        /* Finds the server through the portmapper on HOST, exactly as rpcgen's clients do. */
        int main(int argc, char **argv) {
          if (argc != 3) {
            fprintf(stderr, "usage: %s host netid\\n", argv[0]);
            return 2;
          }
          CLIENT *clnt = clnt_create(argv[1], TESTPROG, TESTVERS, argv[2]);
          if (clnt == NULL) {
            clnt_pcreateerror(argv[1]);
            return 1;
          }
          pair args = {2, 40};
          int *sum = add_1(&args, clnt);
          if (sum == NULL) {
            clnt_perror(clnt, "add");
            return 1;
          }
          printf("add(2, 40) = %d over %s\\n", *sum, argv[2]);
          clnt_destroy(clnt);
          return 0;
        }
        """);
    tools.run("rpcgen", "-l", "-o", "dirtest_clnt.c", "dirtest.x");
    tools.run("gcc", "-std=gnu11", "-O1", "-I" + NativeTools.TIRPC_INCLUDE, "-I" + work,
        "-o", "dirtest_client", "client.c", "dirtest_clnt.c", "dirtest_xdr.c", "-ltirpc");
    return work.resolve("dirtest_client");
  }
}
