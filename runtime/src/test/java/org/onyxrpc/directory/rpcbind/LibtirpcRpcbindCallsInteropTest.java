package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.remote.RemoteDirectory;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.testing.Unavailable;

/**
 * libtirpc's own portmapper and rpcbind client functions against an Onyx directory on port 111
 * (src/test/c/rpcbind/rpcb_calls.c): {@code pmap_set}, {@code pmap_getport}, {@code pmap_getmaps},
 * {@code pmap_unset}, {@code rpcb_set}, {@code rpcb_getaddr}, {@code rpcb_getmaps},
 * {@code rpcb_gettime}, {@code rpcb_taddr2uaddr}, {@code rpcb_uaddr2taddr} and
 * {@code rpcb_unset} through the local socket, as C programs call them, then every version
 * (portmap 2, rpcbind 3 and 4) over TCP and UDP with libtirpc's XDR routines; and
 * {@code rpcinfo -m}, whose statistics count the pings of {@code rpcinfo -t}, {@code -u},
 * {@code -T}, {@code -n} and {@code -a}. Debian's rpcbind prints the same transcript but for what
 * the directory decides otherwise: owner {@code unknown} for calls over IP, an address of the
 * wildcard merged to loopback for a caller on this machine, and the tcp6 conversions, which
 * rpcbind makes by the family of the local socket they came over (5 bytes, read back as
 * {@code ::1}) where the directory reads the address ({@link LibtirpcEveryNetidInteropTest}
 * runs both in one test).
 */
@ResourceLock("port 111")
class LibtirpcRpcbindCallsInteropTest {
  private static final Path RPCBIND_SOCKET = NativeTools.RPCBIND_SOCKET;
  private static final String PROGRAM = "0x20000999";

  @TempDir Path work;
  @RegisterExtension final Port111 port111 = Port111.in(() -> work);

  private NativeTools tools() {
    return port111.tools();
  }

  @Test
  void libtirpcsPortmapAndRpcbindFunctionsWorkAgainstTheOnyxDirectory() throws Exception {
    NativeTools.require("gcc", "rpcinfo");
    if (!Files.isWritable(RPCBIND_SOCKET.getParent())) {
      Unavailable.because("libtirpc registers through " + RPCBIND_SOCKET + ", which needs root");
    }
    Path binary = work.resolve("rpcb_calls");
    tools().run("gcc", "-std=gnu11", "-O1", "-I" + NativeTools.TIRPC_INCLUDE, "-o", binary.toString(),
        sources().resolve("rpcb_calls.c").toString(), "-ltirpc");
    boolean hadSocket = Files.exists(RPCBIND_SOCKET);
    try (DirectoryFixture directory = new DirectoryFixture(Portmap.PORT, RPCBIND_SOCKET)) {
      assertEquals(Files.readString(sources().resolve("expected-rpcb-calls.txt"), StandardCharsets.UTF_8),
          tools().run(binary.toString(), "127.0.0.1", PROGRAM));
      // rpcinfo -d of what is no longer registered succeeds quietly, as with rpcbind.
      assertEquals(new NativeTools.Result(0, ""), tools().runAllowingFailure("rpcinfo", "-d", Integer.toString(Integer.decode(PROGRAM)), "1"));
    } finally {
      if (!hadSocket) {
        Files.deleteIfExists(RPCBIND_SOCKET);
      }
    }
  }

  /**
   * {@code rpcinfo -m} (GETSTAT) counts the NULL calls of each version: before, the server
   * answered them and every NULL column said 0.
   */
  @Test
  void rpcinfoStatisticsCountItsOwnPings() throws Exception {
    NativeTools.require("rpcinfo");
    try (DirectoryFixture directory = new DirectoryFixture(Portmap.PORT)) {
      int[] before = nullCalls(tools().run("rpcinfo", "-m", "127.0.0.1"));
      for (List<String> ping : List.of(
          List.of("rpcinfo", "-t", "127.0.0.1", "100000", "2"),
          List.of("rpcinfo", "-u", "127.0.0.1", "100000", "3"),
          List.of("rpcinfo", "-a", "127.0.0.1.0.111", "-T", "udp", "100000", "3"),
          List.of("rpcinfo", "-T", "tcp", "127.0.0.1", "100000", "4"),
          List.of("rpcinfo", "-n", "111", "-u", "127.0.0.1", "100000", "4"))) {
        String out = tools().run(ping.toArray(String[]::new));
        assertTrue(out.contains("version " + ping.get(ping.size() - 1) + " ready and waiting"), out);
      }
      String after = tools().run("rpcinfo", "-m", "127.0.0.1");
      assertArrayEquals(new int[] {before[0] + 1, before[1] + 2, before[2] + 2}, nullCalls(after),
          "NULL calls of portmap 2, rpcbind 3 and 4:\n" + after);
    }
  }

