package org.onyxrpc.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.onyxrpc.rpc.OpaqueAuth;
import org.onyxrpc.rpc.Procedure;
import org.onyxrpc.rpc.RpcException;
import org.onyxrpc.rpc.RpcStatus;
import org.onyxrpc.transport.NettyTransports;
import org.onyxrpc.transport.RecordDecoder;
import org.onyxrpc.transport.RecordMarking;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.xdr.XdrCodecs;

/**
 * Calls procedures of one ONC RPC server over one connection. Any number of calls may be
 * outstanding at once, sync and async alike; replies are matched to calls by xid and may arrive in
 * any order. Thread-safe: share one client among all the threads that talk to a server.
 *
 * <pre>{@code
 * try (RpcClient client = RpcClient.builder().address("localhost", 4711).build()) {
 *   long sum = client.call(CalculatorV1.ADD, new AddArgs(2, 3));             // waits
 *   CompletableFuture<Long> later = client.callAsync(CalculatorV1.ADD, args); // does not
 * }
 * }</pre>
 *
 * <p>Every failure is an {@link RpcException} with a {@link RpcStatus}: the server's error
 * replies, {@code TIMEOUT} when no reply came in time, {@code UNAVAILABLE} when the server could
 * not be reached or the connection was lost (every call outstanding on it fails at once). The
 * next call after a lost connection connects again.
 */
public final class RpcClient implements AutoCloseable {
  private final RpcClientBuilder config;
  private final InetSocketAddress address;
  private final String peer;
  private final OpaqueAuth credential;
  private final long timeoutNanos;
  private final ClientCounters counters = new ClientCounters();
  private final AtomicInteger xids = new AtomicInteger(ThreadLocalRandom.current().nextInt());
  private final Object connectLock = new Object();
  private volatile CompletableFuture<ClientConnection> connection;
  private volatile boolean closed;

  RpcClient(RpcClientBuilder config) {
    this.config = config;
    this.address = config.address;
    this.peer = config.transport.netid() + " " + address.getHostString() + ":" + address.getPort();
    this.credential = config.credentials.toOpaqueAuth();
    this.timeoutNanos = config.timeout.toNanos();
  }

  /** A builder; {@code address} is required. */
  public static RpcClientBuilder builder() {
    return new RpcClientBuilder();
  }

