package org.onyxrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.onyxrpc.client.ReplyBytes.LAST;
import static org.onyxrpc.client.ReplyBytes.accepted;
import static org.onyxrpc.client.ReplyBytes.ints;
import static org.onyxrpc.client.ReplyBytes.record;
import static org.onyxrpc.client.ReplyBytes.refused;

import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.testing.LeakDetection;
import org.onyxrpc.testing.TestService;

/**
 * A TCP server whose stream of replies is hostile in ways {@link HostileRepliesTest} leaves
 * out: fragments that never end, records too short to name a call, replies sent twice, a
 * connection closed halfway through a reply, results cut short, version ranges upside down.
 * Each call learns promptly what the client knows (it was sent, so it is never
 * {@code UNAVAILABLE}), and calls the garbage does not concern are answered.
 */
@ExtendWith(LeakDetection.class)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class HostileReplyStreamsTest {
  private static final Duration LONG = Duration.ofSeconds(30);
  // Every server a test started: a test may start two, each with its own script.
  private final List<ScriptedReplyServer> servers = new ArrayList<>();
  private final CountDownLatch over = new CountDownLatch(1);

  @AfterEach
  void stop() throws IOException {
    over.countDown();
    for (ScriptedReplyServer server : servers) {
      server.close();
    }
  }

  /**
   * Accepts connection after connection, each call read whole and answered by {@code script};
   * each server keeps its own socket, so a test may start two, each with its own script.
   */
  private int serve(ScriptedReplyServer.ProcedureScript script) throws IOException {
    ScriptedReplyServer server = ScriptedReplyServer.byProcedure(script);
    servers.add(server);
    return server.port();
  }

  private void holdUntilOver() {
    try {
      over.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static RpcClient client(int port, IoStrategy io) {
    return RpcClient.builder().address("127.0.0.1", port).ioStrategy(io)
        .maxRecordBytes(1 << 20).timeout(LONG).build();
  }

  @ParameterizedTest
  @EnumSource(IoStrategy.class)
  void fragmentsThatNeverEndAreCutAtTheRecordLimit(IoStrategy io) throws Exception {
    int port = serve((xid, procedure, out) -> {
      byte[] fragment = new byte[4 + 4096];
      fragment[2] = 0x10; // 4096 bytes, not the last
      out.write(Arrays.copyOfRange(accepted(xid, 0, 5), 0, 28));
      for (int i = 0; i < 64 * 1024; i++) { // 256 MiB unless the client stops reading
        out.write(fragment);
      }
    });
    try (RpcClient client = client(port, io)) {
      assertEquals(RpcStatus.OUTCOME_UNKNOWN, refused(client).status());
    }
  }

  /**
   * A reply over the client's limit, to an ADD sent with {@code semantics}, is written once the
   * connection also carries an outstanding SLEEP; a SLEEP retransmitted is answered 7.
   */
  private final class OversizedReplies implements ScriptedReplyServer.ProcedureScript {
    final java.util.concurrent.atomic.AtomicInteger adds = new java.util.concurrent.atomic.AtomicInteger();
    private Integer addXid;
    private boolean sleepWaits;
    private boolean sent;

    @Override
    public synchronized void answer(int xid, int procedure, DataOutputStream out) throws IOException {
      if (procedure == 1) {
        adds.incrementAndGet();
        addXid = xid;
      } else if (sent) {
        out.write(record(accepted(xid, 0, 7)));
        return;
      } else {
        sleepWaits = true;
      }
      if (addXid != null && sleepWaits && !sent) {
        sent = true;
        // One byte more than the client takes; the xid comes with the mark, as a server writes it.
        out.write(ints(LAST | ((1 << 20) + 1), addXid));
        out.write(new byte[4096]);
      }
    }
  }

  private static <T> T outcome(CompletableFuture<T> call) throws Throwable {
    try {
      return call.join();
    } catch (java.util.concurrent.CompletionException c) {
      throw c.getCause();
    }
  }

  private void replyOverTheLimit(IoStrategy io, org.onyxrpc.rpc.CallSemantics semantics,
      RpcStatus other) throws Exception {
    OversizedReplies script = new OversizedReplies();
    int port = serve(script);
    CallOptions options = CallOptions.DEFAULT.withSemantics(semantics)
        .withDeadline(Duration.ofSeconds(10));
    try (RpcClient client = client(port, io)) {
      CompletableFuture<Integer> add = client.callAsync(TestService.ADD,
          new TestService.Pair(2, 3), options);
      CompletableFuture<Integer> sleep = client.callAsync(TestService.SLEEP, 1, options);
      RpcException e = assertThrows(RpcException.class, () -> outcome(add));
      assertEquals(RpcStatus.INTERNAL, e.status(), e.getMessage());
      assertTrue(e.getMessage().contains("exceeds the maximum of " + (1 << 20))
          && e.getMessage().contains("maxRecordBytes"), e.getMessage());
      assertEquals(1, script.adds.get(), "ADD was sent once, not retransmitted");
      if (other == RpcStatus.SUCCESS) {
        assertEquals(7, sleep.join());
      } else {
        assertEquals(other, assertThrows(RpcException.class, () -> outcome(sleep)).status());
      }
    }
  }

  @ParameterizedTest
  @EnumSource(IoStrategy.class)
  void aReplyOverTheLimitEndsAnAtLeastOnceCallWithoutRetransmitting(IoStrategy io)
      throws Exception {
    // The SLEEP outstanding on the lost connection is retransmitted, as ever.
    replyOverTheLimit(io, org.onyxrpc.rpc.CallSemantics.AT_LEAST_ONCE, RpcStatus.SUCCESS);
  }

  @ParameterizedTest
  @EnumSource(IoStrategy.class)
  void aReplyOverTheLimitEndsAnAtMostOnceCall(IoStrategy io) throws Exception {
    // This server keeps no duplicate cache: the SLEEP on the lost connection may have run.
    replyOverTheLimit(io, org.onyxrpc.rpc.CallSemantics.AT_MOST_ONCE, RpcStatus.OUTCOME_UNKNOWN);
  }

  @ParameterizedTest
  @EnumSource(IoStrategy.class)
  void aRecordOfNoBytesFailsTheConnectionsCallsPromptly(IoStrategy io) throws Exception {
    int port = serve((xid, procedure, out) -> {
      out.writeInt(LAST); // an empty record: no xid, so no call it could answer
      holdUntilOver();
    });
    try (RpcClient client = client(port, io)) {
      assertEquals(RpcStatus.OUTCOME_UNKNOWN, refused(client).status());
    }
  }

  @ParameterizedTest
  @EnumSource(IoStrategy.class)
  void aRecordTooShortForAnXidFailsTheConnectionsCallsPromptly(IoStrategy io) throws Exception {
    int port = serve((xid, procedure, out) -> {
      out.write(record(new byte[] {1, 2, 3}));
      holdUntilOver();
    });
    try (RpcClient client = client(port, io)) {
      assertEquals(RpcStatus.OUTCOME_UNKNOWN, refused(client).status());
    }
  }

  @ParameterizedTest
  @EnumSource(IoStrategy.class)
  void aReplySentTwiceCompletesItsCallOnce(IoStrategy io) throws Exception {
    int port = serve((xid, procedure, out) -> {
      out.write(record(accepted(xid, 0, 5)));
      out.write(record(accepted(xid, 0, 6)));
    });
    try (RpcClient client = client(port, io)) {
      for (int i = 0; i < 5; i++) {
        assertEquals(5, client.call(TestService.ADD, new TestService.Pair(2, 3)));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(IoStrategy.class)
  void aConnectionClosedHalfwayThroughAReplyMayHaveRunTheCall(IoStrategy io) throws Exception {
    int port = serve((xid, procedure, out) -> {
      byte[] reply = record(accepted(xid, 0, 5));
      out.write(reply, 0, reply.length - 3);
      out.flush();
      throw new IOException("closing mid-reply");
    });
    try (RpcClient client = client(port, io)) {
      assertEquals(RpcStatus.OUTCOME_UNKNOWN, refused(client).status());
    }
  }

  @ParameterizedTest
  @EnumSource(IoStrategy.class)
  void aResultCutShortIsAMalformedReply(IoStrategy io) throws Exception {
    int port = serve((xid, procedure, out) -> out.write(record(accepted(xid, 0)))); // no int
    try (RpcClient client = client(port, io)) {
      refused(client);
    }
  }

  @ParameterizedTest
  @EnumSource(IoStrategy.class)
  void aResultLongerThanItsTypeIsAMalformedReply(IoStrategy io) throws Exception {
    int port = serve((xid, procedure, out) -> out.write(record(accepted(xid, 0, 5, 6, 7))));
    try (RpcClient client = client(port, io)) {
      refused(client);
    }
  }

  @ParameterizedTest
  @EnumSource(IoStrategy.class)
  void aVersionRangeUpsideDownIsStillAMismatch(IoStrategy io) throws Exception {
    int port = serve((xid, procedure, out) -> out.write(record(accepted(xid, 2, 9, 3))));
    try (RpcClient client = client(port, io)) {
      RpcException e = refused(client);
      assertEquals(RpcStatus.PROG_MISMATCH, e.status(), e.getMessage());
      assertEquals(9, e.low());
      assertEquals(3, e.high());
      // Not "has 9..3", which reads as versions 3 to 9.
      assertTrue(e.getMessage().contains("sent an empty version range (low 9 above high 3)"), e.getMessage());
    }
    int rpc = serve((xid, procedure, out) -> out.write(record(ints(xid, 1, 1, 0, -1, 0))));
    try (RpcClient client = client(rpc, io)) {
      RpcException e = refused(client);
      assertEquals(RpcStatus.RPC_MISMATCH, e.status(), e.getMessage());
      assertTrue(e.getMessage().contains("sent an empty version range (low 4294967295 above high 0)"),
          e.getMessage());
    }
  }

  @ParameterizedTest
  @EnumSource(IoStrategy.class)
  void anAcceptedReplyWithAnOutOfRangeRejectStatIsRefused(IoStrategy io) throws Exception {
    int port = serve((xid, procedure, out) -> out.write(record(ints(xid, 1, 1, 7, 0))));
    try (RpcClient client = client(port, io)) {
      refused(client);
    }
    int stat = serve((xid, procedure, out) -> out.write(record(ints(xid, 1, 5, 0))));
    try (RpcClient client = client(stat, io)) {
      refused(client);
    }
  }

  @ParameterizedTest
  @EnumSource(IoStrategy.class)
  void aCallWaitingBehindAnotherIsAnsweredThoughTheFirstGetsGarbage(IoStrategy io) throws Exception {
    int port = serve((xid, procedure, out) -> {
      if (procedure == 2) { // echo: a string result that claims more than its record
        out.write(record(accepted(xid, 0, 1000)));
      } else {
        out.write(record(accepted(xid, 0, 5)));
      }
    });
    try (RpcClient client = client(port, io)) {
      CompletableFuture<String> bad = client.callAsync(TestService.ECHO, "x");
      assertEquals(5, client.call(TestService.ADD, new TestService.Pair(2, 3)));
      RpcException e = assertThrows(RpcException.class, () -> {
        try {
          bad.join();
        } catch (java.util.concurrent.CompletionException c) {
          throw c.getCause();
        }
      });
      assertNotEquals(RpcStatus.UNAVAILABLE, e.status(), e.getMessage());
      assertTrue(e.getMessage() != null);
    }
  }

  /**
   * A one-way call (sent, never answered: MAYBE) that the server answers anyway, with a result
   * and then with a refusal: both replies are late, dropped, and the calls after it on the
   * connection get their own answers.
   */
  @ParameterizedTest
  @EnumSource(IoStrategy.class)
  void repliesToAOneWayCallAreDroppedAsLate(IoStrategy io) throws Exception {
    int port = serve((xid, procedure, out) -> {
      if (procedure == TestService.LOG.number()) {
        out.write(record(accepted(xid, 0, 1, 2, 3)));
        out.write(record(ints(xid, 1, 1, 0, 2, 2))); // MSG_DENIED, RPC_MISMATCH 2..2
      } else {
        out.write(record(accepted(xid, 0, 5)));
      }
    });
    org.onyxrpc.rpc.Procedure<String, Void> log =
        TestService.LOG.withSemantics(org.onyxrpc.rpc.CallSemantics.MAYBE);
    try (RpcClient client = client(port, io)) {
      for (int i = 0; i < 3; i++) {
        client.send(log, "x").join();
        assertEquals(5, client.call(TestService.ADD, new TestService.Pair(2, 3)));
      }
      assertEquals(6, client.stats().lateReplies(), "two replies to each of three");
      assertEquals(0, client.stats().outcomeUnknown());
    }
  }
}
