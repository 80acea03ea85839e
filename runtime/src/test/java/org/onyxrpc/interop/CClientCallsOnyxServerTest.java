package org.onyxrpc.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.RpcServerBuilder;
import org.onyxrpc.server.ServerStats;
import org.onyxrpc.server.TcpIo;
import org.onyxrpc.server.UdpIo;
import org.onyxrpc.testing.Await;
import org.onyxrpc.transport.Transport;

/**
 * Interop (a): a C client built by rpcgen from interop.x, and linked against libtirpc, calls an
 * Onyx server that hosts the program through hand-written codecs. The client's transcript must
 * equal, byte for byte, the one it prints against the C server (expected-calls.txt and
 * expected-errors.txt, which {@link OnyxClientCallsCServerTest} checks against that server).
 */
class CClientCallsOnyxServerTest {
  @TempDir static Path work;

  private static NativeInterop c;
  private static RpcServer server;
  // Its TCP connections read by threads of their own (TcpIo.DEDICATED_THREAD), with a direct
  // executor, as the benchmarks' c-to-onyx-dedicated pair serves.
  private static RpcServer dedicated;

  @BeforeAll
  static void startOnyxServer() throws Exception {
    c = NativeInterop.build(work);
    server = RpcServer.builder()
        .bind(InetAddress.getLoopbackAddress(), 0)
        .unixSocket(work.resolve("interop.sock"))
        .transports(Transport.TCP, Transport.UDP, Transport.UNIX)
        .addService(InteropService.definition())
        .build()
        .start();
    dedicated = RpcServer.builder()
        .bind(InetAddress.getLoopbackAddress(), 0).transports(Transport.TCP).directExecutor()
        .tcpIo(TcpIo.DEDICATED_THREAD).addService(InteropService.definition()).build().start();
  }

  @AfterEach
  void stopClients() throws InterruptedException {
    c.stopProcesses();
  }

  @AfterAll
  static void stopOnyxServer() throws InterruptedException {
    if (dedicated != null) {
      dedicated.close();
    }
    OnyxServers.stop(server, c);
  }

