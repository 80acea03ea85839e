package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.onyxrpc.directory.InMemoryDirectoryStore;
import org.onyxrpc.directory.LocalDirectory;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.testing.Unavailable;

/**
 * C clients made as most C programs make theirs, {@code clnt_create} and {@code
 * clnt_create_timed} on a nettype (src/test/c/rpcbind/nettype_client.c), against a C server made
 * with {@code svc_create(..., "visible")} (every visible transport of /etc/netconfig: udp, tcp,
 * udp6, tcp6 on Debian), both finding each other through the Onyx directory on every address's
 * port 111 and its local socket. libtirpc tries a nettype's transports in turn, asking the
 * directory over each: "netpath" and the "_n" nettypes in the order of {@code $NETPATH} (without
 * it, /etc/netconfig's), the "_v" ones in /etc/netconfig's, so each client gets the first
 * transport of its list, IPv6 ones included, as Debian's rpcbind answers them.
 */
@ResourceLock("port 111")
class NettypeCClientsInteropTest {
  private static final Path RPCBIND_SOCKET = NativeTools.RPCBIND_SOCKET;
  private static final String PROGRAM = Integer.toString(TestService.PROGRAM);

  @TempDir Path work;
  @RegisterExtension final Port111 port111 = Port111.in(() -> work).requiring("rpcgen", "gcc", "rpcinfo", "env");

  private NativeTools tools() {
    return port111.tools();
  }

  @Test
  @SuppressWarnings("try") // the directory server is held open by try-with-resources
  void nettypeClientsFindAVisibleServerOverTheFirstTransportOfTheirList() throws Exception {
    prepare();
    boolean hadSocket = Files.exists(RPCBIND_SOCKET);
    try (LocalDirectory table = new LocalDirectory(new InMemoryDirectoryStore());
        DirectoryServer directory = DirectoryServer.builder().port(Portmap.PORT).directory(table)
            .localSocket(RPCBIND_SOCKET).build().start()) {
      serveAndCallOverEveryNettype();
    } finally {
      if (!hadSocket) {
        Files.deleteIfExists(RPCBIND_SOCKET);
      }
    }
  }

  /** The same through Debian's rpcbind: the same answers. */
  @Test
  void theSameThroughDebiansRpcbind() throws Exception {
    NativeTools.require("rpcbind");
    prepare();
    tools().withDebianRpcbind(this::serveAndCallOverEveryNettype);
  }

  private void prepare() throws Exception {
    if (!Files.isWritable(RPCBIND_SOCKET.getParent())) {
      Unavailable.because("C servers register through " + RPCBIND_SOCKET + ", which needs root");
    }
    NativeTools.ipv6Loopback();
    tools().buildTransportIndependentPeers("nettype_client");
  }

  private void serveAndCallOverEveryNettype() throws Exception {
    startServer("visible");
    String s = tools().run("rpcinfo", "-s", "127.0.0.1");
    // As a set: rpcinfo -s lists DUMP's order, registration order in rpcbind, sorted in Onyx.
    assertEquals(Set.of("udp", "tcp", "udp6", "tcp6"), Set.of(netids(s).split(",")), s);
    for (String host : List.of("127.0.0.1", "::1")) {
      // Each nettype's transports in the order libtirpc tries them (with NETPATH if given);
      // a host of one family skips the other's (getaddrinfo finds no address for them).
      assertClient(host, null, "netpath", "udp", "tcp", "udp6", "tcp6");
      assertClient(host, "tcp6:udp", "netpath", "tcp6", "udp");
      assertClient(host, "udp6:tcp", "netpath", "udp6", "tcp");
      assertClient(host, null, "visible", "udp", "tcp", "udp6", "tcp6");
      assertClient(host, null, "circuit_v", "tcp", "tcp6");
      assertClient(host, null, "datagram_v", "udp", "udp6");
      assertClient(host, "tcp:udp6:udp", "datagram_n", "udp6", "udp");
      assertClient(host, "udp:tcp6:tcp", "circuit_n", "tcp6", "tcp");
      assertClient(host, null, "tcp", "tcp", "tcp6");
      assertClient(host, null, "udp", "udp", "udp6");
    }
    assertEquals("add(2, 40) = 42 over tcp6\n",
        tools().run("env", "NETPATH=tcp6", client(), "::1", PROGRAM, "netpath", "timed"));
    assertEquals("add(2, 40) = 42 over udp\n", tools().run(client(), "127.0.0.1", PROGRAM, "udp", "timed"));
  }

  /**
   * nettype_client HOST PROGRAM NETTYPE, with NETPATH set to {@code netpath} unless null, gets
   * the first of {@code tried} of the host's family.
   */
  private void assertClient(String host, String netpath, String nettype, String... tried) throws Exception {
    boolean v6 = host.contains(":");
    String expected = Stream.of(tried).filter(netid -> netid.endsWith("6") == v6).findFirst().orElseThrow();
    List<String> command = new ArrayList<>(List.of("env", "-u", "NETPATH"));
    if (netpath != null) {
      command.add("NETPATH=" + netpath);
    }
    command.addAll(List.of(client(), host, PROGRAM, nettype));
    assertEquals(new NativeTools.Result(0, "add(2, 40) = 42 over " + expected + "\n"),
        tools().runAllowingFailure(command.toArray(String[]::new)),
        host + " " + nettype + " NETPATH=" + netpath);
  }

  /** The netids rpcinfo -s lists for the program. */
  private static String netids(String rpcinfoS) {
    Matcher m = Pattern.compile("(?m)^\\s*" + PROGRAM + "\\s+1\\s+(\\S+)\\s").matcher(rpcinfoS);
    return m.find() ? m.group(1) : "";
  }

  private String client() {
    return work.resolve("nettype_client").toString();
  }

  /** Starts tp_server's svc_create on {@code nettype}; returns once it has registered. */
  private void startServer(String nettype) throws Exception {
    String[] command = {work.resolve("tp_server").toString(), PROGRAM, "create", nettype};
    String line = tools().startAndReadLine(command);
    if (!line.equals("ready")) {
      fail(String.join(" ", command) + " printed " + line);
    }
  }


}
