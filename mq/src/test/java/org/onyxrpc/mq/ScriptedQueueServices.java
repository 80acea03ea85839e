package org.onyxrpc.mq;

import java.time.Duration;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.mq.internal.wire.CurrentAttributes;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.Reply;
import org.onyxrpc.mq.internal.wire.Opened;
import org.onyxrpc.rpc.AuthSys;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.server.RpcServer;
import org.onyxrpc.server.ServiceDefinition;

/**
 * A queue server scripted by a test: the procedures every such test answers alike (one queue,
 * handle 1, opened, renewed and closed at once), to which the test adds the ones it scripts.
 */
final class ScriptedQueueServices {
  private ScriptedQueueServices() {}

  /** The queue program with OPEN, ATTRIBUTES and CLOSE answered; add the procedures under test. */
  static ServiceDefinition.Builder oneQueue() {
    return ServiceDefinition.builder(MessageQueueServiceV1.PROGRAM, MessageQueueServiceV1.VERSION)
        .procedure(MessageQueueServiceV1.OPEN, (request, ctx) ->
            new Reply<>(new Opened(1, new CurrentAttributes(10, 64, 1), 120_000), null))
        .procedure(MessageQueueServiceV1.ATTRIBUTES, (handle, ctx) ->
            new Reply<>(new CurrentAttributes(10, 64, 1), null))
        .procedure(MessageQueueServiceV1.CLOSE, (handle, ctx) -> new Reply<Void>(null, null));
  }

  /**
   * A client of {@code server} (AUTH_SYS uid 0) whose {@code slow} calls alone time out, after 1 s:
   * the rest keep 10 s, as a short timeout for every call let a slow open time out first on a
   * loaded machine, and the call under test was never sent.
   */
  static RpcClient clientTimingOut(RpcServer server, Procedure<?, ?> slow) {
    return RpcClient.builder().address("127.0.0.1", server.port())
        .timeout(Duration.ofSeconds(10))
        .intercept(call -> {
          if (call.procedure().equals(slow)) {
            call.options(call.options().withDeadline(Duration.ofSeconds(1)));
          }
        })
        .credentials(new AuthSys(0, "test", 1000, 1000, new int[0])).build();
  }
}
