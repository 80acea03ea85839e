package org.onyxrpc.mq;

import static org.onyxrpc.internal.Checks.positive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.onyxrpc.internal.RateLimitedLog;
import org.onyxrpc.mq.internal.server.HostConfig;
import org.onyxrpc.mq.internal.server.QueueHost;
import org.onyxrpc.mq.internal.server.QueueService;
import org.onyxrpc.mq.internal.wire.MessageQueueServiceV1;
import org.onyxrpc.mq.internal.wire.MqConstants;
import org.onyxrpc.rpc.ProgramVersion;
import org.onyxrpc.server.ServiceDefinition;

/**
 * Hosts named message queues inside any {@code RpcServer}:
 *
 * <pre>{@code
 * QueueServer queues = QueueServer.builder().dataDirectory(Path.of("/var/lib/onyx-mq")).build();
 * RpcServer server = RpcServer.builder().port(0).addService(queues.service()).build().start();
 * // ... queues.close(); server.close();   (queues first: it answers the waiting calls)
 * }</pre>
 *
 * <p>The server registers the service in its directory under {@link #SERVICE_NAME}. All queue
 * state has one owner thread; calls that must wait (a send to a full queue, a receive from an
 * empty one, a notification) are parked as pending replies, holding no thread.
 */
public final class QueueServer implements AutoCloseable {
  /**
   * The name the service is registered under in the directory (what {@code onyx list} shows, and
   * {@code onyx ping HOST NAME} finds): {@value}, this public package's and stable, rather than the
   * generated default, which names the internal package the wire classes are generated into.
   */
  public static final String SERVICE_NAME = "org.onyxrpc.mq.MessageQueueService";
  /** The ONC RPC program number of the queue service. */
  public static final int PROGRAM = MessageQueueServiceV1.PROGRAM;
  /** Its version. */
  public static final int VERSION = MessageQueueServiceV1.VERSION;

  private final QueueHost host;
  private final ServiceDefinition service;
  private final Path dataDirectory; // null: in memory
  private final AtomicBoolean closed = new AtomicBoolean();

  private QueueServer(HostConfig config, LongSupplier nanoTime) throws IOException {
    this.host = new QueueHost(config, nanoTime);
    this.dataDirectory = config.dataDirectory();
    this.service = QueueService.definition(host, SERVICE_NAME);
  }

  /**
   * A builder with the defaults listed on its methods.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The service to add to an {@code RpcServer}.
   *
   * @return the definition, registered as {@value #SERVICE_NAME}
   */
  public ServiceDefinition service() {
    return service;
  }

  /**
   * Closes now the handles unused for a whole lease, as the periodic sweep does: for tests that
   * set the {@link Builder#nanoTime clock} past a lease and cannot wait for the next sweep.
   */
  CompletableFuture<Void> sweepHandles() {
    return host.closeExpiredHandlesNow();
  }

  /**
   * Every hosted queue's numbers, sorted by name; unlinked queues still open are included.
   *
   * @return a snapshot per queue
   */
  public List<QueueStats> stats() {
    return host.statuses().join().stream().map(QueueStats::of).toList();
  }

  /**
   * Fails every waiting call, closes durable logs (their messages stay) and stops the owner
   * thread. Close it before the {@code RpcServer}: the server's graceful shutdown waits for calls
   * in flight, and waiting receives and sends are calls in flight until this answers them.
   */
  @Override
  public void close() {
    closed.set(true);
    host.close();
  }

  /**
   * What it serves and where its durable queues live, for a log line: {@code
   * QueueServer[program 0x20000500 version 1, data directory /var/lib/onyx-mq]}, "in memory" without
   * one, and ", closed" once closed. It asks the owner thread nothing, so it never waits.
   *
   * @return the description, of bounded length
   */
  @Override
  public String toString() {
    return "QueueServer[" + ProgramVersion.describe(PROGRAM, VERSION) + ", "
        + (dataDirectory != null ? "data directory " + RateLimitedLog.shortText(dataDirectory.toString()) : "in memory")
        + (closed.get() ? ", closed" : "") + "]";
  }

  /** Limits of a queue server; each has a default. */
  public static final class Builder {
    private int maxQueues = 256;
    private long maxMessages = 65_536;
    private long maxMessageSize = MqConstants.MQ_MSGSIZE_LIMIT;
    private long maxTotalBytes = Math.min(1L << 30, HEAP / 4);
    private int maxQueuesPerClient; // 0: half of maxQueues
    private long maxTotalBytesPerClient; // 0: half of maxTotalBytes
    private int maxWaitersPerQueue = 1_024;
    private int maxHandles = 65_536;
    private int maxHandlesPerClient = 1_024;
    private long maxWaitingSendBytes = Math.min(64L << 20, HEAP / 16);
    private long maxWaitingSendBytesPerClient = Math.min(16L << 20, HEAP / 64);
    private Duration reservationLease = Duration.ofSeconds(60);
    private Duration handleLease = Duration.ofMinutes(2);
    private LongSupplier nanoTime = System::nanoTime;
    private Path dataDirectory;

