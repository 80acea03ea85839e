package org.onyxrpc.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.onyxrpc.client.CallOptions;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.interop.InteropTypes.Color;
import org.onyxrpc.interop.InteropTypes.Node;
import org.onyxrpc.rpc.AuthStatus;
import org.onyxrpc.rpc.CallSemantics;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.transport.Transport;

/**
 * An Onyx client against rpcgen servers whose connections fail (interop_faulty_server.c): one
 * that closes each connection after a reply, as inetd-style servers do, one that dies in the
 * middle of a multi-fragment reply, one whose procedure calls svc_exit() (over TCP and UDP), and
 * one that refuses records over a length, as nfs-utils' daemons have libtirpc do. Each call's status tells no more than the client knows: a
 * call that was sent and lost its connection may have run (OUTCOME_UNKNOWN, or a result after a
 * resend for AT_LEAST_ONCE), never UNAVAILABLE, which only a call that never left can be.
 */
class FaultyCServerTest {
  private static final CallOptions AT_LEAST_ONCE =
      CallOptions.DEFAULT.withSemantics(CallSemantics.AT_LEAST_ONCE);

  /**
   * The attempt timeout of the tests that count retransmissions of answered calls: a reply slower
   * than the default second on a loaded machine would be resent, over UDP or TCP alike.
   */
  private static final Duration ANSWERED_WITHIN = Duration.ofSeconds(10);

  @TempDir static Path work;
  private static NativeInterop c;

  @BeforeAll
  static void build() throws Exception {
    c = NativeInterop.buildFaultyServer(work);
  }

  @AfterEach
  void stopServers() throws InterruptedException {
    c.stopProcesses();
  }

