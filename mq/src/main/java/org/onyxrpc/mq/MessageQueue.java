package org.onyxrpc.mq;

import static org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.ATTRIBUTES;
import static org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.CANCEL_NOTIFY_FOR;
import static org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.CLOSE;
import static org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.NOTIFY_ON_ARRIVAL_FOR;
import static org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.RELEASE;
import static org.onyxrpc.mq.internal.wire.MessageQueueServiceV1.SEND;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.onyxrpc.client.CallOptions;
import org.onyxrpc.client.RpcClient;
import org.onyxrpc.mq.internal.wire.Message;
import org.onyxrpc.mq.internal.wire.MqErrno;
import org.onyxrpc.mq.internal.wire.MqFailure;
import org.onyxrpc.mq.internal.wire.Receipt;
import org.onyxrpc.mq.internal.wire.SendRequest;
import org.onyxrpc.rpc.RpcException;

/**
 * An open message queue: what {@code mqd_t} is to a POSIX process. Made by
 * {@link MessageQueues#open}; thread-safe; close it when done.
 *
 * <pre>{@code
 * try (MessageQueue orders = MessageQueues.open(rpc, "/orders",
 *     OpenOptions.create(0640, QueueAttributes.of(100, 8192)))) {
 *   orders.send(bytes, 5);                                   // mq_send
 *   ReceivedMessage m = orders.receive(Duration.ofSeconds(2)); // mq_timedreceive
 * }
 * }</pre>
 *
 * <p>Waiting calls wait on the server, not in a thread of it. Each blocking call has an
 * asynchronous form returning a {@link CompletableFuture}; cancelling a receive's future takes no
 * message: {@code cancel} answers true only while nothing was taken for it, false once its
 * message is being handed over (the future then completes with it, or, should the hand-over find
 * the message gone back to the queue, ends cancelled). Cancelling a blocked send
 * withdraws it if it is still waiting for room; one already queued stays queued.
 *
 * <p>Calls that wait occupy one of the server's concurrent calls per connection (128 by
 * default, {@code RpcServerBuilder.maxConcurrentCallsPerConnection}); many waiting consumers
 * should use more than one {@link RpcClient}.
 *
 * <p>Unlike {@code mq_send} and {@code mq_receive}, every call here may also fail with the
 * runtime's {@link RpcException} (unchecked), as the server is another machine: {@code
 * OUTCOME_UNKNOWN} at once when the server dies or its connection is lost while a call waits, and
 * {@code TIMEOUT} when it gives no answer, for a wait without end ({@link #send(byte[], int)},
 * {@link #receive()}) 15 s after its current 10-second attempt began, so that a link cut for
 * about 5 s at the end of an attempt is enough; for a timed wait 5 s after its timeout. A failed
 * receive took nothing (its message says so, unless its commit was what failed: then it says
 * "may have taken it"); a failed send's message may or may not be in the queue. A graceful stop
 * of the server is {@link MqError#EBADF} instead, and a restarted server holds no handle: open the
 * queue again.
 */
public final class MessageQueue implements AutoCloseable {
  /** How long the transport waits for a reply beyond the queue's own timeout. */
  private static final Duration GRACE = Duration.ofSeconds(5);
  /** A wait without end is a series of server-side waits this long, each a call of its own. */
  private static final Duration ATTEMPT_WAIT = Duration.ofSeconds(10);
  /**
   * An arrival notification has no server-side timeout; the transport needs a deadline. Timed
   * waits this long or longer are waits without end (no overflow, and a dead server is noticed).
   */
  private static final Duration INDEFINITELY = Duration.ofDays(30);
  private static final long DO_NOT_WAIT = 0;

  private final RpcClient rpc;
  private final String name;
  private final long handle;
  private final OpenOptions.Access access;
  private final long maxMessages;
  private final long messageSize;
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final KeepAlive keepAlive;
  private volatile boolean nonBlocking;

  MessageQueue(RpcClient rpc, String name, long handle, OpenOptions options, long maxMessages, long messageSize,
      long leaseMillis) {
    this.rpc = rpc;
    this.name = name;
    this.handle = handle;
    this.access = options.access();
    this.nonBlocking = options.nonBlockingHandle();
    this.maxMessages = maxMessages;
    this.messageSize = messageSize;
    // Any call on the handle renews its lease; EBADF is a handle the server no longer holds.
    LeaseRenewal renewal = new LeaseRenewal(() -> rpc.callAsync(ATTRIBUTES, handle)
        .thenApply(reply -> reply.exception() instanceof MqFailure f && f.errno() == MqErrno.EBADF));
    this.keepAlive = KeepAlive.start(renewal, LeaseRenewal.periodMillis(leaseMillis));
    renewal.whenGone(keepAlive::stop);
  }