    /**
     * The heap the byte limits' defaults are a share of. A queue's messages are on it, and on a
     * small one (-Xmx64m) the fixed defaults (1 GiB of queues, 64 MiB of waiting sends) let one
     * client's full queues end the server with an OutOfMemoryError (SmallHeapTest). A quarter for
     * the messages: G1 keeps a message of half a region or more (512 KiB in heaps under 2 GiB)
     * in whole regions, up to twice its bytes, and the RPC server may decode a quarter of the
     * heap for the calls in flight, waiting sends among them, of which a quarter is theirs.
     */
    private static final long HEAP = Runtime.getRuntime().maxMemory();

    private Builder() {}

    /**
     * Queues hosted at once (default 256); beyond, creating fails with {@link MqError#ENOSPC}.
     * One client may create half of them ({@link #maxQueuesPerClient}).
     *
     * @param queues at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code queues} is under 1
     */
    public Builder maxQueues(int queues) {
      this.maxQueues = positive(queues, "maxQueues");
      return this;
    }

    /**
     * The largest {@code mq_maxmsg} (default 65,536); beyond, {@link MqError#EINVAL}.
     *
     * @param messages at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code messages} is under 1
     */
    public Builder maxMessages(long messages) {
      this.maxMessages = positive(messages, "maxMessages");
      return this;
    }

    /**
     * The largest {@code mq_msgsize} (default and at most 1 MiB); beyond, {@link MqError#EINVAL}.
     *
     * @param bytes 1 .. 1 MiB
     * @return this builder
     * @throws IllegalArgumentException if {@code bytes} is out of range
     */
    public Builder maxMessageSize(long bytes) {
      if (bytes < 1 || bytes > MqConstants.MQ_MSGSIZE_LIMIT) {
        throw new IllegalArgumentException("maxMessageSize must be 1 .. " + MqConstants.MQ_MSGSIZE_LIMIT + ": " + bytes);
      }
      this.maxMessageSize = bytes;
      return this;
    }

    /**
     * The sum of {@code mq_maxmsg × (mq_msgsize + 320)} over all queues (default 1 GiB, or a quarter of
     * the heap, {@code Runtime.maxMemory()}, where that is less), which
     * bounds the memory messages can take: 320 bytes per place is what a message and its
     * reservation (a receive not yet committed) cost beyond its bytes, charged as Linux charges
     * each message's header against {@code RLIMIT_MSGQUEUE}, so that many tiny messages are not
     * nearly free. Beyond, creating fails with {@link MqError#ENOSPC}. One client's queues may
     * take half of it ({@link #maxTotalBytesPerClient}).
     *
     * @param bytes at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code bytes} is under 1
     */
    public Builder maxTotalBytes(long bytes) {
      this.maxTotalBytes = positive(bytes, "maxTotalBytes");
      return this;
    }

    /**
     * Queues that one client (IP address, or uid over a Unix-domain socket) may have created and
     * not yet unlinked (default half of {@link #maxQueues}); beyond, creating fails with {@link
     * MqError#EMFILE}, as Linux refuses a user over its {@code RLIMIT_MSGQUEUE}. A queue outlives
     * the handles of its creator, so without this one client could take every queue for good.
     * Durable queues recovered at a restart count against no client.
     *
     * @param queues at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code queues} is under 1
     */
    public Builder maxQueuesPerClient(int queues) {
      this.maxQueuesPerClient = positive(queues, "maxQueuesPerClient");
      return this;
    }

    /**
     * The same for the sum of {@code mq_maxmsg × (mq_msgsize + 320)} of those queues (default half of
     * {@link #maxTotalBytes}); beyond, {@link MqError#EMFILE}.
     *
     * @param bytes at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code bytes} is under 1
     */
    public Builder maxTotalBytesPerClient(long bytes) {
      this.maxTotalBytesPerClient = positive(bytes, "maxTotalBytesPerClient");
      return this;
    }

    /**
     * Senders, and receivers, that may wait on one queue (default 1,024), one client (IP address)
     * at most half of them; beyond, {@link MqError#EAGAIN}.
     *
     * @param waiters at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code waiters} is under 1
     */
    public Builder maxWaitersPerQueue(int waiters) {
      this.maxWaitersPerQueue = positive(waiters, "maxWaitersPerQueue");
      return this;
    }

    /**
     * Open handles of all clients together (default 65,536); beyond, opening fails with {@link
     * MqError#ENFILE}. A handle costs the server memory until it is closed or its lease ends.
     *
     * @param handles at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code handles} is under 1
     */
    public Builder maxHandles(int handles) {
      this.maxHandles = positive(handles, "maxHandles");
      return this;
    }

    /**
     * Open handles of one client (default 1,024), a client being an IP address (its connections
     * together) or, over a Unix-domain socket, a uid; beyond, opening fails with {@link
     * MqError#EMFILE}, so that one client cannot take the handles of all.
     *
     * @param handles at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code handles} is under 1
     */
    public Builder maxHandlesPerClient(int handles) {
      this.maxHandlesPerClient = positive(handles, "maxHandlesPerClient");
      return this;
    }

