package org.onyxrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.internal.rpc.RpcMessages;
import org.onyxrpc.rpc.AuthStatus;
import org.onyxrpc.rpc.AuthSys;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.ReplyHeader;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.Await;
import org.onyxrpc.testing.RawTcpPeer;
import org.onyxrpc.testing.TestService;
import org.onyxrpc.testing.TestTransport;
import org.onyxrpc.xdr.XdrCodecs;
import org.onyxrpc.xdr.XdrReader;

/** Every RFC 5531 error reply, produced where the RFC says, as a client sees it. */
class ErrorRepliesTest {
  private static RpcServer server;
  private static RpcClient client;

  @BeforeAll
  static void start() throws Exception {
    server = TestTransport.server()
        .addService(new TestService().definition())
        .addService(TestService.version2())
        .build()
        .start();
    client = TestTransport.client(server).build();
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  /**
   * Where {@code client} calls, as its failures name the server: a log line of a refusal says
   * which server refused (before, only the client's own failures, TIMEOUT or UNAVAILABLE, did).
   */
  private static String at(RpcClient client) {
    return client.toString().replaceAll("^RpcClient\\[|(, TLS)?]$", "");
  }

  private static RpcException fail(Procedure<Void, Void> p) {
    return assertThrows(RpcException.class, () -> client.call(p, null));
  }

  @Test
  void unknownProgramIsProgUnavail() {
    RpcException e = fail(new Procedure<>(0x20000999, 1, 1, "Other.x", XdrCodecs.VOID, XdrCodecs.VOID));
    assertEquals(RpcStatus.PROG_UNAVAIL, e.status());
    assertEquals("program 0x20000999 not available on server " + at(client) + " (calling Other.x)",
        e.getMessage());
  }

  @Test
  void unknownVersionIsProgMismatchWithTheRange() {
    RpcException e = fail(new Procedure<>(TestService.PROGRAM, 3, 1, "Test3.x", XdrCodecs.VOID, XdrCodecs.VOID));
    assertEquals(RpcStatus.PROG_MISMATCH, e.status());
    assertEquals(1, e.low());
    assertEquals(2, e.high());
    assertEquals("program 0x20000101 version 3 not available: server " + at(client) + " has 1..2",
        e.getMessage());
  }

  @Test
  void unknownProcedureIsProcUnavail() {
    RpcException e = fail(TestService.MISSING);
    assertEquals(RpcStatus.PROC_UNAVAIL, e.status());
    assertEquals("procedure 99 (Test.missing) not available in program 0x20000101 version 1"
        + " on server " + at(client), e.getMessage());
  }

  @Test
  void handlerExceptionIsSystemErr() {
    RpcException e = fail(TestService.FAIL);
    assertEquals(RpcStatus.SYSTEM_ERR, e.status());
    assertEquals("server " + at(client) + " failed Test.fail (program 0x20000101 version 1 procedure 4)"
        + " with a system error; it may have run",
        e.getMessage());
  }

  @Test
  void handlerMayRefuseWeakCredentials() {
    RpcException e = fail(TestService.TOO_WEAK);
    assertEquals(RpcStatus.AUTH_ERROR, e.status());
    assertEquals(AuthStatus.AUTH_TOOWEAK, e.authStatus());
    assertTrue(e.getMessage().startsWith("server " + at(client) + " refused the credentials of "),
        e.getMessage());
  }

  /**
   * An implementation may refuse arguments that decode (ProcedureHandler's Javadoc): the reply
   * cannot say so, and the client's message must not claim the IDLs differ. Before: "server could
   * not decode the arguments of Picky.take (…); are client and server built from the same IDL?".
   */
  @Test
  void garbageArgsThrownByTheImplementationIsNotToldAsAnIdlMismatch() throws Exception {
    Procedure<Integer, Void> take = new Procedure<>(0x20000401, 1, 1, "Picky.take", XdrCodecs.INT, XdrCodecs.VOID);
    try (RpcServer picky = TestTransport.server()
            .addService(ServiceDefinition.builder(0x20000401, 1)
                .procedure(take, (n, ctx) -> {
                  throw new RpcException(RpcStatus.GARBAGE_ARGS, "negative count " + n);
                })
                .build())
            .build().start();
        RpcClient c = TestTransport.client(picky).build()) {
      RpcException e = assertThrows(RpcException.class, () -> c.call(take, -1));
      assertEquals(RpcStatus.GARBAGE_ARGS, e.status());
      assertEquals("server " + at(c) + " refused the arguments of Picky.take"
          + " (program 0x20000401 version 1 procedure 1)"
          + " (GARBAGE_ARGS) and did not carry out the call; this client reads back what it sent,"
          + " so the server reads these arguments otherwise: its implementation found their values"
          + " invalid, they are past a limit of its decoder, or it is built from another version of"
          + " the IDL (version skew). The call may be sent again, but these arguments will be"
          + " refused again (if their values are valid: are client and server built from the same"
          + " IDL?)", e.getMessage());
    }
  }

  @Test
  void nullProcedureAnswersForEveryVersion() {
    client.ping(TestService.PROGRAM, 1);
    client.ping(TestService.PROGRAM, 2);
    assertEquals(RpcStatus.PROG_MISMATCH,
        assertThrows(RpcException.class, () -> client.ping(TestService.PROGRAM, 7)).status());
  }

  @Test
  void authSysCredentialsReachTheProcedure() {
    AuthSys who = new AuthSys(7, "client1", 1000, 100, new int[] {10, 20});
    try (RpcClient c = TestTransport.client(server).credentials(who).build()) {
      assertEquals("AUTH_SYS[client1 uid=1000 gid=100 gids=[10, 20]]", c.call(TestService.WHO, null));
    }
  }

  @Test
  void rawErrorsOnTheWire() throws Exception {
    try (RawTcpPeer peer = TestTransport.raw(server)) {
      // RPC version 3: RPC_MISMATCH 2..2.
      peer.sendRecord(RawTcpPeer.call(1, 3, TestService.PROGRAM, 1, 1, OpaqueAuth.NONE, new byte[0]));
      assertEquals(ReplyHeader.rpcMismatch(1, 2, 2), peer.readReply());
      // An auth flavor the server does not know: AUTH_REJECTEDCRED.
      peer.sendRecord(RawTcpPeer.call(2, 2, TestService.PROGRAM, 1, 0,
          new OpaqueAuth(OpaqueAuth.RPCSEC_GSS, new byte[] {1, 2, 3, 4}), new byte[0]));
      assertEquals(ReplyHeader.authError(2, AuthStatus.AUTH_REJECTEDCRED), peer.readReply());
      // AUTH_SYS whose body is cut short: AUTH_BADCRED.
      peer.sendRecord(RawTcpPeer.call(3, 2, TestService.PROGRAM, 1, 0,
          new OpaqueAuth(OpaqueAuth.AUTH_SYS, new byte[] {0, 0, 0, 1}), new byte[0]));
      assertEquals(ReplyHeader.authError(3, AuthStatus.AUTH_BADCRED), peer.readReply());
      // Arguments too short for two ints: GARBAGE_ARGS.
      peer.sendRecord(RawTcpPeer.call(4, 2, TestService.PROGRAM, 1, 1, OpaqueAuth.NONE, new byte[4]));
      assertEquals(ReplyHeader.accepted(4, RpcStatus.GARBAGE_ARGS), peer.readReply());
      // Bytes after the arguments: GARBAGE_ARGS too.
      peer.sendRecord(RawTcpPeer.call(5, 2, TestService.PROGRAM, 1, 1, OpaqueAuth.NONE, new byte[12]));
      assertEquals(ReplyHeader.accepted(5, RpcStatus.GARBAGE_ARGS), peer.readReply());
      // And the connection still serves a good call.
      peer.sendRecord(RawTcpPeer.call(6, 2, TestService.PROGRAM, 1, 1, OpaqueAuth.NONE,
          new byte[] {0, 0, 0, 2, 0, 0, 0, 3}));
      assertEquals(ReplyHeader.accepted(6, RpcStatus.SUCCESS), peer.readReply());
    }
  }

  @Test
  void anotherRpcVersionIsAnsweredFromItsXidAloneOverTcpAndUdp() throws Exception {
    // RFC 5531 §9 lays out version 2's call body only: a version-3 call need be no more than
    // xid, msg_type and rpcvers. Such a message was dropped as malformed, unanswered.
    byte[] bare = {0, 0, 0, 21, 0, 0, 0, 0, 0, 0, 0, 3};
    try (RawTcpPeer peer = TestTransport.raw(server)) {
      peer.sendRecord(bare);
      assertEquals(ReplyHeader.rpcMismatch(21, 2, 2), peer.readReply());
    }
    // Over UDP, whose sender may be forged, only from a datagram at least as long as the reply:
    // the bare one is dropped, one that carries program, version and procedure answered.
    byte[] full = {0, 0, 0, 22, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1};
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout(5_000);
      InetAddress loopback = InetAddress.getLoopbackAddress();
      socket.send(new DatagramPacket(bare, bare.length, loopback, server.port()));
      socket.send(new DatagramPacket(full, full.length, loopback, server.port()));
      DatagramPacket reply = new DatagramPacket(new byte[64], 64);
      socket.receive(reply);
      assertEquals(ReplyHeader.rpcMismatch(22, 2, 2), RpcMessages.readReply(
          new XdrReader(Unpooled.wrappedBuffer(reply.getData(), 0, reply.getLength()))));
    }
  }

