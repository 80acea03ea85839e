package org.onyxrpc.examples.cpeers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.rpc.AuthSys;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServerCall;
import org.onyxrpc.server.ServerInterceptor;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * An existing C service and its Java twin, both made from one unedited rpcgen file
 * (src/test/c/cpeers/cpeers.x): rpcgen's MT-safe server and its clients of both stub styles
 * ({@code -M -N} and {@code -N}) against the server and clients idlc generates. The C client's
 * transcript is the same against the Onyx server as against the C server (and as the one kept
 * beside the sources), over TCP and UDP; the Onyx client gets from the C server what the Java
 * implementation returns. The file has unions on an enum with negative values and a default arm,
 * linked lists, fixed and variable arrays of structs at their bound, fixed opaque of odd length,
 * strings at their bound and one over, bool, hyper, unsigned hyper, float and double at their
 * extremes, typedefs of typedefs, several arguments, and two versions with a gap between them.
 */
@Timeout(300)
class CPeersInteropTest {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS) static Path work;
  private static CPeers c;
  private static int cPort;
  private static RpcServer onyx;

  @BeforeAll
  static void start() throws Exception {
    c = CPeers.build(work);
    cPort = c.startServer();
    CPeersService service = new CPeersService();
    onyx = RpcServer.builder()
        .bind(InetAddress.getLoopbackAddress(), 0)
        .transports(Transport.TCP, Transport.UDP)
        .addService(CpeersProgV1.bind(service))
        .addService(CpeersProgV3.bind(service))
        .build()
        .start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (onyx != null) {
      onyx.close();
    }
    if (c != null) {
      c.close();
    }
  }

  @ParameterizedTest(name = "{0} stubs over {1}")
  @CsvSource({"MT, tcp", "MT, udp", "CLASSIC, tcp", "CLASSIC, udp"})
  void aCClientGetsTheSameAnswersFromOnyxAsFromC(CPeers.Stubs stubs, String netid) throws Exception {
    String expected = CPeers.expected("expected-calls.txt");
    assertEquals(expected, c.runClient(stubs, netid, cPort, "calls"), "from the C server");
    assertEquals(expected, c.runClient(stubs, netid, onyx.port(), "calls"), "from the Onyx server");
  }

  @ParameterizedTest(name = "{0} stubs over {1}")
  @CsvSource({"MT, tcp", "MT, udp", "CLASSIC, tcp", "CLASSIC, udp"})
  void aCClientGetsTheSameErrorsFromOnyxAsFromC(CPeers.Stubs stubs, String netid) throws Exception {
    String expected = CPeers.expected("expected-errors.txt");
    assertEquals(expected, c.runClient(stubs, netid, cPort, "errors"), "from the C server");
    assertEquals(expected, c.runClient(stubs, netid, onyx.port(), "errors"), "from the Onyx server");
  }

  /** authunix_create_default's credential, as each server's procedure decoded it. */
  @ParameterizedTest
  @ValueSource(strings = {"tcp", "udp"})
  void anOnyxProcedureSeesTheAuthSysCredentialAsACProcedureDoes(String netid) throws Exception {
    String fromC = c.runClient(CPeers.Stubs.MT, netid, cPort, "who");
    assertTrue(fromC.startsWith("AUTH_SYS machine="), fromC);
    assertEquals(fromC, c.runClient(CPeers.Stubs.MT, netid, onyx.port(), "who"));
  }

  /**
   * rpcgen's strings are bytes. Latin-1 bytes reach a Java procedure as lone surrogates
   * (U+DCE9 for 0xE9), one byte each on the way back: the C client gets the bytes the C server
   * sends it, "caf\xe9" and "caf\xe8" stay two names, and a name at its bound still fits its
   * result. (It used to get U+FFFD, three bytes each, and SYSTEM_ERR at the bound.) README's
   * "Coming from rpcgen" says so.
   */
  @Test
  void stringBytesThatAreNotUtf8ComeBackAsSent() throws Exception {
    String fromC = c.runClient(CPeers.Stubs.MT, "tcp", cPort, "bytes");
    assertEquals("""
        SHOUT("caf\\xe9") -> 434146e9
        JUDGE(MID, 0, "caf\\xe9") -> 636166e9
        SHOUT("caf\\xe8") -> 434146e8
        JUDGE(MID, 0, "caf\\xe8") -> 636166e8
        SHOUT("8 x \\xe9") -> e9e9e9e9e9e9e9e9
        JUDGE(MID, 0, "8 x \\xe9") -> e9e9e9e9e9e9e9e9
        """, fromC, "from the C server");
    assertEquals(fromC, c.runClient(CPeers.Stubs.MT, "tcp", onyx.port(), "bytes"), "from the Onyx server");
    try (RpcClient rpc = client(Transport.TCP)) {
      // And the other way: a Java client's such chars reach the C server as those bytes.
      CpeersProgV1.CpeersProg v1 = CpeersProgV1.newClient(rpc);
      assertEquals("CAF\udce9", v1.shout("caf\udce9"));
      assertEquals("\udce9".repeat(8), v1.shout("\udce9".repeat(8)), "at its bound");
    }
  }

  /**
   * The same bytes on the wire read as {@code opaque<CP_MAX_NAME>} on the Java side (here SHOUT
   * bound by hand) cross unchanged both ways, for a procedure that wants bytes, not text. JUDGE, which that server lacks, is PROC_UNAVAIL to
   * the C client.
   */
  @Test
  void opaqueOnTheJavaSideKeepsAStringsBytes() throws Exception {
    Procedure<byte[], byte[]> shout = new Procedure<>(CpeersProgV1.PROGRAM, CpeersProgV1.VERSION,
        5, "CPEERS_PROG.SHOUT", XdrCodecs.opaque(CpeersConstants.CP_MAX_NAME),
        XdrCodecs.opaque(CpeersConstants.CP_MAX_NAME));
    try (RpcServer bytes = RpcServer.builder()
        .bind(InetAddress.getLoopbackAddress(), 0)
        .addService(ServiceDefinition.builder(CpeersProgV1.PROGRAM, CpeersProgV1.VERSION)
            .procedure(shout, (name, context) -> upperAscii(name))
            .build())
        .build()
        .start()) {
      String fromC = c.runClient(CPeers.Stubs.MT, "tcp", cPort, "bytes");
      String fromOnyx = c.runClient(CPeers.Stubs.MT, "tcp", bytes.port(), "bytes");
      assertEquals(lines(fromC, "SHOUT"), lines(fromOnyx, "SHOUT"));
      assertEquals(List.of(
          "JUDGE(MID, 0, \"caf\\xe9\") -> RPC: Procedure unavailable",
          "JUDGE(MID, 0, \"caf\\xe8\") -> RPC: Procedure unavailable",
          "JUDGE(MID, 0, \"8 x \\xe9\") -> RPC: Procedure unavailable"), lines(fromOnyx, "JUDGE"));
    }
    try (RpcClient rpc = client(Transport.TCP)) {
      byte[] latin1 = {'c', 'a', 'f', (byte) 0xe9};
      assertArrayEquals(new byte[] {'C', 'A', 'F', (byte) 0xe9}, rpc.call(shout, latin1));
    }
  }

  private static byte[] upperAscii(byte[] name) {
    byte[] upper = name.clone();
    for (int i = 0; i < upper.length; i++) {
      if (upper[i] >= 'a' && upper[i] <= 'z') {
        upper[i] -= 'a' - 'A';
      }
    }
    return upper;
  }

  private static List<String> lines(String transcript, String prefix) {
    return transcript.lines().filter(line -> line.startsWith(prefix)).toList();
  }

  /**
   * libtirpc's TCP client does not reconnect, and its svc never closes an idle connection; nor
   * does an Onyx server unless given an {@code idleTimeout}. With one, a C client that keeps its
   * CLIENT longer than that between calls fails its next call, RPC_CANTRECV, where the C server
   * answers it. README's "Coming from rpcgen" says so.
   */
  @Test
  void aCClientIdleLongerThanTheIdleTimeoutFindsItsConnectionClosed() throws Exception {
    CountDownLatch closed = new CountDownLatch(1);
    try (RpcServer quick = RpcServer.builder()
        .bind(InetAddress.getLoopbackAddress(), 0)
        .idleTimeout(Duration.ofMillis(200))
        .addService(CpeersProgV1.bind(new CPeersService()))
        .intercept(new ServerInterceptor() {
          @Override
          public void onStart(ServerCall call) {
            call.context().connection().onClose(closed::countDown);
          }
        })
        .build()
        .start()) {
      CPeers.Interactive toC = c.startClient("tcp", cPort, "idle");
      CPeers.Interactive toOnyx = c.startClient("tcp", quick.port(), "idle");
      assertEquals("SHOUT(\"idle\") first -> IDLE", toC.line());
      assertEquals("SHOUT(\"idle\") first -> IDLE", toOnyx.line());
      assertTrue(closed.await(60, TimeUnit.SECONDS), "the Onyx server closed the idle connection");
      toC.send("go");
      toOnyx.send("go");
      assertEquals("SHOUT(\"idle\") after the idle time -> IDLE", toC.line());
      assertEquals("SHOUT(\"idle\") after the idle time -> RPC: Unable to receive", toOnyx.line());
    }
  }

  /**
   * libtirpc's UDP client reads replies of up to 8800 bytes: FILL(8772) makes a reply of exactly
   * that (24 bytes of header, 4 of length), which crosses from either server.
   */
  @Test
  void aUdpReplyOfExactlyLibtirpcsBufferCrosses() throws Exception {
    for (int port : new int[] {cPort, onyx.port()}) {
      for (CPeers.Stubs stubs : CPeers.Stubs.values()) {
        assertEquals("FILL(8772) -> 8772 bytes, as filled\n",
            c.runClient(stubs, "udp", port, "fill", "8772"), stubs + " to port " + port);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"TCP", "UDP"})
  void anOnyxClientGetsFromTheCServerWhatTheJavaServiceReturns(Transport transport) {
    CPeersService java = new CPeersService();
    try (RpcClient rpc = client(transport)) {
      CpeersProgV1.CpeersProg v1 = CpeersProgV1.newClient(rpc);
      for (Bundle bundle : List.of(sample(), small(new Verdict.Code(Integer.MIN_VALUE + 1)),
          small(new Verdict.Why(Level.LEVEL_MID, "abcdefgh")))) {
        assertEquals(java.echo(bundle), v1.echo(bundle), bundle::toString);
      }
      for (Level level : Level.values()) {
        for (int n : new int[] {Integer.MIN_VALUE, -1, 0, 7, Integer.MAX_VALUE}) {
          assertEquals(java.judge(level, n, "nm"), v1.judge(level, n, "nm"), level + " " + n);
        }
      }
      assertEquals("AUTH_NONE", v1.who());
      assertEquals("ABCDEFGH", v1.shout("abcdefgh"));
      assertEquals("GRüßE", v1.shout("grüße"));
      for (int n : new int[] {0, 1, 4, 5, 1000}) {
        assertArrayEquals(java.fill(n), v1.fill(n), "FILL(" + n + ")");
      }
      Cell cells = new Cell(-1, new Cell(Integer.MAX_VALUE, new Cell(Integer.MAX_VALUE, null)));
      assertEquals(4294967293L, CpeersProgV3.newClient(rpc).sum(cells));
      assertEquals(0L, CpeersProgV3.newClient(rpc).sum(null));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"TCP", "UDP"})
  void anOnyxClientSendsAuthSysToTheCServer(Transport transport) {
    AuthSys sys = new AuthSys(0, "onyx-host", -2, 5678, new int[] {7, -8});
    try (RpcClient rpc = RpcClient.builder().address("127.0.0.1", cPort).transport(transport)
        .timeout(Duration.ofSeconds(10)).credentials(sys).build()) {
      assertEquals("AUTH_SYS machine=onyx-host uid=4294967294 gid=5678 gids=[7, 4294967288]",
          CpeersProgV1.newClient(rpc).who());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"TCP", "UDP"})
  void anOnyxClientGetsTheCServersErrors(Transport transport) {
    try (RpcClient rpc = client(transport)) {
      Procedure<Void, Void> missing = new Procedure<>(CpeersProgV1.PROGRAM, CpeersProgV1.VERSION,
          99, "CPEERS_PROG.99", XdrCodecs.VOID, XdrCodecs.VOID);
      RpcException e = assertThrows(RpcException.class, () -> rpc.call(missing, null));
      assertEquals(RpcStatus.PROC_UNAVAIL, e.status(), e::toString);

      e = assertThrows(RpcException.class, () -> rpc.ping(CpeersProgV1.PROGRAM, 2));
      assertEquals(RpcStatus.PROG_MISMATCH, e.status(), e::toString);
      assertEquals(List.of(1, 3), List.of(e.low(), e.high()), e::toString);

      // Over the bound: refused before it is sent, and the client goes on.
      CpeersProgV1.CpeersProg v1 = CpeersProgV1.newClient(rpc);
      assertThrows(RuntimeException.class, () -> v1.shout("ninebytes"));
      assertEquals("ABC", v1.shout("abc"));
    }
  }

  private static RpcClient client(Transport transport) {
    return RpcClient.builder().address("127.0.0.1", cPort).transport(transport)
        .timeout(Duration.ofSeconds(10)).build();
  }

  private static Item item(String name, Level level, boolean on, long h, long uh, float f, double d) {
    return new Item(name, level, on, h, uh, f, d, new byte[] {1, 2, 3, (byte) 0xfe, (byte) 0xff});
  }

  /** The C client's sample, every field at or near its extreme. */
  private static Bundle sample() {
    return new Bundle(
        List.of(item("alpha", Level.LEVEL_LOW, true, Long.MIN_VALUE, 0, -1.5f, 0.1),
            item("beta", Level.LEVEL_HIGH, false, Long.MAX_VALUE, 42, 0.25f, -2.5)),
        List.of(item("abcdefgh", Level.LEVEL_LOW, true, 0, 0, 0f, 0.0),
            item("grüße", Level.LEVEL_MID, false, -1, 1, -0.0f, -0.0),
            item("", Level.LEVEL_HIGH, true, 1, -1, Float.MAX_VALUE, 1e308),
            item("z", Level.LEVEL_LOW, false, 123456789012345L, Long.MIN_VALUE, Float.MIN_VALUE,
                Double.MIN_VALUE)),
        new Cell(1, new Cell(-2, new Cell(Integer.MAX_VALUE, null))),
        new Verdict.Best(item("best", Level.LEVEL_MID, true, 7, 7, 7f, 7.0)));
  }

  private static Bundle small(Verdict verdict) {
    return new Bundle(List.of(item("a", Level.LEVEL_MID, false, 0, 0, 0, 0),
        item("b", Level.LEVEL_MID, false, 0, 0, 0, 0)), List.of(), null, verdict);
  }
}