    /**
     * Bytes of the messages that senders waiting on full queues hold, all clients together
     * (default 64 MiB, or a sixteenth of the heap where that is less: a quarter of the RPC server's
     * default {@code maxDecodedBytesInFlight}): a waiting send keeps its message in memory, and the
     * RPC server counts its arguments against {@code maxDecodedBytesInFlight} until it is answered,
     * which must not be spent on waiting sends. Beyond, a send that would wait fails with {@link MqError#EAGAIN}.
     *
     * @param bytes at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code bytes} is under 1
     */
    public Builder maxWaitingSendBytes(long bytes) {
      this.maxWaitingSendBytes = positive(bytes, "maxWaitingSendBytes");
      return this;
    }

    /**
     * The same for one client (default 16 MiB, or a 64th of the heap where that is less), so that
     * one client cannot take it all.
     *
     * @param bytes at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code bytes} is under 1
     */
    public Builder maxWaitingSendBytesPerClient(long bytes) {
      this.maxWaitingSendBytesPerClient = positive(bytes, "maxWaitingSendBytesPerClient");
      return this;
    }

    /**
     * How long a message handed to a receiver waits for the receiver's commit before it goes back
     * to the queue (default 60 s). Longer than any client's commit deadline (25 s by default).
     *
     * @param lease more than zero
     * @return this builder
     * @throws IllegalArgumentException if {@code lease} is zero or negative
     */
    public Builder reservationLease(Duration lease) {
      Objects.requireNonNull(lease, "lease");
      if (lease.isNegative() || lease.isZero()) {
        throw new IllegalArgumentException("reservationLease must be positive: " + lease);
      }
      this.reservationLease = lease;
      return this;
    }

    /**
     * How long a handle that no call uses stays open (default 2 min): a client that died, or lost
     * the server for that long, has its handles closed, as a dead process's descriptors close.
     * Open {@link MessageQueue}s renew theirs every third of it.
     *
     * @param lease more than zero
     * @return this builder
     * @throws IllegalArgumentException if {@code lease} is zero or negative
     */
    public Builder handleLease(Duration lease) {
      Objects.requireNonNull(lease, "lease");
      if (lease.isNegative() || lease.isZero()) {
        throw new IllegalArgumentException("handleLease must be positive: " + lease);
      }
      this.handleLease = lease;
      return this;
    }

    /** The clock handle leases are measured on, in nanoseconds (tests: see {@link #sweepHandles}). */
    Builder nanoTime(LongSupplier nanoTime) {
      this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
      return this;
    }

    /**
     * Where durable queues keep their logs, and are found again at start (default: none, no durable queues).
     *
     * @param directory a directory the server may write; not null
     * @return this builder
     */
    public Builder dataDirectory(Path directory) {
      this.dataDirectory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /**
     * A server with these limits; with a data directory, its durable queues are recovered now.
     *
     * @return a new server, whose {@link #service()} goes to an {@code RpcServer}
     * @throws java.io.UncheckedIOException if the durable queues cannot be recovered
     */
    public QueueServer build() {
      try {
        int queuesPerClient = maxQueuesPerClient > 0 ? maxQueuesPerClient : maxQueues - maxQueues / 2;
        long bytesPerClient = maxTotalBytesPerClient > 0 ? maxTotalBytesPerClient : maxTotalBytes - maxTotalBytes / 2;
        return new QueueServer(new HostConfig(maxQueues, maxMessages, maxMessageSize, maxTotalBytes,
            queuesPerClient, bytesPerClient,
            maxWaitersPerQueue, maxHandles, maxHandlesPerClient, maxWaitingSendBytes,
            maxWaitingSendBytesPerClient, reservationLease, handleLease, dataDirectory), nanoTime);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot recover the durable queues in " + dataDirectory + ": "
            + reason(e, dataDirectory), e);
      }
    }

    /**
     * What went wrong with a file, in words: NIO's messages are often the path alone, or its
     * exception's class name ('NoSuchFileException /proc/nope'). A file other than the data
     * directory (a parent it would be made in) is named.
     */
    private static String reason(IOException e, Path directory) {
      if (!(e instanceof FileSystemException f)) {
        return e.getMessage();
      }
      String file = f.getFile();
      boolean itself = file == null || Path.of(file).equals(directory)
          || Path.of(file).equals(directory.toAbsolutePath());
      String subject = itself ? "it" : file;
      if (e instanceof FileAlreadyExistsException) {
        return subject + " exists and is not a directory";
      }
      if (e instanceof AccessDeniedException) {
        return itself ? "permission denied" : "permission denied on " + file;
      }
      if (e instanceof NoSuchFileException) {
        return itself ? "it is missing and cannot be made there (no such file or directory)"
            : file + " is missing and cannot be made (no such file or directory)";
      }
      if (e instanceof NotDirectoryException) {
        return subject + " is not a directory";
      }
      String why = f.getReason() != null ? f.getReason() : f.getClass().getSimpleName();
      return itself ? why : why + " (" + file + ")";
    }
  }
}