  @Test
  void unreadableCredentialIsAuthBadcredAndUnreadableVerifierAuthBadverf() throws Exception {
    // Test.add(2, 3) behind a credential or verifier whose body is over opaque<400> or runs past
    // the record. Such calls were dropped as malformed, unanswered.
    int p = TestService.PROGRAM;
    try (RawTcpPeer peer = TestTransport.raw(server)) {
      peer.sendRecord(ints(new int[] {31, 0, 2, p, 1, 1, OpaqueAuth.AUTH_SYS, 401}, 101,
          new int[] {0, 0, 2, 3}));
      assertEquals(ReplyHeader.authError(31, AuthStatus.AUTH_BADCRED), peer.readReply());
      peer.sendRecord(ints(new int[] {32, 0, 2, p, 1, 1, OpaqueAuth.AUTH_NONE, 0xFFFF_FFFF, 0, 0, 2, 3}));
      assertEquals(ReplyHeader.authError(32, AuthStatus.AUTH_BADCRED), peer.readReply());
      peer.sendRecord(ints(new int[] {33, 0, 2, p, 1, 1, 0, 0, OpaqueAuth.AUTH_NONE, 401}, 101,
          new int[] {2, 3}));
      assertEquals(ReplyHeader.authError(33, AuthStatus.AUTH_BADVERF), peer.readReply());
      peer.sendRecord(ints(new int[] {34, 0, 2, p, 1, 1, 0, 0, OpaqueAuth.AUTH_NONE, 0x8000_0000, 2, 3}));
      assertEquals(ReplyHeader.authError(34, AuthStatus.AUTH_BADVERF), peer.readReply());
      // Cut short before the credential: nothing but an xid to answer, dropped as before.
      peer.sendRecord(ints(new int[] {35, 0, 2, p, 1}));
      peer.sendRecord(ints(new int[] {36, 0, 2, p, 1, 1, 0, 0, 0, 0, 2, 3}));
      assertEquals(ReplyHeader.accepted(36, RpcStatus.SUCCESS), peer.readReply());
    }
  }