  /**
   * Calls {@code procedure} and waits for its result, at most the client's timeout.
   *
   * @throws RpcException with the reply's status, or TIMEOUT, UNAVAILABLE, CANCELLED (interrupted)
   */
  public <A, R> R call(Procedure<A, R> procedure, A args) {
    PendingCall<R> call = start(procedure, args, true);
    try {
      return call.get(timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      call.forget();
      counters.timeouts.increment();
      throw timeout(procedure);
    } catch (ExecutionException e) {
      throw (RpcException) e.getCause();
    } catch (InterruptedException e) {
      call.forget();
      Thread.currentThread().interrupt();
      throw new RpcException(RpcStatus.CANCELLED, procedure.describe() + " interrupted", e);
    }
  }

  /**
   * Calls {@code procedure} without waiting. The future completes with the result, or
   * exceptionally with an {@link RpcException}; cancelling it stops the wait for the reply.
   */
  public <A, R> CompletableFuture<R> callAsync(Procedure<A, R> procedure, A args) {
    PendingCall<R> call = start(procedure, args, true);
    if (!call.isDone()) {
      ScheduledFuture<?> timer = connectionEventLoop().schedule(() -> {
        if (!call.isDone()) {
          call.forget();
          counters.timeouts.increment();
          call.completeExceptionally(timeout(procedure));
        }
      }, timeoutNanos, TimeUnit.NANOSECONDS);
      call.whenComplete((r, t) -> timer.cancel(false));
    }
    return call;
  }

  /**
   * Sends a one-way call: no reply is awaited (RFC 5531 §7.4.1 batching). The future completes
   * when the call is handed to the network, which says nothing of whether it ran.
   */
  public <A> CompletableFuture<Void> send(Procedure<A, Void> procedure, A args) {
    return start(procedure, args, false);
  }

  /** Calls procedure 0, the NULL ping, of a program version; throws if the server lacks it. */
  public void ping(int program, int version) {
    call(new Procedure<>(program, version, 0, "NULL", XdrCodecs.VOID, XdrCodecs.VOID), null);
  }

  private <A, R> PendingCall<R> start(Procedure<A, R> procedure, A args, boolean expectReply) {
    PendingCall<R> call = new PendingCall<>(xids.incrementAndGet(), procedure);
    if (closed) {
      call.fail(RpcStatus.CANCELLED, "client to " + peer + " is closed", null);
      return call;
    }
    counters.calls.increment();
    CompletableFuture<ClientConnection> c = connection();
    ClientConnection ready = c.isDone() && !c.isCompletedExceptionally() ? c.join() : null;
    if (ready != null) {
      ready.send(call, procedure, args, credential, expectReply);
    } else {
      c.whenComplete((conn, failure) -> {
        if (failure != null) {
          call.fail(RpcStatus.UNAVAILABLE, "cannot reach " + peer + " to call "
              + procedure.describe() + ": " + failure.getMessage(), failure);
        } else {
          conn.send(call, procedure, args, credential, expectReply);
        }
      });
    }
    return call;
  }

  /** The live connection, or one being made: a lost connection is replaced on the next call. */
  private CompletableFuture<ClientConnection> connection() {
    CompletableFuture<ClientConnection> c = connection;
    if (c != null && (!c.isDone() || isLive(c))) {
      return c;
    }
    synchronized (connectLock) {
      c = connection;
      if (c == null || (c.isDone() && !isLive(c))) {
        c = connect();
        connection = c;
      }
      return c;
    }
  }

  private static boolean isLive(CompletableFuture<ClientConnection> c) {
    if (c.isCompletedExceptionally()) {
      return false;
    }
    ClientConnection conn = c.getNow(null);
    return conn != null && conn.isActive();
  }

  private CompletableFuture<ClientConnection> connect() {
    counters.connects.increment();
    int maxMessage = config.transport == Transport.TCP
        ? config.maxRecordBytes + RecordMarking.HEADER_BYTES : config.maxDatagramBytes;
    ClientConnection conn = new ClientConnection(
        config.transport, peer, counters, config.maxPendingCalls, maxMessage);
    Bootstrap bootstrap = new Bootstrap()
        .group(config.eventLoopGroup())
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, config.connectTimeout.toMillis()));
    if (config.transport == Transport.TCP) {
      bootstrap.channel(NettyTransports.socketChannel())
          .option(ChannelOption.TCP_NODELAY, true)
          .option(ChannelOption.SO_KEEPALIVE, true)
          .handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
              ch.pipeline().addLast(new RecordDecoder(config.maxRecordBytes), conn);
            }
          });
    } else {
      bootstrap.channel(NettyTransports.datagramChannel())
          .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(config.maxDatagramBytes))
          .handler(conn);
    }
    CompletableFuture<ClientConnection> result = new CompletableFuture<>();
    ChannelFuture f = bootstrap.connect(address);
    f.addListener(done -> {
      if (done.isSuccess()) {
        result.complete(conn);
      } else {
        result.completeExceptionally(done.cause());
      }
    });
    return result;
  }

  private io.netty.channel.EventLoop connectionEventLoop() {
    return config.eventLoopGroup().next();
  }

  private RpcException timeout(Procedure<?, ?> procedure) {
    return new RpcException(RpcStatus.TIMEOUT, "no reply from " + peer + " to "
        + procedure.describe() + " within " + Duration.ofNanos(timeoutNanos).toMillis() + " ms");
  }

  /** Counters of calls, timeouts, late replies and connections made. */
  public ClientStats stats() {
    return counters.snapshot();
  }

  /** The server's address. */
  public InetSocketAddress address() {
    return address;
  }

  /** Closes the connection; calls still outstanding fail with CANCELLED. */
  @Override
  public void close() {
    closed = true;
    CompletableFuture<ClientConnection> c = connection;
    if (c != null) {
      c.thenAccept(conn -> {
        conn.failAll(RpcStatus.CANCELLED, "client to " + peer + " closed");
        conn.close();
      });
    }
  }
}
