package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.directory.remote.DirectoryClient;
import org.onyxrpc.directory.remote.RemoteDirectory;
import org.onyxrpc.internal.rpcbind.Owners;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.testing.Unavailable;
import org.onyxrpc.transport.Transport;

/**
 * C programs written for libtirpc's transport-independent API (not rpcgen's main, which uses the
 * old svcudp_create and svctcp_create) against an Onyx directory on every address's port 111 and
 * rpcbind's local socket (src/test/c/rpcbind/tp_server.c and tp_client.c). A server made with
 * {@code svc_create(..., "netpath")} registers udp, tcp, udp6 and tcp6 at universal addresses;
 * one made with {@code svc_tp_create} by another user registers the netids it was given, owned by
 * that uid. {@code rpcinfo -s} lists both, {@code rpcinfo -T} pings them over IPv4 and IPv6,
 * {@code clnt_tp_create} finds each over every netid it has (asking the directory on {@code ::1}
 * for tcp6 and udp6), and so does an Onyx client. {@code rpcinfo -d} removes one netid for its
 * owner, refuses another user, and removes the rest for root. Debian's rpcbind answers the same.
 */
@ResourceLock("port 111")
class TransportIndependentCPeersInteropTest {
  private static final Path RPCBIND_SOCKET = NativeTools.RPCBIND_SOCKET;
  /** TestService's program, served by the svc_create server. */
  private static final String EVERY = Integer.toString(TestService.PROGRAM); // 536871169
  /** The next program number, served by the svc_tp_create server of another user. */
  private static final String SOME = Integer.toString(TestService.PROGRAM + 1);
  /** The uid and gid of that server: nobody. */
  private static final String NOBODY = "65534";

  @TempDir Path work;
  @RegisterExtension final Port111 port111 = Port111.in(() -> work).requiring("rpcgen", "gcc", "rpcinfo", "setpriv");

  private NativeTools tools() {
    return port111.tools();
  }

  @Test
  @SuppressWarnings("try") // the directory server is held open by try-with-resources
  void svcCreateAndSvcTpCreateServersRegisterEveryNetidAndAreFoundOverEach() throws Exception {
    if (!Files.isWritable(RPCBIND_SOCKET.getParent())) {
      Unavailable.because("C servers register through " + RPCBIND_SOCKET + ", which needs root");
    }
    NativeTools.ipv6Loopback();
    build();
    boolean hadSocket = Files.exists(RPCBIND_SOCKET);
    try (LocalDirectory table = new LocalDirectory(new InMemoryDirectoryStore());
        DirectoryServer directory = DirectoryServer.builder().port(Portmap.PORT).directory(table)
            .localSocket(RPCBIND_SOCKET).build().start()) {
      startServer(List.of(EVERY, "create", "netpath"));
      startServer(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"),
          List.of(SOME, "tp", "udp", "tcp6"));
      assertEntries(EVERY, Set.of("udp", "tcp", "udp6", "tcp6"), Owners.self());
      assertEntries(SOME, Set.of("udp", "tcp6"), NOBODY);

      for (String netid : List.of("tcp", "udp", "tcp6", "udp6")) {
        String host = netid.endsWith("6") ? "::1" : "127.0.0.1";
        assertEquals("program " + EVERY + " version 1 ready and waiting\n",
            tools().run("rpcinfo", "-T", netid, host, EVERY, "1"), netid);
        assertEquals("add(2, 40) = 42 over " + netid + "\n", tpClient(host, EVERY, netid), netid);
      }
      // Found through the directory at the address of another version, the server gives its range.
      assertEquals("add: RPC: Program/version mismatch; low version = 1, high version = 1\n",
          tools().runAllowingFailure(client(), "::1", EVERY, "tcp6", "2").output());
      assertEquals("add(2, 40) = 42 over udp\n", tpClient("127.0.0.1", SOME, "udp"));
      assertEquals("add(2, 40) = 42 over tcp6\n", tpClient("::1", SOME, "tcp6"));
      assertEquals("127.0.0.1: RPC: Program not registered\n",
          tools().runAllowingFailure(client(), "127.0.0.1", SOME, "tcp").output());
      Procedure<TestService.Pair, Integer> add = new Procedure<>(TestService.PROGRAM + 1, 1,
          TestService.ADD.number(), "Some.add", TestService.ADD.arguments(), TestService.ADD.result());
      try (RemoteDirectory remote = RemoteDirectory.at("127.0.0.1")) {
        for (Transport transport : List.of(Transport.TCP, Transport.UDP)) {
          try (DirectoryClient c = DirectoryClient.builder().directory(remote)
              .program(TestService.PROGRAM + 1, 1).transport(transport).build()) {
            assertEquals(42, c.call(add, new TestService.Pair(2, 40)), transport.name());
          }
        }
      }

      NativeTools.Result other = tools().runAllowingFailure(
          "setpriv", "--reuid=1000", "--regid=1000", "--clear-groups", rpcinfo(), "-d", SOME, "1");
      assertEquals(new NativeTools.Result(1,
          "rpcinfo: Could not delete registration for prog " + SOME + " version 1\n"), other);
      assertEntries(SOME, Set.of("udp", "tcp6"), NOBODY);
      assertEquals(new NativeTools.Result(0, ""), tools().runAllowingFailure("setpriv",
          "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", rpcinfo(), "-d", "-T", "udp", SOME, "1"));
      assertEntries(SOME, Set.of("tcp6"), NOBODY);
      assertEquals("", tools().run("rpcinfo", "-d", SOME, "1"), "root removes another user's");
      assertEquals("", tools().run("rpcinfo", "-d", "-T", "tcp6", EVERY, "1"));
      assertEntries(EVERY, Set.of("udp", "tcp", "udp6"), Owners.self());
      assertTrue(netids(tools().run("rpcinfo", "-s", "127.0.0.1"), SOME).isEmpty(), "all gone");
    } finally {
      if (!hadSocket) {
        Files.deleteIfExists(RPCBIND_SOCKET);
      }
    }
  }

