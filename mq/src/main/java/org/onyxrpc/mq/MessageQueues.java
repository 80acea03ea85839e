package org.onyxrpc.mq;

import static org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.CLOSE;
import static org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.LIST;
import static org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.OPEN;
import static org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.STATUS;
import static org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.UNLINK;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.mq.internal.QueueNames;
import org.onyxrpc.mq.internal.wire.Access;
import org.onyxrpc.mq.internal.wire.ListRequest;
import org.onyxrpc.mq.internal.wire.MqFailure;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.Reply;
import org.onyxrpc.mq.internal.wire.MqConstants;
import org.onyxrpc.mq.internal.wire.OpenRequest;
import org.onyxrpc.mq.internal.wire.Opened;
import org.onyxrpc.mq.internal.wire.QueueList;

/**
 * POSIX message queues ({@code mq_overview(7)}) on a queue server reached through an
 * {@link RpcClient}:
 *
 * <pre>{@code
 * RpcClient rpc = RpcClient.builder().address("queues.example", port)
 *     .credentials(new AuthSys(0, "myhost", uid, gid, new int[0]))   // who the caller is
 *     .build();
 * MessageQueue orders = MessageQueues.open(rpc, "/orders",
 *     OpenOptions.create(0640, QueueAttributes.of(100, 8192)).exclusive());
 * MessageQueues.unlink(rpc, "/orders");
 * }</pre>
 *
 * <p>Permissions are checked against the client's credentials: AUTH_SYS is a claim the caller's
 * machine makes (see the module's README), and any other flavor is the user {@code nobody}.
 */
public final class MessageQueues {
  /** Priorities are 0 .. MQ_PRIO_MAX - 1 (POSIX asks for at least 32). */
  public static final int MQ_PRIO_MAX = MqConstants.MQ_PRIO_MAX;

  /**
   * The most names {@link #list} takes from a server: one that pages on without end (a broken
   * or hostile one) fails the listing with EIO here, not the caller's memory.
   */
  public static final int MAX_LISTED = 1 << 16;

  private MessageQueues() {}

  /**
   * {@code mq_open}: opens (or with {@link OpenOptions#create} creates) the queue {@code name}.
   *
   * @param rpc a client of the queue server
   * @param name a POSIX queue name: {@code '/'} and then no other {@code '/'}
   * @param options the flags, mode and attributes
   * @return the open handle, which the caller closes
   * @throws MessageQueueException with the {@code errno} {@code mq_open} would set (ENOENT, EEXIST,
   *     EACCES, EINVAL, EMFILE, ...)
   */
  public static MessageQueue open(RpcClient rpc, String name, OpenOptions options) {
    Objects.requireNonNull(rpc, "rpc");
    Objects.requireNonNull(options, "options");
    return Await.result(openAsync(rpc, name, options));
  }

  /**
   * {@link #open} without blocking.
   *
   * @param rpc a client of the queue server
   * @param name a POSIX queue name
   * @param options the flags, mode and attributes
   * @return the handle to come. Ending it first (cancelling it, or {@code orTimeout}) stops the
   *     call's retransmissions, but not the call, which may have run: a handle it opens is closed
   *     once its reply comes, so that it does not count against the client's handles
   */
  public static CompletableFuture<MessageQueue> openAsync(RpcClient rpc, String name, OpenOptions options) {
    Objects.requireNonNull(rpc, "rpc");
    Objects.requireNonNull(options, "options");
    MessageQueueException badName = checkName(name);
    if (badName != null) {
      return CompletableFuture.failedFuture(badName);
    }
    QueueAttributes create = options.attributes();
    // The defaults by name, so that a server with lower limits gives its limits (as Linux does
    // for a NULL attr), and by number too, for a server that does not know the bit.
    int mode = create == QueueAttributes.DEFAULTS ? options.mode() | MqConstants.MQ_DEFAULT_ATTRIBUTES : options.mode();
    OpenRequest request = new OpenRequest(name, Access.valueOf(options.access().name()), options.create(),
        options.failIfExists(), mode, create == null ? 0 : create.maxMessages(),
        create == null ? 0 : create.messageSize(), options.durableQueue());
    // Ending the returned future first lets the OPEN finish and closes what it opened: only its
    // reply names the handle, which otherwise would hold a place on the server. It is sent no
    // more, though: before, it went on being retransmitted until its reply or deadline.
    CompletableFuture<Reply<Opened>> call = rpc.callAsync(OPEN, request);
    CompletableFuture<MessageQueue> result = Replies.unwrapUndoable(call, opened -> {
      MessageQueueException refused = OpenedAttributes.refusal(name, opened.attributes());
      if (refused == null) {
        return CompletableFuture.completedFuture(new MessageQueue(rpc, name, opened.handle(), options,
            opened.attributes().maxMessages(), opened.attributes().messageSize(), opened.leaseMillis()));
      }
      // The handle holds a place on the server (its open-handle count, the queue while it is
      // open): it goes back before the refusal, whatever the close's own outcome.
      return rpc.callAsync(CLOSE, opened.handle()).handle((closed, failure) -> null)
          .thenCompose(ignored -> CompletableFuture.<MessageQueue>failedFuture(refused));
    }, MessageQueue::closeAsync);
    // Ended by its caller before the call (cancel, orTimeout, completeExceptionally): the call's
    // own ends complete the result only once the call is done.
    result.whenComplete((queue, failure) -> {
      if (!call.isDone()) {
        rpc.stopRetransmitting(call);
      }
    });
    return result;
  }