  /**
   * Against a server that closes after each reply, AT_LEAST_ONCE calls are sent again on a new
   * connection until one is answered. AT_MOST_ONCE calls made together are sent once each (the
   * server has no Onyx duplicate cache): each is answered, or OUTCOME_UNKNOWN if it went out on a
   * connection that then closed, or UNAVAILABLE if it never went out, as the server's count of
   * runs shows: it ran at least every answered call and at most those and the unknown ones.
   */
  @Test
  void aServerThatClosesAfterEachReply() throws Exception {
    int port = c.startFaultyServer("close-after-reply");
    try (RpcClient client = client(port)) {
      for (int i = 0; i < 10; i++) {
        assertEquals(Color.GREEN, client.call(InteropProgram.NEXT_COLOR, Color.RED, AT_LEAST_ONCE),
            "at-least-once call " + i);
      }
      int before = runs(port);
      List<CompletableFuture<Integer>> together = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        together.add(client.callAsync(InteropProgram.COUNT_RUNS, 0));
      }
      Map<RpcStatus, Integer> outcomes = outcomes(together, 30, result -> { });
      int ran = runs(port) - before - 1;
      int answered = outcomes.getOrDefault(RpcStatus.SUCCESS, 0);
      int unknown = outcomes.getOrDefault(RpcStatus.OUTCOME_UNKNOWN, 0);
      assertEquals(10, answered + unknown + outcomes.getOrDefault(RpcStatus.UNAVAILABLE, 0),
          outcomes::toString);
      assertTrue(answered <= ran && ran <= answered + unknown, ran + " runs for " + outcomes);
      assertEquals(Color.GREEN, client.call(InteropProgram.NEXT_COLOR, Color.RED, AT_LEAST_ONCE),
          "and the client still serves");
    }
  }

  /**
   * Calls that never left the client when the server closed its connection go out on a new one.
   * 200 at-most-once REVERSE calls of about 64 KiB each (12 MiB, more than the sockets' buffers
   * hold) from a new client to a server that closes after each reply: the calls go out once the
   * NULL ping that asks whether the server filters duplicates is answered, on the connection the
   * server then closes, so most of them still wait in the client's outbound buffer when it goes.
   * Before, every one was OUTCOME_UNKNOWN ("it was sent ... and AT_MOST_ONCE does not send it
   * again") on that one connection, and the server had run none. Now a call none of whose bytes
   * reached the socket goes on a new connection: each call is answered, OUTCOME_UNKNOWN, or
   * UNAVAILABLE (it never left that one either: sent again once, or found it closed), the server
   * ran between the answered ones and those that may have run (so no UNAVAILABLE one did), and
   * some did run. Both I/O strategies: the caller-runs execution runs it with the client's own
   * socket writer.
   */
  @Test
  void callsNotWrittenWhenAServerClosesGoOutOnANewConnection() throws Exception {
    int port = c.startFaultyServer("close-after-reply");
    Node list = null;
    for (int i = 0; i < 2000; i++) {
      list = new Node("node" + i, i, list);
    }
    int before = runs(port);
    try (RpcClient client = RpcClient.builder().address("127.0.0.1", port)
        .timeout(Duration.ofSeconds(60)).build()) {
      List<CompletableFuture<Node>> calls = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        calls.add(client.callAsync(InteropProgram.REVERSE, list));
      }
      Map<RpcStatus, Integer> outcomes = outcomes(calls, 60,
          head -> assertEquals(0, head.value(), "the reversed list's head"));
      int ran = runs(port) - before - 1;
      int answered = outcomes.getOrDefault(RpcStatus.SUCCESS, 0);
      int unknown = outcomes.getOrDefault(RpcStatus.OUTCOME_UNKNOWN, 0);
      int unavailable = outcomes.getOrDefault(RpcStatus.UNAVAILABLE, 0);
      String seen = outcomes + ", " + ran + " ran, " + client.stats();
      assertEquals(200, answered + unknown + unavailable, seen);
      assertTrue(answered <= ran && ran <= answered + unknown, seen);
      // Before: one connection, 200 OUTCOME_UNKNOWN and none ran (all written after the close).
      assertTrue(client.stats().connects() > 1 && ran > 0, seen);
      assertEquals(Color.GREEN, client.call(InteropProgram.NEXT_COLOR, Color.RED, AT_LEAST_ONCE),
          "and the client still serves");
    }
  }

  /** The server's count of runs, this call's included: one MAYBE call on a new connection. */
  private static int runs(int port) {
    try (RpcClient fresh = client(port)) {
      return fresh.call(InteropProgram.COUNT_RUNS, 0,
          CallOptions.DEFAULT.withSemantics(CallSemantics.MAYBE));
    }
  }

  /**
   * A server that exits after sending the first fragments of a reply: the call may have run
   * (OUTCOME_UNKNOWN, for AT_LEAST_ONCE too, as the new connection is refused), the part of the
   * record that came is dropped, and the next call, which cannot leave, is UNAVAILABLE.
   */
  @Test
  void aServerThatDiesInTheMiddleOfAReply() throws Exception {
    int port = c.startFaultyServer("die-mid-reply");
    Node list = null;
    for (int i = 0; i < 300; i++) {
      list = new Node("n" + i, i, list);
    }
    Node arguments = list;
    try (RpcClient client = client(port)) {
      assertEquals(Color.GREEN, client.call(InteropProgram.NEXT_COLOR, Color.RED));
      RpcException died = assertThrows(RpcException.class,
          () -> client.call(InteropProgram.REVERSE, arguments, AT_LEAST_ONCE));
      assertEquals(RpcStatus.OUTCOME_UNKNOWN, died.status(), died::toString);
      RpcException gone = assertThrows(RpcException.class,
          () -> client.call(InteropProgram.NEXT_COLOR, Color.RED));
      assertEquals(RpcStatus.UNAVAILABLE, gone.status(), gone::toString);
    }
  }

  /**
   * A server whose procedure calls svc_exit(), as one told to stop does: the call ran and is never
   * answered, and the process exits. Over TCP (the connection closes) and over UDP (a resend meets
   * the closed port) the call may have run: OUTCOME_UNKNOWN, AT_LEAST_ONCE too, at once rather
   * than at its deadline. The next call over TCP is refused its connection, so never left:
   * UNAVAILABLE. Over UDP its datagram left before the ICMP port unreachable came back, and the
   * client holds that any datagram that left may have run (DatagramClientTest): OUTCOME_UNKNOWN,
   * saying nothing listens, also at once.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Transport.class, names = {"TCP", "UDP"})
  void aServerThatCallsSvcExitInAProcedure(Transport transport) throws Exception {
    int port = c.startFaultyServer("exit-mid-call");
    // Deadlines of ten minutes: a call that waited for its deadline would end TIMEOUT.
    try (RpcClient client = RpcClient.builder().address("127.0.0.1", port).transport(transport)
        .timeout(Duration.ofMinutes(10)).build()) {
      assertEquals("hello, there", client.call(InteropProgram.GREET, "there"));
      RpcException exited = assertThrows(RpcException.class,
          () -> client.call(InteropProgram.GREET, "exit", AT_LEAST_ONCE));
      assertEquals(RpcStatus.OUTCOME_UNKNOWN, exited.status(), exited::toString);
      RpcException gone = assertThrows(RpcException.class,
          () -> client.call(InteropProgram.GREET, "again"));
      if (transport == Transport.TCP) {
        assertEquals(RpcStatus.UNAVAILABLE, gone.status(), gone::toString);
      } else {
        assertEquals(RpcStatus.OUTCOME_UNKNOWN, gone.status(), gone::toString);
        assertTrue(gone.getMessage().endsWith("then nothing listens at the server's port"
            + " (ICMP port unreachable)"), gone::getMessage);
      }
    }
  }

  /**
   * Replies that C servers may send and libtirpc's own never does. A success with an AUTH_SHORT
   * verifier (RFC 5531 lets a client ignore the handle) is a success, and the calls after it
   * carry the whole AUTH_SYS credential again; AUTH_TOOWEAK is
   * AUTH_ERROR with that reason; a SYSTEM_ERR from a procedure that ran first is SYSTEM_ERR, not
   * sent again even at-least-once (a server's answer is not a lost transmission), and it ran
   * once; a success with no result where one was due is INTERNAL, which says the procedure ran.
   * Over TCP and UDP.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Transport.class, names = {"TCP", "UDP"})
  void oddRepliesOfACServerTellWhatRan(Transport transport) throws Exception {
    int port = c.startFaultyServer("odd-replies");
    try (RpcClient client = RpcClient.builder().address("127.0.0.1", port).transport(transport)
        .credentials(CallScript.AUTH_SYS).timeout(Duration.ofSeconds(20))
        .attemptTimeout(ANSWERED_WITHIN).build()) {
      String whoami = "AUTH_SYS machine=interop-host uid=1234 gid=5678 gids=[7, 8]";
      assertEquals(whoami, client.call(InteropProgram.WHOAMI, null), "the short handle is ignored");
      assertEquals(whoami, client.call(InteropProgram.WHOAMI, null), "and the credential sent again");

      RpcException weak = assertThrows(RpcException.class,
          () -> client.call(InteropProgram.GREET, "weak", AT_LEAST_ONCE));
      assertEquals(RpcStatus.AUTH_ERROR, weak.status(), weak::toString);
      assertEquals(AuthStatus.AUTH_TOOWEAK, weak.authStatus(), weak::toString);

      int before = client.call(InteropProgram.COUNT_RUNS, 0);
      RpcException failed = assertThrows(RpcException.class,
          () -> client.call(InteropProgram.GREET, "ran", AT_LEAST_ONCE));
      assertEquals(RpcStatus.SYSTEM_ERR, failed.status(), failed::toString);
      // Over UDP the message goes on to say a result too large for a datagram is told so too.
      assertTrue(failed.getMessage().contains("with a system error; it may have run"),
          failed::getMessage);
      assertEquals(before + 2, client.call(InteropProgram.COUNT_RUNS, 0), "it ran once");

      RpcException empty = assertThrows(RpcException.class,
          () -> client.call(InteropProgram.NEXT_COLOR, Color.RED, AT_LEAST_ONCE));
      assertEquals(RpcStatus.INTERNAL, empty.status(), empty::toString);
      assertTrue(empty.getMessage().contains("cannot decode the result"), empty::getMessage);
      assertEquals(0, client.stats().retransmissions(), client.stats()::toString);
      assertEquals("hello, again", client.call(InteropProgram.GREET, "again"), "and it serves on");
    }
  }

  /**
   * The other errors a C server's procedure can answer with (libtirpc's svcerr_* called from the
   * dispatcher, after the procedure ran or instead of it): svcerr_noproc, svcerr_noprog and
   * svcerr_decode after a run are PROC_UNAVAIL, PROG_UNAVAIL and GARBAGE_ARGS, not sent again even
   * at-least-once, and it ran once (the client believes the server: README's table says these did
   * not run, as a server that answers them truthfully did not run them);
   * svcerr_progvers(2, 5) is PROG_MISMATCH with the range 2..5; svcerr_auth(AUTH_REJECTEDCRED) is
   * AUTH_ERROR with that reason; and a dispatcher that returns without replying, after a run,
   * leaves the call to its deadline: TIMEOUT, not "not sent", as it was sent and ran; and a result
   * holding a color interop.x does not declare (libtirpc's xdr_enum sends any int) is INTERNAL,
   * "cannot decode the result", which says the procedure ran, and is not sent again. The same over
   * UDP, where the server has no reply cache: the silent call, at-most-once to a server that
   * does not filter duplicates, went once and ran once.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Transport.class, names = {"TCP", "UDP"})
  void errorsAnsweredFromAProcedureTellWhatRan(Transport transport) throws Exception {
    int port = c.startFaultyServer("odd-replies");
    try (RpcClient client = RpcClient.builder().address("127.0.0.1", port).transport(transport)
        .timeout(Duration.ofSeconds(20)).attemptTimeout(ANSWERED_WITHIN).build()) {
      int before = client.call(InteropProgram.COUNT_RUNS, 0);
      RpcException noproc = assertThrows(RpcException.class,
          () -> client.call(InteropProgram.GREET, "noproc", AT_LEAST_ONCE));
      assertEquals(RpcStatus.PROC_UNAVAIL, noproc.status(), noproc::toString);
      RpcException noprog = assertThrows(RpcException.class,
          () -> client.call(InteropProgram.GREET, "noprog", AT_LEAST_ONCE));
      assertEquals(RpcStatus.PROG_UNAVAIL, noprog.status(), noprog::toString);
      RpcException decode = assertThrows(RpcException.class,
          () -> client.call(InteropProgram.GREET, "decode", AT_LEAST_ONCE));
      assertEquals(RpcStatus.GARBAGE_ARGS, decode.status(), decode::toString);
      assertEquals(before + 4, client.call(InteropProgram.COUNT_RUNS, 0), "each ran once");
      assertEquals(0, client.stats().retransmissions(), client.stats()::toString);

      RpcException progvers = assertThrows(RpcException.class,
          () -> client.call(InteropProgram.GREET, "progvers"));
      assertEquals(RpcStatus.PROG_MISMATCH, progvers.status(), progvers::toString);
      assertEquals(2, progvers.low(), progvers::toString);
      assertEquals(5, progvers.high(), progvers::toString);
      assertTrue(progvers.getMessage().endsWith(" 127.0.0.1:" + port + " has 2..5"), progvers::getMessage);
      RpcException rejected = assertThrows(RpcException.class,
          () -> client.call(InteropProgram.GREET, "rejected"));
      assertEquals(RpcStatus.AUTH_ERROR, rejected.status(), rejected::toString);
      assertEquals(AuthStatus.AUTH_REJECTEDCRED, rejected.authStatus(), rejected::toString);

      int beforeSilent = client.call(InteropProgram.COUNT_RUNS, 0);
      RpcException silent = assertThrows(RpcException.class, () -> client.call(
          InteropProgram.GREET, "silent", CallOptions.DEFAULT.withDeadline(Duration.ofSeconds(3))));
      assertEquals(RpcStatus.TIMEOUT, silent.status(), silent::toString);
      assertTrue(!silent.getMessage().contains("not sent"), silent::getMessage);
      assertEquals(beforeSilent + 2, client.call(InteropProgram.COUNT_RUNS, 0), "it ran once");
      RpcException undeclared = assertThrows(RpcException.class,
          () -> client.call(InteropProgram.NEXT_COLOR, Color.GREEN, AT_LEAST_ONCE));
      assertEquals(RpcStatus.INTERNAL, undeclared.status(), undeclared::toString);
      assertTrue(undeclared.getMessage().contains("cannot decode the result")
          && undeclared.getMessage().contains("color has no value 3"), undeclared::getMessage);
      assertEquals(beforeSilent + 4, client.call(InteropProgram.COUNT_RUNS, 0), "it ran once");
      assertEquals(0, client.stats().retransmissions(), client.stats()::toString);
      assertEquals("hello, again", client.call(InteropProgram.GREET, "again"), "and it serves on");
    }
  }

  /**
   * A C server of versions 1 and 3 only (two svc_register calls of one program): libtirpc
   * answers a call of version 2 PROG_MISMATCH with the range of what it registered, which the
   * Onyx client reports as such (low 1, high 3, "server has 1..3") and does not send again; a
   * call of version 3 is served. Over TCP and UDP.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Transport.class, names = {"TCP", "UDP"})
  void aCServerOfVersionsOneAndThreeRefusesTwoWithItsRange(Transport transport) throws Exception {
    int port = c.startFaultyServer("odd-replies");
    Procedure<String, String> greet2 = greet(2);
    try (RpcClient client = RpcClient.builder().address("127.0.0.1", port).transport(transport)
        .timeout(Duration.ofSeconds(20)).attemptTimeout(ANSWERED_WITHIN).build()) {
      RpcException mismatch = assertThrows(RpcException.class,
          () -> client.call(greet2, "two", AT_LEAST_ONCE));
      assertEquals(RpcStatus.PROG_MISMATCH, mismatch.status(), mismatch::toString);
      assertEquals(1, mismatch.low(), mismatch::toString);
      assertEquals(3, mismatch.high(), mismatch::toString);
      assertEquals("program 0x20000777 version 2 not available: server "
          + transport.netid() + " 127.0.0.1:" + port + " has 1..3",
          mismatch.getMessage());
      assertEquals(0, client.stats().retransmissions(), client.stats()::toString);
      assertEquals("hello, three", client.call(greet(3), "three"));
      assertEquals("hello, one", client.call(InteropProgram.GREET, "one"));
    }
  }

  /** GREET of interop.x as a procedure of {@code version}. */
  private static Procedure<String, String> greet(int version) {
    Procedure<String, String> v1 = InteropProgram.GREET;
    return new Procedure<>(v1.program(), version, v1.number(), v1.name(), v1.arguments(), v1.result());
  }

  /**
   * A server that reads its connections as nfs-utils' daemons have libtirpc read theirs
   * (non-blocking, records of at most 2,048 bytes: RPC_SVC_CONNMAXREC_SET). 64 calls pipelined
   * on one connection are each answered. A call over the limit is never read: libtirpc drops the
   * connection, which the client cannot tell from a crash after a run, so an at-most-once call is
   * OUTCOME_UNKNOWN at once, and an at-least-once call, sent again on each new connection and
   * refused so each time, ends at its deadline saying the connection was lost. The calls after
   * go out on a new connection.
   */
  @Test
  void aServerThatLimitsItsRecordsAsNfsUtilsDaemonsDo() throws Exception {
    int port = c.startFaultyServer("maxrec");
    Node list = null;
    for (int i = 0; i < 200; i++) {
      list = new Node("n" + i, i, list); // about 3,200 bytes of arguments
    }
    Node tooLong = list;
    try (RpcClient client = client(port)) {
      List<CompletableFuture<String>> together = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        together.add(client.callAsync(InteropProgram.GREET, "n" + i));
      }
      for (int i = 0; i < 64; i++) {
        assertEquals("hello, n" + i, together.get(i).get(30, TimeUnit.SECONDS));
      }
      assertEquals(1, client.stats().connects(), client.stats()::toString);

      RpcException once = assertThrows(RpcException.class,
          () -> client.call(InteropProgram.REVERSE, tooLong));
      assertEquals(RpcStatus.OUTCOME_UNKNOWN, once.status(), once::toString);
      assertTrue(once.getMessage().contains("the connection was lost before its reply"),
          once::getMessage);
      RpcException again = assertThrows(RpcException.class, () -> client.call(
          InteropProgram.REVERSE, tooLong, AT_LEAST_ONCE.withDeadline(Duration.ofSeconds(2))));
      assertEquals(RpcStatus.TIMEOUT, again.status(), again::toString);
      assertTrue(again.getMessage().contains("connection lost"), again::getMessage);
      assertEquals("hello, again", client.call(InteropProgram.GREET, "again"), "and it serves on");
    }
  }

  /**
   * Records at the edge of that server's limit: a call record of exactly 2,048 bytes is served;
   * one of 2,052 (the next length XDR makes) is not read, and libtirpc drops its connection with
   * what was written behind it. Pipelined behind a call that keeps the server busy (so that all
   * are written before it reads the next): the calls behind the over-long one left the client,
   * which cannot tell an unread call from one that ran before the connection went, so each
   * at-most-once one is OUTCOME_UNKNOWN (or answered, if it never left and went on a new
   * connection), never UNAVAILABLE, and the server ran at most those; each at-least-once one is
   * sent again on a new connection and answered. The calls before the over-long one are answered
   * or OUTCOME_UNKNOWN too: libtirpc's non-blocking reader may meet the over-long record's header
   * in the same read and drop the connection before running them, or drop it with the rest unread
   * after writing their replies, which the kernel's reset then throws away (the first runs saw
   * "Connection reset by peer" for the busy call and for the 2,048-byte one); the client cannot
   * tell which, and the count of runs stays between the answered calls and those plus the
   * unknown ones.
   */
  @Test
  void callsBehindARecordJustOverTheLimitAreUnknownOrAnswered() throws Exception {
    int port = c.startFaultyServer("maxrec");
    int before = runs(port);
    try (RpcClient client = client(port)) {
      assertEquals(0, client.call(InteropProgram.REVERSE, list(99, 1)).value(), "2,048 bytes: served");
      RpcException alone = assertThrows(RpcException.class,
          () -> client.call(InteropProgram.REVERSE, list(98, 2)));
      assertEquals(RpcStatus.OUTCOME_UNKNOWN, alone.status(), "2,052 bytes: " + alone);

      CompletableFuture<Integer> busy = client.callAsync(InteropProgram.COUNT_RUNS, 300);
      CompletableFuture<Node> atLimit = client.callAsync(InteropProgram.REVERSE, list(99, 1));
      CompletableFuture<Node> over = client.callAsync(InteropProgram.REVERSE, list(98, 2));
      List<CompletableFuture<Integer>> behind = new ArrayList<>();
      List<CompletableFuture<Integer>> behindAgain = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        behind.add(client.callAsync(InteropProgram.COUNT_RUNS, 0));
        behindAgain.add(client.callAsync(InteropProgram.COUNT_RUNS, 0, AT_LEAST_ONCE));
      }
      Map<RpcStatus, Integer> limit = outcomes(List.of(atLimit), 30,
          head -> assertEquals(0, head.value(), "the reversed list's head"));
      assertTrue(Set.of(RpcStatus.SUCCESS, RpcStatus.OUTCOME_UNKNOWN).containsAll(limit.keySet()),
          limit::toString);
      assertEquals(Map.of(RpcStatus.OUTCOME_UNKNOWN, 1), outcomes(List.of(over), 30, head -> { }));
      behind.add(busy);
      Map<RpcStatus, Integer> outcomes = outcomes(behind, 30, result -> { });
      assertEquals(Map.of(RpcStatus.SUCCESS, 10), outcomes(behindAgain, 30, result -> { }),
          "at least once: sent again and answered");
      int ran = runs(port) - before - 1;
      int answered = outcomes.getOrDefault(RpcStatus.SUCCESS, 0);
      int unknown = outcomes.getOrDefault(RpcStatus.OUTCOME_UNKNOWN, 0);
      String seen = outcomes + ", " + ran + " ran, " + client.stats();
      assertEquals(11, answered + unknown, seen);
      // COUNT_RUNS: the ten at-least-once ones ran, once more for each of their retransmissions
      // at most (one sent again after the reset may have run before it: at least once), and of
      // the at-most-once ones, never sent again, at least those answered, at most those and the
      // unknown ones.
      long resent = client.stats().retransmissions();
      assertTrue(10 + answered <= ran && ran <= 10 + resent + answered + unknown, seen);
      assertEquals("hello, again", client.call(InteropProgram.GREET, "again"), "and it serves on");
    }
  }

  /**
   * A list whose REVERSE call record, with AUTH_NONE, is 44 + 20 {@code short} + 24 {@code long}
   * bytes: labels of up to 4 bytes take 8 of XDR, of 5 to 8 bytes 12; each node adds a hyper
   * and an optional flag. The head's value is the largest, so the reversed list's is 0.
   */
  private static Node list(int shortLabels, int longLabels) {
    Node list = null;
    int n = shortLabels + longLabels;
    for (int i = 0; i < n; i++) {
      list = new Node(i < longLabels ? "long" + i : "n" + (i % 100), i, list);
    }
    return list;
  }

  private static RpcClient client(int port) {
    return RpcClient.builder().address("127.0.0.1", port).timeout(Duration.ofSeconds(20)).build();
  }

  /**
   * How many of {@code calls} ended with each status, SUCCESS for an answer (which {@code
   * checkResult} checks), each waited for up to {@code seconds}.
   */
  private static <T> Map<RpcStatus, Integer> outcomes(List<CompletableFuture<T>> calls, int seconds,
      Consumer<T> checkResult) throws Exception {
    Map<RpcStatus, Integer> outcomes = new EnumMap<>(RpcStatus.class);
    for (CompletableFuture<T> call : calls) {
      RpcStatus status = RpcStatus.SUCCESS;
      try {
        checkResult.accept(call.get(seconds, TimeUnit.SECONDS));
      } catch (ExecutionException e) {
        status = ((RpcException) e.getCause()).status();
      }
      outcomes.merge(status, 1, Integer::sum);
    }
    return outcomes;
  }
}
