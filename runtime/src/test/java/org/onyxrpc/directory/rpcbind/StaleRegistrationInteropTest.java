package org.onyxrpc.directory.rpcbind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.onyxrpc.directory.ServiceInstance;
import org.onyxrpc.directory.UniversalAddress;
import org.onyxrpc.directory.remote.RemoteDirectory;
import org.onyxrpc.internal.rpcbind.Portmap;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.ForkedRegisteredServer;
import org.onyxrpc.testing.TestService;

/**
 * Debian's rpcbind keeps what a server killed with SIGKILL registered: it has no leases. An
 * rpcgen server removes its program's entries when it starts ({@code pmap_unset}), so restarting
 * one just works; an Onyx server restarted at another port was refused (rpcbind SET fails while
 * the program version and netid are mapped) and ran unregistered, retrying every second, until
 * someone ran {@code rpcinfo -d}. Now it replaces an entry where nothing listens, never one where
 * a server runs, and says why when it cannot.
 */
@ResourceLock("port 111")
@SuppressWarnings("try") // servers held open by try-with-resources
class StaleRegistrationInteropTest {
  private static final String PROG = Integer.toString(TestService.PROGRAM); // 536871169
  private static final Set<String> NETIDS = Set.of("tcp", "tcp6", "udp", "udp6");

  @TempDir Path work;
  @RegisterExtension final Port111 port111 = Port111.in(() -> work).requiring("rpcbind", "rpcinfo");

  private NativeTools tools() {
    return port111.tools();
  }

  @Test
  void aServerRestartedAfterSigkillReplacesWhatItLeftInRpcbind() throws Exception {
    tools().withDebianRpcbind(() -> {
      try (RemoteDirectory debian = RemoteDirectory.at("127.0.0.1")) {
        Process killed = forkedServer(debian);
        int dead = entries().get("tcp");
        killed.destroyForcibly().waitFor(1, TimeUnit.MINUTES); // SIGKILL: nothing unregisters
        assertEquals(entriesAt(dead), entries(), "rpcbind keeps the killed server's entries");

        try (RpcServer restarted = RpcServer.builder().bind(new InetSocketAddress(0).getAddress(), 0)
            .directory(debian).addService(new TestService().definition()).build().start()) {
          int port = restarted.port();
          awaitEntries(port); // every netid's entry replaced
        }
        assertEquals(Map.of(), entries(), "and withdrawn on close, as before");
      }
    });
  }

  @Test
  void aRunningServersEntryIsNeverTakenOver() throws Exception {
    tools().withDebianRpcbind(() -> {
      try (RemoteDirectory debian = RemoteDirectory.at("127.0.0.1");
          RpcServer running = RpcServer.builder().bind(new InetSocketAddress(0).getAddress(), 0)
              .directory(debian).addService(new TestService().definition()).build().start();
          ServerSocket other = new ServerSocket(0)) {
        awaitEntries(running.port());
        for (String netid : List.of("tcp", "udp6")) {
          RpcException e = assertThrows(RpcException.class, () -> debian.register(
              new ServiceInstance("", TestService.PROGRAM, 1, netid,
                  (netid.endsWith("6") ? "::" : "0.0.0.0") + "." + (other.getLocalPort() >> 8) + "."
                      + (other.getLocalPort() & 0xff), ""), Duration.ofSeconds(30)));
          assertEquals("rpcbind at 127.0.0.1:111 has program 0x20000101 version 1 over " + netid + " at "
              + (netid.endsWith("6") ? "::" : "0.0.0.0") + "." + (running.port() >> 8) + "." + (running.port() & 0xff)
              + " (port " + running.port() + ") already; a server listens there, so it is left in place (another server of this program version"
              + " runs: stop it, or serve another program number)", e.getMessage());
        }
        assertEquals(entriesAt(running.port()), entries(), "untouched");
      }
    });
  }

  /**
   * A killed rpcgen server's entries came through rpcbind's local socket, as root's: rpcbind lets
   * only root (or the same user, through that socket) remove them, which this process, over TCP,
   * is not. It says so, whose they are (before, "another user set it", to root running both), and
   * how to remove them.
   */
  @Test
  void aKilledRpcgenServersEntryThatRpcbindWillNotLetGoIsExplained() throws Exception {
    NativeTools.require("rpcgen", "gcc");
    Path server = tools().rpcgenServer();
    tools().withDebianRpcbind(() -> {
      try (RemoteDirectory debian = RemoteDirectory.at("127.0.0.1")) {
        Process c = tools().start(server.toString());
        Await.until(() -> debian.lookup(TestService.PROGRAM, 1).size() >= 2, Duration.ofSeconds(20));
        int dead = debian.lookup(TestService.PROGRAM, 1).stream().filter(i -> i.netid().equals("tcp"))
            .findFirst().orElseThrow().socketAddress().getPort();
        c.destroyForcibly().waitFor(1, TimeUnit.MINUTES);
        ServiceInstance onyx = new ServiceInstance("", TestService.PROGRAM, 1, "tcp", "127.0.0.1.1.2", "");
        RpcException e = assertThrows(RpcException.class, () -> debian.register(onyx, Duration.ofSeconds(30)));
        assertEquals("rpcbind at 127.0.0.1:111 has program 0x20000101 version 1 over tcp at 0.0.0.0."
            + (dead >> 8) + "." + (dead & 0xff) + " (port " + dead + ") already; nothing listens there, but rpcbind"
            + " did not let this"
            + " process remove it (its owner is superuser, who set it through rpcbind's local socket, and"
            + " rpcbind lets this process, over the network, remove only entries of owner unknown:"
            + " `rpcinfo -d " + PROG + " 1`, run as its owner or root,"
            + " removes it)", e.getMessage());
        tools().run("rpcinfo", "-d", PROG, "1"); // as the message says (root, through the local socket)
        debian.register(onyx, Duration.ofSeconds(30));
        assertEquals(Map.of("tcp", 258), entries());
      }
    });
  }

  /** A forked JVM's TestService server on every address, registered with the rpcbind on port 111. */
  private Process forkedServer(RemoteDirectory debian) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        ForkedRegisteredServer.class.getName(), Integer.toString(Portmap.PORT), "org.onyxrpc.test.Killed", "any")
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("started", out.readLine());
      Await.until(() -> entries().size() == NETIDS.size(), Duration.ofSeconds(20));
      return p;
    } catch (Throwable t) {
      p.destroyForcibly();
      throw t;
    }
  }

  /** Waits until rpcbind has every netid's entry at {@code port}, and nothing else of the program. */
  private void awaitEntries(int port) {
    Map<String, Integer> wanted = entriesAt(port);
    Await.until(() -> wanted.equals(entries()), Duration.ofSeconds(20));
  }

  private static Map<String, Integer> entriesAt(int port) {
    Map<String, Integer> at = new TreeMap<>();
    NETIDS.forEach(netid -> at.put(netid, port));
    return at;
  }

  /**
   * TestService's entries in rpcbind, netid to port, as {@code rpcinfo} (a DUMP) lists them:
   * look-ups answer only for the caller's address family.
   */
  private Map<String, Integer> entries() {
    Map<String, Integer> entries = new TreeMap<>();
    try {
      var m = Pattern.compile("(?m)^\\s*" + PROG + "\\s+1\\s+(\\S+)\\s+(\\S+)\\s").matcher(
          tools().run("rpcinfo", "127.0.0.1"));
      while (m.find()) {
        entries.put(m.group(1), UniversalAddress.parse(m.group(2)).getPort());
      }
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    return entries;
  }
}