  /** rpcinfo -s, asked over IPv4 and over IPv6, lists {@code program} version 1 so. */
  private void assertEntries(String program, Set<String> netids, String owner) throws Exception {
    for (String host : List.of("127.0.0.1", "::1")) {
      String s = tools().run("rpcinfo", "-s", host);
      assertEquals(netids, netids(s, program), s);
      assertTrue(Pattern.compile("(?m)^\\s*" + program + "\\s+1\\s+\\S+\\s+-\\s+" + owner + "\\s*$")
          .matcher(s).find(), "owned by " + owner + ":\n" + s);
    }
  }

  /** The netids rpcinfo -s lists for {@code program} version 1; empty if none. */
  private static Set<String> netids(String rpcinfoS, String program) {
    Matcher m = Pattern.compile("(?m)^\\s*" + program + "\\s+1\\s+(\\S+)\\s").matcher(rpcinfoS);
    return m.find() ? Set.of(m.group(1).split(",")) : Set.of();
  }

  private String tpClient(String host, String program, String netid) throws Exception {
    return tools().run(client(), host, program, netid);
  }

  private String client() {
    return work.resolve("tp_client").toString();
  }

  private static String rpcinfo() {
    return NativeTools.find("rpcinfo");
  }

  /** Starts tp_server with {@code arguments}; returns once it has registered every transport. */
  private void startServer(List<String> arguments) throws Exception {
    startServer(List.of(), arguments);
  }

  /** The same run through {@code wrapper} (setpriv, to serve as another user). */
  private void startServer(List<String> wrapper, List<String> arguments) throws Exception {
    List<String> command = new ArrayList<>();
    if (!wrapper.isEmpty()) {
      command.add(NativeTools.find(wrapper.get(0)));
      command.addAll(wrapper.subList(1, wrapper.size()));
    }
    command.add(work.resolve("tp_server").toString());
    command.addAll(arguments);
    String line = tools().startAndReadLine(command.toArray(String[]::new));
    if (!line.equals("ready")) {
      fail(String.join(" ", command) + " printed " + line);
    }
  }

  /** dirtest.x's dispatcher and client stubs, tp_server and tp_client. */
  private void build() throws Exception {
    // @TempDir makes the directory its owner's alone; nobody's server runs from it too.
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
    tools().buildTransportIndependentPeers("tp_client");
  }


  /** src/test/c/rpcbind, from the module or from the repository root. */
  static Path sources() {
    for (String candidate : List.of("src/test/c/rpcbind", "runtime/src/test/c/rpcbind")) {
      Path dir = Path.of(candidate).toAbsolutePath();
      if (Files.isRegularFile(dir.resolve("tp_server.c"))) {
        return dir;
      }
    }
    throw new IllegalStateException("cannot find src/test/c/rpcbind from " + Path.of("").toAbsolutePath());
  }
}