  /** Every type of interop.x crosses intact both ways; TCP calls arrive in 96-byte fragments. */
  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Transport.class, names = {"TCP", "UDP"})
  void cClientCallsEveryProcedure(Transport transport) throws Exception {
    assertEquals(NativeInterop.expected("expected-calls.txt"),
        c.runClient(transport, server.port(), "calls"));
  }

  /**
   * Against a server whose TCP connections have threads of their own, the same transcripts, calls
   * and refusals, byte for byte; each client's connection's thread ends when the client exits.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"calls", "errors"})
  void cClientOverTcpReadByAThreadOfItsOwn(String run) throws Exception {
    assertEquals(NativeInterop.expected("expected-" + run + ".txt"),
        c.runClient(Transport.TCP, dedicated.port(), run));
    Await.until(() -> Thread.getAllStackTraces().keySet().stream()
        .noneMatch(t -> t.getName().startsWith("onyx-server-tcp-")));
  }

  /**
   * Refusals reach the C library as the statuses it expects: PROC_UNAVAIL, PROG_MISMATCH with the
   * versions 1..1, PROG_UNAVAIL, GARBAGE_ARGS (no arguments; a string over its bound), SYSTEM_ERR
   * for a handler that throws, and AUTH_ERROR with the auth_stat libtirpc's server would give.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Transport.class, names = {"TCP", "UDP"})
  void cClientSeesEachRefusal(Transport transport) throws Exception {
    assertEquals(NativeInterop.expected("expected-errors.txt"),
        c.runClient(transport, server.port(), "errors"));
  }

  /**
   * The same over a Unix-domain socket: libtirpc's record-marked client ({@code clnt_vc_create},
   * what its "local" netid uses) on an {@code AF_UNIX} connection, byte for byte the TCP transcript.
   */
  @Test
  void cClientCallsOverAUnixSocket() throws Exception {
    Path socket = server.unixSocket().orElseThrow().path();
    assertEquals(NativeInterop.expected("expected-calls.txt"), c.runLocalClient(socket, "calls"));
    assertEquals(NativeInterop.expected("expected-errors.txt"), c.runLocalClient(socket, "errors"));
  }

  /**
   * The same over IPv6: libtirpc's transport-independent client ({@code clnt_tli_create} on the
   * netconfig entries tcp6 and udp6, as C programs reach an address of any family) calls an Onyx
   * server on {@code ::1}, byte for byte the IPv4 transcripts; over udp6 a call resent from 20 ms
   * on (its duplicates known by an IPv6 sender) runs once.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tcp6", "udp6"})
  void cClientCallsOverIpv6(String netid) throws Exception {
    try (RpcServer ipv6 = RpcServer.builder()
        .bind(InteropEnvironment.ipv6Loopback(), 0)
        .transports(Transport.TCP, Transport.UDP)
        .addService(InteropService.definition())
        .build()
        .start()) {
      assertEquals(NativeInterop.expected("expected-calls.txt"),
          c.runClient(netid, "::1", ipv6.port(), "calls"));
      assertEquals(NativeInterop.expected("expected-errors.txt"),
          c.runClient(netid, "::1", ipv6.port(), "errors"));
      if (netid.equals("udp6")) {
        assertEquals("COUNT_RUNS(1000) resent from 20 ms on -> runs: 1, then 1 for the next call\n",
            c.runClient(netid, "::1", ipv6.port(), "retransmit-fast"));
        ServerStats stats = ipv6.stats();
        assertTrue(stats.duplicatesInProgressDropped() + stats.duplicatesReplayed() > 0,
            stats::toString);
      }
    }
  }

  /**
   * A dual-stack server, bound to {@code ::} itself (not 0.0.0.0), with either {@link UdpIo}:
   * libtirpc's clients reach it over IPv4 (tcp and udp to 127.0.0.1, clnt_tli_create on an
   * AF_INET address) and over IPv6 (tcp6 and udp6 to ::1), byte for byte the transcript. (Not at
   * ::ffff:127.0.0.1: libtirpc's tcp6 and udp6 sockets are IPV6_V6ONLY, so a C client cannot
   * call an IPv4-mapped address at all, whatever the server.)
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(UdpIo.class)
  void cClientsReachAServerOnTheIpv6WildcardOverBothFamilies(UdpIo io) throws Exception {
    InteropEnvironment.ipv6Loopback();
    RpcServerBuilder b = RpcServer.builder()
        .bind(InetAddress.getByName("::"), 0)
        .transports(Transport.TCP, Transport.UDP)
        .udpIo(io)
        .addService(InteropService.definition());
    try (RpcServer dualStack = (io == UdpIo.DEDICATED_THREAD ? b.directExecutor() : b).build().start()) {
      for (String netid : List.of("tcp", "udp", "tcp6", "udp6")) {
        String host = netid.endsWith("6") ? "::1" : "127.0.0.1";
        assertEquals(NativeInterop.expected("expected-calls.txt"),
            c.runClient(netid, host, dualStack.port(), "calls"), io + ", " + netid + " to " + host);
      }
    }
  }

  /**
   * The same with libtirpc's UDP client sending the call again after 20 ms, 40 ms, 80 ms…:
   * several copies arrive while COUNT_RUNS(1000) runs (dropped as in progress, or answered from
   * the cache), and it runs once.
   */
  @Test
  void cUdpRetransmissionsEvery20MsRunOnce() throws Exception {
    try (RpcServer own = RpcServer.builder() // its COUNT_RUNS count and stats are this test's
        .bind(InetAddress.getLoopbackAddress(), 0)
        .transports(Transport.UDP)
        .addService(InteropService.definition())
        .build()
        .start()) {
      assertEquals("COUNT_RUNS(1000) resent from 20 ms on -> runs: 1, then 1 for the next call\n",
          c.runClient(Transport.UDP, own.port(), "retransmit-fast"));
      ServerStats stats = own.stats();
      assertTrue(stats.duplicatesInProgressDropped() + stats.duplicatesReplayed() > 0,
          stats::toString);
    }
  }

  /**
   * AUTH_SYS at its bounds as libtirpc makes it (authsys_create with a 255-byte machine name and
   * 16 gids; authsys_create_default in 20 groups, which sends the first 16) and one over each
   * (AUTH_BADCRED), AUTH_NONE credentials and verifiers with a 400-byte body (RFC 5531 leaves
   * it undefined: served, as by libtirpc's _svcauth_null, and the verifier's is no Onyx call tag),
   * verifiers of AUTH_SYS and AUTH_SHORT on AUTH_NONE and AUTH_SYS calls (ignored, as libtirpc does),
   * AUTH_SHORT (AUTH_REJECTEDCRED), AUTH_DES and RPCSEC_GSS (an authentication error): the C
   * server's answers, expected-credentials.txt.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Transport.class, names = {"TCP", "UDP"})
  void cClientCredentialsAtAndOverTheirBounds(Transport transport) throws Exception {
    InteropEnvironment.requireRoot();
    assertEquals(NativeInterop.expected("expected-credentials.txt"),
        c.runClient(transport, server.port(), "credentials"));
  }

  /**
   * libtirpc's batching: 50 calls with no result routine and a zero timeout go out with the next
   * ordinary call, whose reply, from a server that runs one call of a connection at a time (as
   * libtirpc's does), comes after all of them ran. An Onyx server runs a connection's calls
   * concurrently unless told otherwise: maxConcurrentCallsPerConnection(1) is the setting for
   * C clients that batch.
   */
  @Test
  void cClientBatchesCallsToAServerThatRunsThemInTurn() throws Exception {
    try (RpcServer inTurn = RpcServer.builder()
        .bind(InetAddress.getLoopbackAddress(), 0)
        .transports(Transport.TCP)
        .maxConcurrentCallsPerConnection(1)
        .addService(InteropService.definition())
        .build()
        .start()) {
      assertEquals(NativeInterop.expected("expected-batch.txt"),
          c.runClient(Transport.TCP, inTurn.port(), "batch"));
    }
  }

  /**
   * clnt_control as C programs use it (interop_controls.c, expected-controls.txt):
   * CLGET_SERVER_ADDR, CLSET_VERS to a version the server lacks (PROG_MISMATCH with its range)
   * and back, CLSET_XID giving two clients one xid (both calls run: over UDP the duplicate
   * request cache tells them apart by sender), and CLSET_TIMEOUT cutting a call short whose late
   * reply is not taken for the next call's. A server of its own: the call cut short still runs.
   *
   * <p>Over TCP the server runs the connection's calls in turn, as for batching: libtirpc's
   * stream client, after a call timed out, drops the next record that comes whatever its xid
   * (xdrrec_skiprecord takes it for the rest of the reply it was waiting for), so from a server
   * that answered the next call before the late one, it drops that call's reply and times out
   * again, though the call ran.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Transport.class, names = {"TCP", "UDP"})
  void cClientControls(Transport transport) throws Exception {
    try (RpcServer own = RpcServer.builder()
        .bind(InetAddress.getLoopbackAddress(), 0)
        .transports(transport)
        .maxConcurrentCallsPerConnection(transport == Transport.TCP ? 1 : 128)
        .addService(InteropService.definition())
        .build()
        .start()) {
      assertEquals(NativeInterop.expected("expected-controls.txt"),
          c.runClient(transport, own.port(), "controls"));
    }
  }

  /**
   * One C client reusing an xid with CLSET_XID (interop_controls.c, xid-reuse). Over UDP the same
   * call again from the same socket is a retransmission to the duplicate request cache: answered
   * with the first's reply, truthfully, and not run again; under that xid another argument
   * (COUNT_RUNS(1)) or procedure (GREET) is another call and runs, where libtirpc's own reply
   * cache (svc_dg_enablecache, which keys on xid, procedure and sender only) answers COUNT_RUNS(1)
   * with COUNT_RUNS(0)'s reply. Over TCP an untagged call has no key: every call runs.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Transport.class, names = {"TCP", "UDP"})
  void cClientReusingAnXid(Transport transport) throws Exception {
    try (RpcServer own = RpcServer.builder()
        .bind(InetAddress.getLoopbackAddress(), 0)
        .transports(transport)
        .addService(InteropService.definition())
        .build()
        .start()) {
      assertEquals("COUNT_RUNS(0) twice with CLSET_XID 0x5eed0002 -> "
              + (transport == Transport.UDP ? "the second was answered with the first's reply"
                  : "both ran") + "\n"
              + "COUNT_RUNS(1) with that xid -> ran\n"
              + "GREET(\"xid\") with that xid -> \"hello, xid\"\n",
          c.runClient(transport, own.port(), "xid-reuse"));
      if (transport == Transport.UDP) {
        assertEquals(1, own.stats().duplicatesReplayed());
      }
    }
  }

  /**
   * At-most-once, the default of DESIGN.md: libtirpc's UDP client sends a call again every second
   * until its reply comes, so COUNT_RUNS(2500) arrives about three times and must run once.
   */
  @Test
  void cUdpRetransmissionsRunOnce() throws Exception {
    assertEquals("COUNT_RUNS(2500) -> 1\nCOUNT_RUNS(0) -> 2\n",
        c.runClient(Transport.UDP, server.port(), "retransmit"));
  }
}