  /**
   * The queue's name, e.g. {@code "/orders"}.
   *
   * @return the name the queue was opened by
   */
  public String name() {
    return name;
  }

  // --- send ---

  /**
   * {@code mq_send}: adds {@code message} at {@code priority}; on a full queue waits for room, or
   * with {@code O_NONBLOCK} fails at once with {@link MqError#EAGAIN}. Once it returns, the message
   * is in the queue: it reaches exactly one receiver, and survives a crash of the server if the
   * queue is durable.
   *
   * @param message the bytes, at most the queue's message size
   * @param priority 0 (lowest) .. {@link MessageQueues#MQ_PRIO_MAX} - 1
   * @throws MessageQueueException {@link MqError#EMSGSIZE} for a message longer than the queue's
   *     message size, {@link MqError#EINVAL} for a priority outside 0 .. {@link MessageQueues#MQ_PRIO_MAX} - 1
   * @throws RpcException {@code OUTCOME_UNKNOWN} or {@code TIMEOUT} (no answer for 15 s) when the
   *     server or the network fails while it waits: the message may or may not be in the queue
   */
  public void send(byte[] message, int priority) {
    Await.result(nonBlocking ? trySendAsync(message, priority) : sendAsync(message, priority));
  }

  /**
   * {@code mq_timedsend}: as {@link #send(byte[], int)}, failing with {@link MqError#ETIMEDOUT}
   * after {@code timeout}. A timeout already over (zero or negative) is a deadline in the past:
   * the message goes in if there is room, else the call fails at once with ETIMEDOUT.
   *
   * @param message the bytes, at most the queue's message size
   * @param priority 0 (lowest) .. {@link MessageQueues#MQ_PRIO_MAX} - 1
   * @param timeout how long to wait for room; 30 days or more waits without end
   * @throws MessageQueueException ETIMEDOUT when the time is up, or as {@link #send(byte[], int)}
   */
  public void send(byte[] message, int priority, Duration timeout) {
    Objects.requireNonNull(timeout, "timeout"); // checked even when O_NONBLOCK ignores it
    Await.result(nonBlocking ? trySendAsync(message, priority) : sendAsync(message, priority, timeout));
  }

  /**
   * {@code mq_send} with {@code O_NONBLOCK}: a full queue fails at once with {@link MqError#EAGAIN}.
   *
   * @param message the bytes, at most the queue's message size
   * @param priority 0 (lowest) .. {@link MessageQueues#MQ_PRIO_MAX} - 1
   * @throws MessageQueueException EAGAIN on a full queue, or as {@link #send(byte[], int)}
   */
  public void trySend(byte[] message, int priority) {
    Await.result(trySendAsync(message, priority));
  }

  /**
   * {@link #send(byte[], int)} without blocking (whatever {@link #setNonBlocking} says).
   *
   * @param message the bytes, at most the queue's message size
   * @param priority 0 (lowest) .. {@link MessageQueues#MQ_PRIO_MAX} - 1
   * @return completed once the message is queued, or exceptionally with a {@link MessageQueueException}
   */
  public CompletableFuture<Void> sendAsync(byte[] message, int priority) {
    return sendCall(message, priority, ATTEMPT_WAIT.toMillis(), CallOptions.DEFAULT.withDeadline(ATTEMPT_WAIT.plus(GRACE)),
        Wait.REPEATED);
  }

