package org.onyxrpc.interop;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.onyxrpc.client.CallOptions;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.client.RpcClientBuilder;
import org.onyxrpc.interop.InteropTypes.Add3Args;
import org.onyxrpc.rpc.AuthStatus;
import org.onyxrpc.rpc.AuthSys;
import org.onyxrpc.rpc.Credentials;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * Interop (b): an Onyx client calls a C server whose dispatcher and XDR routines rpcgen generated
 * from interop.x and whose transport is libtirpc's. The C server answers TCP calls in 96-byte
 * record fragments, so the client must reassemble multi-fragment replies.
 */
class OnyxClientCallsCServerTest {
  @TempDir static Path work;

  private static NativeInterop c;
  private static int port;
  private static Path socket;

  @BeforeAll
  static void startCServer() throws Exception {
    c = NativeInterop.build(work);
    socket = work.resolve("c-server.sock");
    port = c.startServer(socket); // TCP, UDP, and a Unix-domain socket (svcunix_create)
  }

  @AfterAll
  static void stopCServer() throws InterruptedException {
    if (c != null) {
      c.stopProcesses();
    }
  }

  /** The fixture itself: rpcgen's client and server agree with both expected transcripts. */
  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Transport.class, names = {"TCP", "UDP"})
  void cClientAndCServerPrintTheExpectedTranscripts(Transport transport) throws Exception {
    assertEquals(NativeInterop.expected("expected-calls.txt"),
        c.runClient(transport, port, "calls"));
    assertEquals(NativeInterop.expected("expected-errors.txt"),
        c.runClient(transport, port, "errors"));
  }

  /**
   * The fixture: libtirpc's server answers the C client's credentials as expected-credentials.txt
   * says (a separate test, as the mode needs root).
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Transport.class, names = {"TCP", "UDP"})
  void cClientAndCServerAgreeOnCredentials(Transport transport) throws Exception {
    InteropEnvironment.requireRoot();
    assertEquals(NativeInterop.expected("expected-credentials.txt"),
        c.runClient(transport, port, "credentials"));
  }

  /** The fixture: libtirpc's server has run every batched call when the next call returns. */
  @Test
  void cClientAndCServerAgreeOnBatching() throws Exception {
    int fresh = c.startServer(); // COUNT_RUNS counts per server: the others' counts stay theirs
    assertEquals(NativeInterop.expected("expected-batch.txt"),
        c.runClient(Transport.TCP, fresh, "batch"));
  }

  /** The fixture: libtirpc's client and server agree on expected-controls.txt (clnt_control). */
  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Transport.class, names = {"TCP", "UDP"})
  void cClientAndCServerAgreeOnClientControls(Transport transport) throws Exception {
    int fresh = c.startServer(); // COUNT_RUNS counts per server: the others' counts stay theirs
    assertEquals(NativeInterop.expected("expected-controls.txt"),
        c.runClient(transport, fresh, "controls"));
  }

  /** Every type of interop.x crosses intact both ways, printed as the C client prints it. */
  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Transport.class, names = {"TCP", "UDP", "UNIX"})
  void onyxClientCallsEveryProcedure(Transport transport) throws Exception {
    try (RpcClient anonymous = client(transport);
        RpcClient authenticated = client(transport, CallScript.AUTH_SYS)) {
      assertEquals(NativeInterop.expected("expected-calls.txt"),
          CallScript.run(anonymous::call, authenticated::call));
    }
  }

  /** Calls in flight together are matched to their replies by xid. */
  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Transport.class, names = {"TCP", "UDP", "UNIX"})
  void onyxClientMatchesConcurrentReplies(Transport transport) throws Exception {
    try (RpcClient client = client(transport)) {
      List<CompletableFuture<Long>> sums = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        sums.add(client.callAsync(InteropProgram.ADD3, new Add3Args(i, 1L << 33, -1)));
      }
      for (int i = 0; i < sums.size(); i++) {
        long expected = i + (1L << 33) + 0xffffffffL;
        assertEquals(expected, sums.get(i).get(30, TimeUnit.SECONDS), "call " + i);
      }
    }
  }

  /**
   * Retransmissions keep their xid, as every duplicate request cache needs: the C server's
   * (libtirpc's UDP reply cache) replays the saved reply, so COUNT_RUNS runs once per call.
   */
  @Test
  void onyxUdpRetransmissionsKeepTheirXid() {
    try (RpcClient client = RpcClient.builder()
        .address("127.0.0.1", port)
        .transport(Transport.UDP)
        .timeout(Duration.ofSeconds(10))
        .attemptTimeout(Duration.ofMillis(200))
        .build()) {
      // A C server does not speak Onyx's tags, so only an at-least-once call is retransmitted to
      // it (an at-most-once call goes once); libtirpc's reply cache then keeps it to one run.
      CallOptions atLeastOnce = CallOptions.DEFAULT.withSemantics(CallSemantics.AT_LEAST_ONCE);
      assertEquals(1, client.call(InteropProgram.COUNT_RUNS, 1000, atLeastOnce));
      assertTrue(client.stats().retransmissions() > 0, client.stats()::toString);
      assertEquals(2, client.call(InteropProgram.COUNT_RUNS, 0), "runs after a retransmitted call");
    }
  }

  /** The longest AUTH_SYS credential (255-byte machine name, 16 gids) reaches libtirpc intact. */
  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Transport.class, names = {"TCP", "UDP", "UNIX"})
  void onyxClientSendsTheLongestAuthSys(Transport transport) {
    StringBuilder machine = new StringBuilder();
    for (int i = 0; i < AuthSys.MAX_MACHINE_NAME; i++) {
      machine.append((char) ('a' + i % 26));
    }
    int[] gids = new int[AuthSys.MAX_GIDS];
    StringBuilder listed = new StringBuilder();
    for (int i = 0; i < gids.length; i++) {
      gids[i] = 100 + i;
      listed.append(i == 0 ? "" : ", ").append(gids[i]);
    }
    AuthSys longest = new AuthSys(0, machine.toString(), 0xfffffffe, 65534, gids);
    try (RpcClient client = client(transport, longest)) {
      assertEquals("AUTH_SYS machine=" + machine + " uid=4294967294 gid=65534 gids=[" + listed + "]",
          client.call(InteropProgram.WHOAMI, null));
    }
  }

  /**
   * One-way calls to a C server, whose rpcgen dispatcher answers every call: the client drops
   * those replies as late ones, and the calls have all run, in order, when the next call returns.
   */
  @Test
  void onyxOneWayCallsToACServer() throws Exception {
    int fresh = c.startServer(); // COUNT_RUNS counts per server: the others' counts stay theirs
    Procedure<Integer, Void> oneWay = InteropProgram.procedure(
        InteropProgram.COUNT_RUNS.number(), "COUNT_RUNS one-way", XdrCodecs.UNSIGNED_INT,
        XdrCodecs.VOID);
    try (RpcClient client = RpcClient.builder()
        .address("127.0.0.1", fresh)
        .timeout(Duration.ofSeconds(10))
        .build()) {
      int before = client.call(InteropProgram.COUNT_RUNS, 0);
      for (int i = 0; i < 50; i++) {
        client.sendAndWait(oneWay, 0, CallOptions.DEFAULT);
      }
      assertEquals(before + 51, client.call(InteropProgram.COUNT_RUNS, 0));
      assertEquals(50, client.stats().lateReplies(), client.stats()::toString);
    }
  }

  /** The C library's refusals surface as the matching RpcStatus, with versions where they apply. */
  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Transport.class, names = {"TCP", "UDP", "UNIX"})
  void onyxClientSeesEachRefusal(Transport transport) {
    try (RpcClient client = client(transport)) {
      Procedure<Void, Void> proc99 =
          InteropProgram.procedure(99, "P99", XdrCodecs.VOID, XdrCodecs.VOID);
      Procedure<Void, Void> version2 = new Procedure<>(InteropProgram.PROGRAM, 2, 0, "NULL v2",
          XdrCodecs.VOID, XdrCodecs.VOID);
      Procedure<Void, Void> otherProgram = new Procedure<>(InteropProgram.PROGRAM + 1, 1, 0,
          "other NULL", XdrCodecs.VOID, XdrCodecs.VOID);
      Procedure<Void, Void> noArguments = InteropProgram.procedure(
          InteropProgram.TRANSFORM.number(), "TRANSFORM without arguments", XdrCodecs.VOID,
          XdrCodecs.VOID);
      // name<16> on the server; sent as string<> so the client's own bound does not stop it.
      Procedure<String, String> unboundedGreet = InteropProgram.procedure(
          InteropProgram.GREET.number(), "GREET unbounded", XdrCodecs.STRING, XdrCodecs.STRING);

      RpcException mismatch = refused(RpcStatus.PROG_MISMATCH, () -> client.call(version2, null));
      assertAll(
          () -> refused(RpcStatus.PROC_UNAVAIL, () -> client.call(proc99, null)),
          () -> assertEquals(1, mismatch.low(), "low version"),
          () -> assertEquals(1, mismatch.high(), "high version"),
          () -> refused(RpcStatus.PROG_UNAVAIL, () -> client.call(otherProgram, null)),
          () -> refused(RpcStatus.GARBAGE_ARGS, () -> client.call(noArguments, null)),
          () -> refused(RpcStatus.GARBAGE_ARGS,
              () -> client.call(unboundedGreet, "seventeen-bytes!!")),
          () -> refused(RpcStatus.SYSTEM_ERR, () -> client.call(InteropProgram.GREET, "crash")),
          // The connection or socket still serves after every refusal.
          () -> assertEquals("hello, again", client.call(InteropProgram.GREET, "again")));
    }
  }

  /** Refused credentials come back with libtirpc's auth_stat, which Onyx's server copies. */
  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Transport.class, names = {"TCP", "UDP", "UNIX"})
  void onyxClientSeesCredentialRefusals(Transport transport) {
    byte[] body = "onyx".getBytes(StandardCharsets.US_ASCII);
    Credentials foreign = new Credentials.Unrecognized(new OpaqueAuth(23130, body));
    // An AUTH_SYS body holding a stamp and nothing else.
    Credentials truncated = new Credentials.Unrecognized(new OpaqueAuth(OpaqueAuth.AUTH_SYS, body));
    try (RpcClient foreignClient = client(transport, foreign);
        RpcClient truncatedClient = client(transport, truncated)) {
      RpcException rejected =
          refused(RpcStatus.AUTH_ERROR, () -> foreignClient.call(InteropProgram.NULL, null));
      RpcException bad =
          refused(RpcStatus.AUTH_ERROR, () -> truncatedClient.call(InteropProgram.NULL, null));
      assertAll(
          () -> assertEquals(AuthStatus.AUTH_REJECTEDCRED, rejected.authStatus()),
          () -> assertEquals(AuthStatus.AUTH_BADCRED, bad.authStatus()));
    }
  }

  /**
   * libtirpc's own refusals of flavors it knows (Debian's is built with RPCSEC_GSS): an RPCSEC_GSS
   * call with a context it never made is RPCSEC_GSS_CREDPROBLEM, AUTH_DES the catch-all
   * AUTH_FAILED, AUTH_SHORT with a handle it never gave AUTH_REJECTEDCRED. Each comes back as
   * AUTH_ERROR with that reason, and the connection serves on.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Transport.class, names = {"TCP", "UDP"})
  void onyxClientSeesLibtirpcsOwnAuthStatuses(Transport transport) {
    ByteBuf gss = Unpooled.buffer(); // RFC 2203 rpc_gss_cred_vers_1_t: DATA in context 0xdeadbeef
    gss.writeInt(1).writeInt(0).writeInt(1).writeInt(1).writeInt(4).writeInt(0xdeadbeef);
    ByteBuf des = Unpooled.buffer(); // RFC 2695 authdes_cred: ADN_FULLNAME "unix.0@x", key, window
    des.writeInt(0).writeInt(8).writeBytes("unix.0@x".getBytes(StandardCharsets.US_ASCII))
        .writeZero(12);
    Map<Integer, AuthStatus> expected = Map.of(
        6, AuthStatus.RPCSEC_GSS_CREDPROBLEM,
        3, AuthStatus.AUTH_FAILED,
        2, AuthStatus.AUTH_REJECTEDCRED);
    Map<Integer, byte[]> bodies = Map.of(6, ByteBufUtil.getBytes(gss), 3, ByteBufUtil.getBytes(des),
        2, new byte[] {0, 0, 0, 1, 0, 0, 0, 2});
    gss.release();
    des.release();
    for (Map.Entry<Integer, AuthStatus> e : expected.entrySet()) {
      Credentials credential =
          new Credentials.Unrecognized(new OpaqueAuth(e.getKey(), bodies.get(e.getKey())));
      try (RpcClient client = client(transport, credential)) {
        RpcException refusal =
            refused(RpcStatus.AUTH_ERROR, () -> client.call(InteropProgram.WHOAMI, null));
        assertEquals(e.getValue(), refusal.authStatus(), "flavor " + e.getKey());
      }
    }
  }

  private static RpcException refused(RpcStatus status, Executable call) {
    RpcException e = assertThrows(RpcException.class, call);
    assertEquals(status, e.status(), () -> e.toString());
    return e;
  }

  private static RpcClient client(Transport transport) {
    return client(transport, Credentials.NONE);
  }

  private static RpcClient client(Transport transport, Credentials credentials) {
    RpcClientBuilder builder = transport == Transport.UNIX ? RpcClient.builder().unixSocket(socket)
        : RpcClient.builder().address("127.0.0.1", port).transport(transport);
    return builder
        .credentials(credentials)
        .timeout(Duration.ofSeconds(10))
        .build();
  }
}