  /**
   * {@code mq_unlink}: the name goes at once (a new queue may take it); the queue itself goes
   * when its last handle closes. Only the queue's owner may unlink it.
   *
   * @param rpc a client of the queue server
   * @param name the queue's name
   * @throws MessageQueueException ENOENT if there is no such queue, EACCES if the caller does not
   *     own it
   */
  public static void unlink(RpcClient rpc, String name) {
    Objects.requireNonNull(rpc, "rpc");
    Await.result(unlinkAsync(rpc, name));
  }

  /**
   * {@link #unlink} without blocking.
   *
   * @param rpc a client of the queue server
   * @param name the queue's name
   * @return completed once the name is gone
   */
  public static CompletableFuture<Void> unlinkAsync(RpcClient rpc, String name) {
    Objects.requireNonNull(rpc, "rpc");
    MessageQueueException badName = checkName(name);
    return badName != null ? CompletableFuture.failedFuture(badName)
        : Replies.unwrap(rpc.callAsync(UNLINK, name));
  }

  /**
   * A queue's numbers (depth, bytes, waiting calls), for a caller who may read it.
   *
   * @param rpc a client of the queue server
   * @param name the queue's name
   * @return the numbers now
   */
  public static QueueStats stats(RpcClient rpc, String name) {
    Objects.requireNonNull(rpc, "rpc");
    return Await.result(statsAsync(rpc, name));
  }

  /**
   * {@link #stats} without blocking.
   *
   * @param rpc a client of the queue server
   * @param name the queue's name
   * @return the numbers to come
   */
  public static CompletableFuture<QueueStats> statsAsync(RpcClient rpc, String name) {
    Objects.requireNonNull(rpc, "rpc");
    MessageQueueException badName = checkName(name);
    return badName != null ? CompletableFuture.failedFuture(badName)
        : Replies.unwrap(rpc.callAsync(STATUS, name), s -> CompletableFuture.completedFuture(QueueStats.of(s)));
  }

  /**
   * The names of the server's queues, as {@code ls /dev/mqueue} lists Linux's: every queue's
   * name, whoever asks (its numbers need read permission: {@link #stats}), in the server's
   * order; not those unlinked and still open. Fetched a page at a time: a queue created or
   * unlinked meanwhile may be missing from it or still in it.
   *
   * @param rpc a client of the queue server
   * @return the names
   * @throws MessageQueueException EIO if the server names more than {@link #MAX_LISTED} queues,
   *     or pages that go back
   */
  public static List<String> list(RpcClient rpc) {
    Objects.requireNonNull(rpc, "rpc");
    return Await.result(listAsync(rpc));
  }

  /**
   * {@link #list} without blocking.
   *
   * @param rpc a client of the queue server
   * @return the names to come
   */
  public static CompletableFuture<List<String>> listAsync(RpcClient rpc) {
    Objects.requireNonNull(rpc, "rpc");
    return listAfter(rpc, "", new ArrayList<>());
  }

  /** The pages after {@code after}, added to {@code names}. */
  private static CompletableFuture<List<String>> listAfter(RpcClient rpc, String after,
      List<String> names) {
    ListRequest request = new ListRequest(after, MqConstants.MQ_LIST_MAX);
    return Replies.unwrap(rpc.callAsync(LIST, request), page -> {
      MessageQueueException broken = addPage(page, after, names);
      if (broken != null) {
        return CompletableFuture.failedFuture(broken);
      }
      return page.more() ? listAfter(rpc, names.get(names.size() - 1), names)
          : CompletableFuture.completedFuture(List.copyOf(names));
    });
  }

  /**
   * Adds a page's names; returns why the listing cannot go on (a page that goes back, or says
   * there is more after no name, would page without end), or null.
   */
  private static MessageQueueException addPage(QueueList page, String after, List<String> names) {
    String last = after;
    for (String name : page.names()) {
      if (name.compareTo(last) <= 0) {
        return new MessageQueueException(MqError.EIO, "the queue server listed " + name
            + " after " + last + ", out of its own order");
      }
      last = name;
    }
    if (page.more() && page.names().isEmpty()) {
      return new MessageQueueException(MqError.EIO,
          "the queue server said more names follow " + after + " and gave none");
    }
    if (names.size() + page.names().size() > MAX_LISTED) {
      return new MessageQueueException(MqError.EIO,
          "the queue server listed more than " + MAX_LISTED + " queues");
    }
    names.addAll(page.names());
    return null;
  }

  /** A name that is not one fails before the call, as the server would fail it (and some would not encode). */
  private static MessageQueueException checkName(String name) {
    Objects.requireNonNull(name, "name");
    try {
      QueueNames.check(name);
      return null;
    } catch (MqFailure e) {
      return (MessageQueueException) Replies.translate(e);
    }
  }
}
