package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.directory.Directory;
import org.onyxrpc.mq.internal.wire.Message;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.Reply;
import org.onyxrpc.mq.internal.wire.MqErrno;
import org.onyxrpc.mq.internal.wire.MqFailure;
import org.onyxrpc.rpc.AuthSys;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;

/**
 * A queue server that reserves a message for every receive and lets the reservation lapse before
 * every commit (ETIMEDOUT: the message went back, nothing was taken). A real server does so when
 * a commit comes later than its reservation lease; a hostile one for every commit. A receive that
 * does not wait without end must still end by its time: before, each lapse asked again with the
 * receive's whole timeout, so a timed or non-blocking receive against this server never ended,
 * the client sending receives and commits as fast as the server answered them. Any receive, one
 * without end too, fails with EIO at its eighth lapse: before, a receive without end asked again
 * without end.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class LapsingCommitsTest {
  /** Long enough for any loaded machine; a call still running then is one that never ends. */
  private static final long ENDS_WITHIN_SECONDS = 60;

  private final AtomicInteger receives = new AtomicInteger();
  private final AtomicInteger commits = new AtomicInteger();
  /** How many commits lapse before they take the message; all of them if negative. */
  private volatile int lapses = -1;
  /** The RPC deadline of each RECEIVE the client sent, in order. */
  private final List<Duration> receiveDeadlines = new CopyOnWriteArrayList<>();
  private RpcServer server;
  private RpcClient rpc;
  private MessageQueue q;

  private ServiceDefinition lapsingCommits() {
    return ScriptedQueueServices.oneQueue()
        .procedure(MessageQueueServiceV1.RECEIVE, (request, ctx) -> {
          receives.incrementAndGet();
          return new Reply<>(new Message(3, new byte[] {7}), null);
        })
        .procedure(MessageQueueServiceV1.COMMIT, (receipt, ctx) -> {
          int n = commits.incrementAndGet();
          return lapses < 0 || n <= lapses
              ? new Reply<Void>(null, new MqFailure(MqErrno.ETIMEDOUT, "reservation lapsed before its commit"))
              : new Reply<Void>(null, null);
        })
        .procedure(MessageQueueServiceV1.RELEASE, (receipt, ctx) -> new Reply<Void>(null, null))
        .build();
  }

  @BeforeEach
  void start() throws Exception {
    server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .directory(Directory.none()).addService(lapsingCommits()).build().start();
    rpc = RpcClient.builder().address("127.0.0.1", server.port())
        .intercept(call -> {
          if (call.procedure().equals(MessageQueueServiceV1.RECEIVE)) {
            receiveDeadlines.add(call.options().deadline());
          }
        })
        .credentials(new AuthSys(0, "test", 1000, 1000, new int[0])).build();
    q = MessageQueues.open(rpc, "/q", OpenOptions.existing());
  }

  @AfterEach
  void stop() {
    q.close();
    rpc.close();
    server.close();
  }

  private static MqError failureOf(Supplier<CompletableFuture<ReceivedMessage>> receive) throws Exception {
    CompletableFuture<ReceivedMessage> call = receive.get();
    ExecutionException failed =
        assertThrows(ExecutionException.class, () -> call.get(ENDS_WITHIN_SECONDS, TimeUnit.SECONDS));
    MessageQueueException e = assertInstanceOf(MessageQueueException.class, failed.getCause());
    assertTrue(e.detail().contains("nothing was taken"), e.detail());
    return e.error();
  }

  @Test
  void aNonBlockingReceiveWhoseReservationLapsedEndsWithOneAttempt() throws Exception {
    assertEquals(MqError.ETIMEDOUT, failureOf(q::tryReceiveAsync));
    assertEquals(1, receives.get(), "asked again after the lapse, though it may not wait");
    assertEquals(1, commits.get());
  }

  @Test
  void aReceiveWhoseDeadlineHadPassedEndsWithOneAttempt() throws Exception {
    assertEquals(MqError.ETIMEDOUT, failureOf(() -> q.receiveAsync(Duration.ZERO)));
    assertEquals(1, receives.get());
    assertEquals(1, commits.get());
  }

  /** Its time or its eighth lapse, whichever comes first: which one depends on the machine's pace. */
  @Test
  void aTimedReceiveEndsByItsTimeHoweverOftenItsReservationLapses() throws Exception {
    MqError error = failureOf(() -> q.receiveAsync(Duration.ofMillis(200)));
    assertTrue(error == MqError.ETIMEDOUT || error == MqError.EIO, error.toString());
    assertEquals(receives.get(), commits.get(), "every reservation it got, it tried to commit");
    assertTrue(commits.get() <= ReceiveCall.MAX_LAPSES, commits.get() + " commits");
  }

  /**
   * A receive without end asked again at once after every lapse: against this server a loop of
   * receives and commits as fast as it answered, without end. Now it fails at the eighth.
   */
  @Test
  void aReceiveWithoutEndFailsWithEioAtItsEighthLapse() throws Exception {
    assertEquals(MqError.EIO, failureOf(q::receiveAsync));
    assertEquals(ReceiveCall.MAX_LAPSES, receives.get());
    assertEquals(ReceiveCall.MAX_LAPSES, commits.get());
  }

  @Test
  void aLongTimedReceiveFailsWithEioAtItsEighthLapse() throws Exception {
    assertEquals(MqError.EIO, failureOf(() -> q.receiveAsync(Duration.ofDays(29))));
    assertEquals(ReceiveCall.MAX_LAPSES, commits.get());
  }

  @Test
  void aReceiveWithoutEndTakesTheMessageWhenItsEighthCommitDoes() throws Exception {
    lapses = ReceiveCall.MAX_LAPSES - 1;
    ReceivedMessage m = q.receiveAsync().get(ENDS_WITHIN_SECONDS, TimeUnit.SECONDS);
    assertArrayEquals(new byte[] {7}, m.message());
    assertEquals(ReceiveCall.MAX_LAPSES, receives.get());
    assertEquals(ReceiveCall.MAX_LAPSES, commits.get());
  }

  /** What the rule keeps: a lapse with time left is asked again, and the message then taken. */
  @Test
  void aTimedReceiveAsksAgainAfterALapseWhileItHasTimeLeft() throws Exception {
    lapses = 1;
    ReceivedMessage m = q.receiveAsync(Duration.ofSeconds(ENDS_WITHIN_SECONDS)).get(ENDS_WITHIN_SECONDS, TimeUnit.SECONDS);
    assertArrayEquals(new byte[] {7}, m.message());
    assertEquals(2, receives.get());
    assertEquals(2, commits.get());
  }

  /**
   * Asking again after a lapse is within the receive's own time: its RPC gets what is left of the
   * first one's deadline (the receive's timeout and a grace), not a whole deadline again, which
   * let a server that let a commit lapse near the end and then never answered keep the caller
   * almost twice as long.
   */
  @Test
  void askingAgainAfterALapseHasWhatIsLeftOfTheRpcDeadline() throws Exception {
    lapses = 1;
    q.receiveAsync(Duration.ofSeconds(ENDS_WITHIN_SECONDS)).get(ENDS_WITHIN_SECONDS, TimeUnit.SECONDS);
    assertEquals(2, receiveDeadlines.size());
    Duration first = receiveDeadlines.get(0);
    assertEquals(Duration.ofSeconds(ENDS_WITHIN_SECONDS + 5), first, "the timeout and the client's grace");
    assertTrue(receiveDeadlines.get(1).compareTo(first) < 0,
        "the second attempt's RPC deadline, " + receiveDeadlines.get(1) + ", is not less than the first's");
  }
}
