package org.onyxrpc.mq.internal.server;

import static org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.ATTRIBUTES;
import static org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.CANCEL_NOTIFY;
import static org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.CANCEL_NOTIFY_FOR;
import static org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.CLOSE;
import static org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.COMMIT;
import static org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.LIST;
import static org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.NOTIFY_ON_ARRIVAL;
import static org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.NOTIFY_ON_ARRIVAL_FOR;
import static org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.OPEN;
import static org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.RECEIVE;
import static org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.RELEASE;
import static org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.SEND;
import static org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.STATUS;
import static org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.UNLINK;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.Reply;
import org.onyxrpc.mq.internal.wire.MqFailure;
import org.onyxrpc.rpc.AuthStatus;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.server.CallContext;
import org.onyxrpc.server.ServiceDefinition;
import org.onyxrpc.transport.Transport;

/**
 * The queue host as an RPC service. It is bound by hand from the generated procedures rather
 * than with the generated {@code bindAsync}, because every procedure needs the caller's
 * credentials from its {@code CallContext}, which the generated interfaces do not pass.
 */
public final class QueueService {
  private QueueService() {}

  /**
   * The service definition for {@code RpcServer.builder().addService(…)}, registered in the
   * directory as {@code name} (the generated default would name the internal package).
   */
  public static ServiceDefinition definition(QueueHost host, String name) {
    return ServiceDefinition.builder(MessageQueueServiceV1.PROGRAM, MessageQueueServiceV1.VERSION)
        .name(name)
        .asyncProcedure(OPEN, (r, ctx) -> reply(host.open(caller(ctx), r)))
        .asyncProcedure(CLOSE, (h, ctx) -> reply(host.close(caller(ctx), h)))
        .asyncProcedure(UNLINK, (n, ctx) -> reply(host.unlink(caller(ctx), n)))
        .asyncProcedure(SEND, (r, ctx) -> reply(host.send(caller(ctx), r, PeerWatch.of(ctx))))
        .asyncProcedure(RECEIVE, (r, ctx) -> reply(host.receive(caller(ctx), r.receipt(), r.timeoutMillis(),
            PeerWatch.of(ctx))))
        .asyncProcedure(COMMIT, (r, ctx) -> reply(host.commit(caller(ctx), r)))
        .asyncProcedure(RELEASE, (r, ctx) -> reply(host.release(caller(ctx), r)))
        .asyncProcedure(ATTRIBUTES, (h, ctx) -> reply(host.attributes(caller(ctx), h)))
        .asyncProcedure(NOTIFY_ON_ARRIVAL, (h, ctx) -> reply(host.notifyOnArrival(caller(ctx), h, PeerWatch.of(ctx))))
        .asyncProcedure(CANCEL_NOTIFY, (h, ctx) -> reply(host.cancelNotify(caller(ctx), h)))
        .asyncProcedure(STATUS, (n, ctx) -> reply(host.status(caller(ctx), n)))
        .asyncProcedure(NOTIFY_ON_ARRIVAL_FOR, (r, ctx) -> reply(host.notifyOnArrival(caller(ctx), r, PeerWatch.of(ctx))))
        .asyncProcedure(CANCEL_NOTIFY_FOR, (r, ctx) -> reply(host.cancelNotify(caller(ctx), r)))
        .asyncProcedure(LIST, (r, ctx) -> {
          caller(ctx); // datagrams refused, as for every procedure
          return reply(host.list(r));
        })
        .build();
  }

  /**
   * The caller of a call that came over a connection. Datagrams are refused (AUTH_TOOWEAK): their
   * source can be forged, so anyone could open handles and create queues blind, charged to an
   * address not theirs; and a queue's calls (messages up to 1 MiB, calls that wait) are not for
   * datagrams anyway.
   */
  private static Caller caller(CallContext context) {
    if (context.transport() == Transport.UDP) {
      throw RpcException.authError(AuthStatus.AUTH_TOOWEAK,
          "the queue service takes no UDP calls: a datagram's source proves nothing");
    }
    return Caller.of(context);
  }

  /**
   * A declared failure travels as the reply's exception arm; a call whose caller went ends with
   * the runtime's {@code NoReply} (nothing sent, nothing kept for a retransmission); a call that
   * came after the host closed, not run, PROG_UNAVAIL; anything else is SYSTEM_ERR.
   */
  private static <T> CompletionStage<Reply<T>> reply(CompletableFuture<T> result) {
    return result.handle((value, failure) -> {
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null
          ? failure.getCause() : failure;
      if (cause == null) {
        return new Reply<>(value, null);
      }
      if (cause instanceof MqFailure declared) {
        return new Reply<>(null, declared);
      }
      if (cause instanceof HostClosedException closed) {
        throw new RpcException(RpcStatus.PROG_UNAVAIL, closed.getMessage());
      }
      throw new CompletionException(cause);
    });
  }
}
