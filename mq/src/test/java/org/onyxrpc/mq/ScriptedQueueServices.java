package org.onyxrpc.mq;

import org.onyxrpc.mq.internal.wire.CurrentAttributes;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.Reply;
import org.onyxrpc.mq.internal.wire.Opened;
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
}