  /**
   * {@link #send(byte[], int, Duration)} without blocking (whatever {@link #setNonBlocking}
   * says: {@link #trySendAsync} is the {@code O_NONBLOCK} form).
   *
   * @param message the bytes, at most the queue's message size
   * @param priority 0 (lowest) .. {@link MessageQueues#MQ_PRIO_MAX} - 1
   * @param timeout how long to wait for room
   * @return completed once the message is queued, or exceptionally with a {@link MessageQueueException}
   */
  public CompletableFuture<Void> sendAsync(byte[] message, int priority, Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      return sendCall(message, priority, DO_NOT_WAIT, CallOptions.DEFAULT, Wait.DEADLINE_PASSED);
    }
    if (timeout.compareTo(INDEFINITELY) >= 0) {
      return sendAsync(message, priority);
    }
    return sendCall(message, priority, Math.max(1, timeout.toMillis()),
        CallOptions.DEFAULT.withDeadline(timeout.plus(GRACE)), Wait.ONCE);
  }

  /**
   * {@link #trySend} without blocking.
   *
   * @param message the bytes, at most the queue's message size
   * @param priority 0 (lowest) .. {@link MessageQueues#MQ_PRIO_MAX} - 1
   * @return completed once the message is queued, or exceptionally with a {@link MessageQueueException}
   */
  public CompletableFuture<Void> trySendAsync(byte[] message, int priority) {
    return sendCall(message, priority, DO_NOT_WAIT, CallOptions.DEFAULT, Wait.ONCE);
  }

  private CompletableFuture<Void> sendCall(byte[] message, int priority, long timeoutMillis, CallOptions options,
      Wait wait) {
    // Named here, at once: checkSend reads its length after the priority (Linux's order), and
    // its NullPointerException was the JDK's own.
    Objects.requireNonNull(message, "message");
    MessageQueueException invalid = checkSend(message, priority);
    if (invalid != null) {
      return CompletableFuture.failedFuture(invalid);
    }
    return WaitingCall.start(this::nextReceipt,
        receipt -> rpc.callAsync(SEND, new SendRequest(receipt, priority, message, timeoutMillis), options),
        (receipt, call) -> {
          call.cancel(false);
          rpc.callAsync(RELEASE, receipt).exceptionally(e -> null);
        }, wait, timeoutMillis);
  }

  /** In Linux's order: the priority before the descriptor, the descriptor before the size. */
  private MessageQueueException checkSend(byte[] message, int priority) {
    if (priority < 0 || priority >= MessageQueues.MQ_PRIO_MAX) {
      return new MessageQueueException(MqError.EINVAL,
          "priority must be 0 .. " + (MessageQueues.MQ_PRIO_MAX - 1) + ", got " + priority);
    }
    MessageQueueException badHandle = notUsableFor(OpenOptions.Access.READ_ONLY);
    if (badHandle != null) {
      return badHandle;
    }
    if (message.length > messageSize) {
      return new MessageQueueException(MqError.EMSGSIZE, "a message of " + message.length
          + " bytes is longer than " + name + "'s message size, " + messageSize);
    }
    return null;
  }

  /**
   * EBADF as Linux's descriptor check gives it, for a handle closed or opened only the other way
   * ({@code wrongWay}); null if it is usable. The closed handle is checked here, not left to the
   * server, so that it comes before the size check as on Linux.
   */
  private MessageQueueException notUsableFor(OpenOptions.Access wrongWay) {
    if (closed.get()) {
      return new MessageQueueException(MqError.EBADF, "queue " + name + " is closed");
    }
    if (access == wrongWay) {
      return new MessageQueueException(MqError.EBADF, "queue " + name + " is open "
          + (wrongWay == OpenOptions.Access.READ_ONLY ? "read-only" : "write-only"));
    }
    return null;
  }

  // --- receive ---

  /**
   * {@code mq_receive}: takes the oldest message of the highest priority; on an empty queue
   * waits for one, or with {@code O_NONBLOCK} fails at once with {@link MqError#EAGAIN}.
   *
   * @return the message and its priority
   * @throws MessageQueueException EAGAIN with {@code O_NONBLOCK} on an empty queue, EBADF on a
   *     write-only or closed handle, EIO when the reservations of eight messages in a row lapsed
   *     before their commits, or of 64 went back with their connections (nothing was taken)
   * @throws RpcException {@code OUTCOME_UNKNOWN} or {@code TIMEOUT} (no answer for 15 s) when the
   *     server or the network fails while it waits: nothing was taken ("this receive took
   *     nothing"), unless the message says its commit "may have taken it"
   */
  public ReceivedMessage receive() {
    return Await.result(nonBlocking ? tryReceiveAsync() : receiveAsync());
  }

  /**
   * {@code mq_timedreceive}: as {@link #receive()}, failing with {@link MqError#ETIMEDOUT} after
   * {@code timeout}. A timeout already over (zero or negative) is a deadline in the past: a
   * message is taken if there is one, else the call fails at once with ETIMEDOUT.
   *
   * @param timeout how long to wait for a message; 30 days or more waits without end
   * @return the message and its priority
   * @throws MessageQueueException ETIMEDOUT when the time is up (also when the message reserved
   *     for the call went back, its commit later than the server's reservation lease, and no
   *     time was left to ask again: nothing was taken), or as {@link #receive()}
   */
  public ReceivedMessage receive(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout"); // checked even when O_NONBLOCK ignores it
    return Await.result(nonBlocking ? tryReceiveAsync() : receiveAsync(timeout));
  }

  /**
   * {@code mq_receive} with {@code O_NONBLOCK}: an empty queue fails at once with {@link MqError#EAGAIN}.
   *
   * @return the message and its priority
   * @throws MessageQueueException EAGAIN on an empty queue; ETIMEDOUT if the message reserved for
   *     the call went back, its commit later than the server's reservation lease (nothing was
   *     taken, and a call that may not wait does not ask again); or as {@link #receive()}
   */
  public ReceivedMessage tryReceive() {
    return Await.result(tryReceiveAsync());
  }

  /**
   * {@link #receive()} without blocking (and waiting for a message whatever {@link
   * #setNonBlocking} says: {@link #tryReceiveAsync} is the {@code O_NONBLOCK} form); cancelling
   * the future takes no message.
   *
   * @return the message to come
   */
  public CompletableFuture<ReceivedMessage> receiveAsync() {
    return receiveCall(ATTEMPT_WAIT.toMillis(), CallOptions.DEFAULT.withDeadline(ATTEMPT_WAIT.plus(GRACE)),
        Wait.REPEATED);
  }

  /**
   * {@link #receive(Duration)} without blocking (whatever {@link #setNonBlocking} says, as
   * {@link #receiveAsync()}); cancelling the future takes no message.
   *
   * @param timeout how long to wait for a message
   * @return the message to come
   */
  public CompletableFuture<ReceivedMessage> receiveAsync(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      return receiveCall(DO_NOT_WAIT, CallOptions.DEFAULT, Wait.DEADLINE_PASSED);
    }
    if (timeout.compareTo(INDEFINITELY) >= 0) {
      return receiveAsync();
    }
    return receiveCall(Math.max(1, timeout.toMillis()), CallOptions.DEFAULT.withDeadline(timeout.plus(GRACE)),
        Wait.ONCE);
  }

  /**
   * {@link #tryReceive} without blocking.
   *
   * @return the message, or a future failed with EAGAIN
   */
  public CompletableFuture<ReceivedMessage> tryReceiveAsync() {
    return receiveCall(DO_NOT_WAIT, CallOptions.DEFAULT, Wait.ONCE);
  }

  private CompletableFuture<ReceivedMessage> receiveCall(long timeoutMillis, CallOptions options, Wait wait) {
    MessageQueueException badHandle = notUsableFor(OpenOptions.Access.WRITE_ONLY);
    if (badHandle != null) {
      return CompletableFuture.failedFuture(badHandle);
    }
    return ReceiveCall.start(rpc, this::nextReceipt, timeoutMillis, options, wait, this::refusal);
  }

  /**
   * Why a message the server reserved cannot be this queue's, or null: longer than its message
   * size, or at a priority outside 0 .. MQ_PRIO_MAX - 1. mq_receive never returns such a
   * message; a caller may size a buffer by the one and index by the other.
   */
  private MessageQueueException refusal(Message message) {
    int length = message.message().length;
    int priority = message.priority();
    if (length <= messageSize && priority >= 0 && priority < MessageQueues.MQ_PRIO_MAX) {
      return null;
    }
    return new MessageQueueException(MqError.EIO, "the queue server handed out a message of " + length
        + " bytes at priority " + priority + ", which " + name + " (message size " + messageSize
        + ", priorities 0 to " + (MessageQueues.MQ_PRIO_MAX - 1) + ") cannot hold; it was left in the"
        + " queue, not taken");
  }

  // --- attributes, notification, close ---

  /**
   * {@code mq_getattr}: the fixed attributes, the messages held now and this handle's O_NONBLOCK.
   *
   * @return the attributes now
   */
  public QueueAttributes attributes() {
    return Await.result(attributesAsync());
  }

  /**
   * {@link #attributes()} without blocking.
   *
   * @return the attributes to come
   */
  public CompletableFuture<QueueAttributes> attributesAsync() {
    return Replies.unwrap(rpc.callAsync(ATTRIBUTES, handle), a -> CompletableFuture.completedFuture(
        new QueueAttributes(a.maxMessages(), a.messageSize(), a.currentMessages(), nonBlocking)));
  }

  /**
   * Sets this handle's {@code O_NONBLOCK}, the only attribute that can change.
   *
   * @param nonBlocking whether {@code send} and {@code receive} fail at once instead of waiting
   */
  public void setNonBlocking(boolean nonBlocking) {
    this.nonBlocking = nonBlocking;
  }

  /**
   * {@code mq_setattr}: takes {@code O_NONBLOCK} from {@code attributes}; the other fields are
   * ignored, as {@code mq_setattr} ignores them. Returns the attributes as they were before
   * ({@code oldattr}).
   *
   * @param attributes whose {@code nonBlocking} is taken
   * @return the attributes before the change
   */
  public QueueAttributes setAttributes(QueueAttributes attributes) {
    Objects.requireNonNull(attributes, "attributes"); // before the call that reads the old ones
    QueueAttributes old = attributes();
    setNonBlocking(attributes.nonBlocking());
    return old;
  }

  /**
   * {@code mq_notify}: the future completes once, when a message arrives on the queue while it
   * is empty and no receiver waits. One registration per queue: another, from any handle (this
   * one's included, as on Linux), fails with {@link MqError#EBUSY}. Cancelling the future removes
   * this registration ({@code mq_notify(NULL)}) and no later one of the handle's, however late the
   * cancel reaches the server. Register again after it fires to be told again. Needs a server of
   * this version (an older one answers {@code PROC_UNAVAIL}).
   *
   * <p>Unlike {@code mq_notify}, this returns before the server has the registration: a message
   * sent right after it, even through the same client (the server runs a connection's calls in
   * parallel), may arrive first, and then fires nothing. When the order matters, wait until
   * {@link MessageQueues#stats} says the queue is {@link QueueStats#notifying() notifying}.
   *
   * @return completed when a message arrives as described; failed with EBUSY if another handle
   *     is registered
   */
  public CompletableFuture<Void> notifyOnArrival() {
    // The receipt names this registration, so the cancel removes it and no other: not one this
    // handle makes after it, which a cancel arriving late (the server runs a connection's calls
    // in parallel, and retransmits an idempotent call) once removed. A cancel that overtakes its
    // registration is remembered by the server, and the registration then fails ECANCELED.
    return WaitingCall.start(this::nextReceipt,
        receipt -> rpc.callAsync(NOTIFY_ON_ARRIVAL_FOR, receipt, CallOptions.DEFAULT.withDeadline(INDEFINITELY)),
        (receipt, call) -> {
          call.cancel(false);
          rpc.callAsync(CANCEL_NOTIFY_FOR, receipt).exceptionally(e -> null);
        }, Wait.ONCE, -1); // no server-side wait: the notification has none
  }

  /**
   * {@code mq_close}: waiting calls of this handle fail with {@link MqError#EBADF}, messages
   * reserved for it go back, its notification is removed. An unlinked queue is destroyed when
   * its last handle closes. Closing twice does nothing, and so does closing a handle the server no
   * longer holds (it restarted, or the handle's lease ended): its other calls fail with
   * {@link MqError#EBADF}, its close returns. Until it is closed, the handle's lease on
   * the server is renewed in the background; a handle of a process that died without closing it
   * is closed by the server when its lease ends ({@code QueueServer.Builder.handleLease}).
   */
  @Override
  public void close() {
    Await.result(closeAsync());
  }

  /**
   * {@link #close()} without blocking.
   *
   * @return completed once the server closed the handle
   */
  public CompletableFuture<Void> closeAsync() {
    if (!closed.compareAndSet(false, true)) {
      return CompletableFuture.completedFuture(null);
    }
    keepAlive.stop();
    return Replies.unwrapClose(rpc.callAsync(CLOSE, handle));
  }

  private Receipt nextReceipt() {
    return new Receipt(handle, sequence.incrementAndGet());
  }

  @Override
  public String toString() {
    return "MessageQueue[" + name + ", " + access + (nonBlocking ? ", non-blocking" : "") + ", max "
        + maxMessages + " × " + messageSize + " bytes]";
  }

}
