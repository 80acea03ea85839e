package org.onyxrpc.mq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
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
 * A queue server that answers every receive and send at once with ETIMEDOUT, as if the wait the
 * client asked for (10 s per attempt of a wait without end) were over. A receive or send without
 * end asks again after each ETIMEDOUT; before, against this server it did so without end, as fast
 * as the server answered, and its caller's future never completed. A server that keeps to the
 * protocol answers ETIMEDOUT only after the whole wait, so one that answers sooner is refused
 * (EIO) after its first answer.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class EarlyTimeoutsTest {
  /** Long enough for any loaded machine; a call still running then is one that never ends. */
  private static final long ENDS_WITHIN_SECONDS = 60;

  private final AtomicInteger receives = new AtomicInteger();
  private final AtomicInteger sends = new AtomicInteger();
  private RpcServer server;
  private RpcClient rpc;
  private MessageQueue q;

  private ServiceDefinition timingOutAtOnce() {
    return ScriptedQueueServices.oneQueue()
        .procedure(MessageQueueServiceV1.RECEIVE, (request, ctx) -> {
          receives.incrementAndGet();
          return new Reply<Message>(null, new MqFailure(MqErrno.ETIMEDOUT, "queue /q stayed empty"));
        })
        .procedure(MessageQueueServiceV1.SEND, (request, ctx) -> {
          sends.incrementAndGet();
          return new Reply<Void>(null, new MqFailure(MqErrno.ETIMEDOUT, "queue /q stayed full"));
        })
        .procedure(MessageQueueServiceV1.RELEASE, (receipt, ctx) -> new Reply<Void>(null, null))
        .build();
  }

  @BeforeEach
  void start() throws Exception {
    server = RpcServer.builder().bind(InetAddress.getLoopbackAddress(), 0)
        .directory(Directory.none()).addService(timingOutAtOnce()).build().start();
    rpc = RpcClient.builder().address("127.0.0.1", server.port())
        .credentials(new AuthSys(0, "test", 1000, 1000, new int[0])).build();
    q = MessageQueues.open(rpc, "/q", OpenOptions.existing());
  }

  @AfterEach
  void stop() {
    q.close();
    rpc.close();
    server.close();
  }

  private static MessageQueueException failureOf(Supplier<? extends CompletableFuture<?>> call) {
    CompletableFuture<?> running = call.get();
    ExecutionException failed =
        assertThrows(ExecutionException.class, () -> running.get(ENDS_WITHIN_SECONDS, TimeUnit.SECONDS));
    return assertInstanceOf(MessageQueueException.class, failed.getCause());
  }

  @Test
  void aReceiveWithoutEndIsRefusedAServerThatEndsItsWaitAtOnce() {
    MessageQueueException e = failureOf(q::receiveAsync);
    assertEquals(MqError.EIO, e.error(), e.getMessage());
    assertTrue(e.detail().contains("ended a wait of 10000 ms with ETIMEDOUT"), e.detail());
    // One attempt, unless the machine stalled the first for 5 s: then its answer looked waited.
    assertTrue(receives.get() <= 2, receives + " receives: asked again after answers no server that waited gives");
  }

  @Test
  void aSendWithoutEndIsRefusedAServerThatEndsItsWaitAtOnce() {
    MessageQueueException e = failureOf(() -> q.sendAsync(new byte[] {1}, 0));
    assertEquals(MqError.EIO, e.error(), e.getMessage());
    assertTrue(sends.get() <= 2, sends + " sends");
  }

  /** A wait of its own is the caller's: the server's ETIMEDOUT is passed on, early or not. */
  @Test
  void aTimedReceiveOrSendGetsTheServersTimeout() {
    assertEquals(MqError.ETIMEDOUT, failureOf(() -> q.receiveAsync(Duration.ofSeconds(20))).error());
    assertEquals(MqError.ETIMEDOUT, failureOf(() -> q.sendAsync(new byte[] {1}, 0, Duration.ofSeconds(20))).error());
  }
}