  /** {@code head}, then {@code zeros} zero words, then {@code tail}, as XDR. */
  private static byte[] ints(int[] head, int zeros, int[] tail) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * (head.length + zeros + tail.length));
    for (int i : head) {
      b.putInt(i);
    }
    b.position(b.position() + 4 * zeros);
    for (int i : tail) {
      b.putInt(i);
    }
    return b.array();
  }

  private static byte[] ints(int[] words) {
    return ints(words, 0, new int[0]);
  }

  /**
   * Each call's stage is completed by the test, not by a delay: with DELAYED 300 ms and 1 ms, a
   * loaded machine could take longer than the 300 ms to bring the second call's reply, and the
   * first was then done too.
   */
  @Test
  void asyncHandlersCompleteOutOfOrder() throws Exception {
    Map<Integer, CompletableFuture<Integer>> parked = new ConcurrentHashMap<>();
    Procedure<Integer, Integer> park =
        new Procedure<>(0x20000402, 1, 1, "Parked.take", XdrCodecs.INT, XdrCodecs.INT);
    try (RpcServer parking = TestTransport.server()
            .addService(ServiceDefinition.builder(0x20000402, 1)
                .asyncProcedure(park, (n, ctx) -> parked.computeIfAbsent(n, k -> new CompletableFuture<>()))
                .build())
            .build().start();
        RpcClient caller = TestTransport.client(parking).build()) {
      CompletableFuture<Integer> first = caller.callAsync(park, 1);
      CompletableFuture<Integer> second = caller.callAsync(park, 2);
      Await.until(() -> parked.size() == 2); // both running on the server
      parked.get(2).complete(20);
      assertEquals(20, second.get(30, TimeUnit.SECONDS));
      assertFalse(first.isDone(), "the first call's reply is not held for the second's");
      parked.get(1).complete(10);
      assertEquals(10, first.get(30, TimeUnit.SECONDS));
    }
  }

  @Test
  void handlerThatThrowsNoReplySendsNothing() throws Exception {
    Procedure<Void, Void> silent =
        new Procedure<>(0x20000400, 1, 1, "Quiet.fail", XdrCodecs.VOID, XdrCodecs.VOID);
    try (RpcServer quiet = TestTransport.server()
            .addService(ServiceDefinition.builder(0x20000400, 1)
                .procedure(silent, (v, ctx) -> {
                  throw new NoReply("the relayed call failed");
                })
                .build())
            .build().start();
        RawTcpPeer peer = TestTransport.raw(quiet)) {
      peer.sendRecord(RawTcpPeer.call(1, 2, 0x20000400, 1, 1, OpaqueAuth.NONE, new byte[0]));
      peer.sendRecord(RawTcpPeer.call(2, 2, 0x20000400, 1, 0, OpaqueAuth.NONE, new byte[0]));
      assertEquals(2, peer.readReply().xid(), "only the NULL ping is answered");
    }
  }

  @Test
  void statusListCoversTheWire() {
    assertEquals(List.of(RpcStatus.SUCCESS, RpcStatus.PROG_UNAVAIL, RpcStatus.PROG_MISMATCH,
        RpcStatus.PROC_UNAVAIL, RpcStatus.GARBAGE_ARGS, RpcStatus.SYSTEM_ERR),
        java.util.Arrays.stream(RpcStatus.values())
            .filter(s -> s.kind() == RpcStatus.Kind.ACCEPTED).toList());
  }
}