  /**
   * rpcinfo's listings asked over IPv6, at ::1, as Debian's rpcbind 1.2.6 answers them (compared
   * by hand in a private network namespace): {@code -p} (portmap 2's DUMP, over TCP to ::1)
   * lists what it lists over IPv4; {@code -m} counts rpcinfo's own look-up of the portmapper
   * under tcp6, the netid it came over; and {@code -l -T tcp6} (GETADDRLIST) has version 4 at
   * ::1.0.111 over inet6 TCP and UDP. (To a caller on this machine the directory lists the IPv4
   * addresses too, which rpcbind leaves out: see README.)
   */
  @Test
  void rpcinfoListingsOverIpv6() throws Exception {
    NativeTools.require("rpcinfo");
    try (LocalDirectory table = new LocalDirectory(new InMemoryDirectoryStore());
        DirectoryServer directory = DirectoryServer.builder().port(Portmap.PORT).directory(table)
            .build().start()) {
      assertEquals(tools().run("rpcinfo", "-p", "127.0.0.1"), tools().run("rpcinfo", "-p", "::1"));
      String m = tools().run("rpcinfo", "-m", "::1");
      assertTrue(Pattern.compile("(?m)^portmapper\\s+2\\s+tcp6\\s+[1-9]").matcher(m).find(), m);
      String l = tools().run("rpcinfo", "-l", "-T", "tcp6", "::1", "100000", "4");
      assertTrue(l.contains(" 100000  4    inet6/tcp/cots_ord      ::1.0.111 ")
          && l.contains(" 100000  4    inet6/udp/clts          ::1.0.111 "), l);
    }
  }

  /**
   * rpcinfo's old-style pings of an Onyx server found through the directory: {@code -t} and
   * {@code -u} ask portmap version 2 for its port, {@code -n PORT} skips that port for another.
   */
  @Test
  void rpcinfoPingsAnOnyxServerTheDirectoryFinds() throws Exception {
    NativeTools.require("rpcinfo");
    String prog = Integer.toString(TestService.PROGRAM);
    try (DirectoryFixture directory = new DirectoryFixture(Portmap.PORT);
        RemoteDirectory remote = RemoteDirectory.at("127.0.0.1");
        RpcServer server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
            .directory(remote).addService(new TestService().definition()).build().start()) {
      NamesAndLeasesTest.awaitTrue(() -> remote.lookup(TestService.PROGRAM, 1).size() >= 2,
          Duration.ofSeconds(20));
      String ready = "program " + prog + " version 1 ready and waiting\n";
      assertEquals(ready, tools().run("rpcinfo", "-t", "127.0.0.1", prog, "1"));
      assertEquals(ready, tools().run("rpcinfo", "-u", "127.0.0.1", prog));
      String port = Integer.toString(server.port());
      assertEquals(ready, tools().run("rpcinfo", "-n", port, "-u", "127.0.0.1", prog, "1"));
      NativeTools.Result v2 = tools().runAllowingFailure("rpcinfo", "-n", port, "-t", "127.0.0.1", prog, "2");
      assertEquals(new NativeTools.Result(1, "rpcinfo: RPC: Program/version mismatch; low version = 1,"
          + " high version = 1\nprogram " + prog + " version 2 is not available\n"), v2);
    }
  }

  /** The NULL column of rpcinfo -m's table of each version: 2, 3, 4. */
  private static int[] nullCalls(String statistics) {
    Matcher m = Pattern.compile("(?m)^(?:PORTMAP|RPCBIND) \\(version (\\d)\\) statistics\\n"
        + "NULL\\b.*\\n(\\d+)\\s").matcher(statistics);
    int[] counts = {-1, -1, -1};
    while (m.find()) {
      counts[Integer.parseInt(m.group(1)) - 2] = Integer.parseInt(m.group(2));
    }
    return counts;
  }

  /** src/test/c/rpcbind, from the module or from the repository root. */
  private static Path sources() {
    for (String candidate : List.of("src/test/c/rpcbind", "runtime/src/test/c/rpcbind")) {
      Path dir = Path.of(candidate).toAbsolutePath();
      if (Files.isRegularFile(dir.resolve("rpcb_calls.c"))) {
        return dir;
      }
    }
    throw new IllegalStateException("cannot find src/test/c/rpcbind from " + Path.of("").toAbsolutePath());
  }
}
