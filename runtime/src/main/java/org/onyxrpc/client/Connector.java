package org.onyxrpc.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.local.LocalAddress;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.onyxrpc.internal.transport.NettyTransports;
import org.onyxrpc.internal.transport.RecordDecoder;
import org.onyxrpc.internal.transport.RecordReadSizing;
import org.onyxrpc.transport.Transport;
import org.onyxrpc.transport.UnixSocketAddress;

/**
 * Keeps one live connection to the server, making a new one when the last was lost. The
 * client's {@link CallOwner} alone uses it.
 */
final class Connector {
  private final ClientConfig config;
  private final ConnectionSetup setup;
  private final ClientCounters counters;
  private final EventLoopGroup group;
  private final CallerRunsThreads callerRunsThreads;
  private final BackgroundReader datagramReader; // shared; null unless caller-runs UDP
  /** Null unless the client was built by name: then the address, looked up again as need be. */
  private final ServerFinder finder;
  private final CallOwner owner;
  private volatile boolean closed;
  private CompletableFuture<Connection> current;
  /** Closes the connection {@link #current} is making; null if there is nothing to close. */
  private AutoCloseable settingUp;

  /** {@code callerRunsThreads}: null unless the client runs its I/O on its callers. */
  Connector(ClientConfig config, ConnectionSetup setup, ClientCounters counters,
      EventLoopGroup group, CallerRunsThreads callerRunsThreads, ServerFinder finder, CallOwner owner) {
    this.config = config;
    this.finder = finder;
    this.owner = owner;
    this.setup = setup;
    this.counters = counters;
    this.group = group;
    this.callerRunsThreads = callerRunsThreads;
    this.datagramReader = config.ioStrategy() == IoStrategy.CALLER_RUNS
        && config.transport() == Transport.UDP
        ? DatagramCallerRunsConnection.BACKGROUND_READER.acquire() : null;
  }

  /** The live connection, or one being made. */
  CompletableFuture<Connection> connection() {
    CompletableFuture<Connection> c = current;
    if (c == null || (c.isDone() && !isLive(c))) {
      c = connect();
      current = c;
    }
    return c;
  }

  /** The connect under way, or null if none is (none was started, or it has ended). */
  CompletableFuture<Connection> connecting() {
    CompletableFuture<Connection> c = current;
    return c != null && !c.isDone() ? c : null;
  }

  private static boolean isLive(CompletableFuture<Connection> c) {
    return !c.isCompletedExceptionally() && c.join().isActive();
  }

  private CompletableFuture<Connection> connect() {
    counters.connects.increment();
    settingUp = null;
    if (finder == null) {
      return connectTo();
    }
    if (finder.lookUpFirst()) { // nothing listened at the address: a datagram socket would not tell
      return finder.lookUp().handleAsync((found, error) -> {
        if (error == null) {
          finder.found(found);
        }
        return closed ? CompletableFuture.<Connection>failedFuture(new ConnectException("client closed"))
            : connectTo();
      }, owner::execute).thenCompose(c -> c);
    }
    return connectTo().exceptionallyComposeAsync(this::afterFailure, owner::execute);
  }

  /** The server's address now: the builder's, or the directory's last answer. */
  SocketAddress address() {
    return finder == null ? config.address() : finder.address();
  }

  /** On the owner: nothing listened at the address (UDP); the next connection looks it up first. */
  void nothingListens() {
    if (finder != null) {
      finder.nothingListens();
    }
  }

  /**
   * On the owner, when a connect to the address failed: if a new address may cure it, and no
   * look-up was made within the backoff, asks the directory again and connects to a new address;
   * otherwise fails as it did, its message saying what the directory said.
   */
  private CompletableFuture<Connection> afterFailure(Throwable failure) {
    if (closed || !ServerFinder.addressMayBeStale(failure) || !finder.mayLookUp()) {
      return CompletableFuture.failedFuture(failure);
    }
    return finder.lookUp().handleAsync((found, error) -> {
      if (closed) {
        return CompletableFuture.<Connection>failedFuture(failure);
      }
      if (error != null) {
        return CompletableFuture.<Connection>failedFuture(told(failure, finder.notFound(error)));
      }
      return finder.found(found) ? connectTo()
          : CompletableFuture.<Connection>failedFuture(told(failure, finder.sameAddress()));
    }, owner::execute).thenCompose(c -> c);
  }

  /** A connect's failure with what the directory said after it, for the call's message. */
  private static Throwable told(Throwable failure, String note) {
    Throwable t = ServerFinder.unwrapped(failure);
    ConnectException told = new ConnectException(CallFailures.reason(t) + "; " + note);
    told.initCause(t);
    return told;
  }

  private CompletableFuture<Connection> connectTo() {
    if (callerRunsThreads != null) {
      return connectCallerRuns();
    }
    if (datagramReader != null) {
      return DatagramCallerRunsConnection.connect(setup, datagramReader,
          (InetSocketAddress) address(), config.maxDatagramBytes(),
          config.pollBeforeWaiting().toNanos());
    }
    return connectOnEventLoop();
  }

  /** A TCP connection whose calls are sent and read on their callers' threads. */
  private CompletableFuture<Connection> connectCallerRuns() {
    SocketChannel socket;
    try {
      socket = SocketChannel.open(); // here, so that close() can end its connect
    } catch (IOException e) {
      return CompletableFuture.failedFuture(new IOException(e.getMessage() + ": " + address(), e));
    }
    settingUp = socket;
    return CallerRunsConnection.connect(setup, callerRunsThreads, socket,
        (InetSocketAddress) address(), config.connectTimeout(), config.maxRecordBytes(),
        config.pollBeforeWaiting().toNanos());
  }

  /** A Netty channel on the client's event loop group, of the configured transport. */
  private CompletableFuture<Connection> connectOnEventLoop() {
    ClientConnection conn = new ClientConnection(setup, config.pollBeforeWaiting().toNanos());
    CompletableFuture<Connection> result = new CompletableFuture<>();
    ClientTls tls = config.transport() == Transport.TCP ? config.tls() : null;
    ChannelFuture connecting = bootstrap(conn, tls, result).connect(nettyAddress());
    Channel channel = connecting.channel();
    settingUp = () -> abort(channel);
    if (config.transport() == Transport.IN_PROCESS) {
      // Netty's local channels keep no connect timeout of their own: closing fails the connect.
      var timeout = connecting.channel().eventLoop().schedule(() -> connecting.channel().close(),
          config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
      connecting.addListener(done -> timeout.cancel(false));
    }
    connecting.addListener(done -> {
      if (done.isSuccess()) {
        if (tls == null) {
          result.complete(conn);
        }
      } else {
        result.completeExceptionally(connectFailure(done.cause()));
      }
    });
    return result;
  }

  /**
   * The bootstrap of a connection's channel: record marking (and {@code tls}, which completes
   * {@code result} once up) on a stream, a fixed receive buffer on a datagram socket.
   */
  private Bootstrap bootstrap(ClientConnection conn, ClientTls tls,
      CompletableFuture<Connection> result) {
    Bootstrap bootstrap = new Bootstrap()
        .group(group)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
            (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()));
    if (!config.transport().recordMarked()) {
      return bootstrap.channel(NettyTransports.datagramChannel())
          // One byte more than the most: a datagram that fills it was cut by the kernel, too long.
          .option(ChannelOption.RECVBUF_ALLOCATOR,
              new FixedRecvByteBufAllocator(config.maxDatagramBytes() + 1))
          .handler(conn);
    }
    if (config.transport() == Transport.TCP) {
      bootstrap.channel(NettyTransports.socketChannel())
          .option(ChannelOption.TCP_NODELAY, true)
          .option(ChannelOption.SO_KEEPALIVE, true);
    } else {
      bootstrap.channel(config.transport() == Transport.UNIX ? NettyTransports.domainSocketChannel()
          : NettyTransports.inProcessChannel());
    }
    return bootstrap.handler(new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel ch) {
        RecordDecoder decoder = new RecordDecoder(config.maxRecordBytes());
        ch.config().setRecvByteBufAllocator(new RecordReadSizing(decoder::missingBytes));
        ch.pipeline().addLast(decoder);
        if (tls != null) { // the connection is handed over once TLS is up, never before
          ch.pipeline().addLast(new StartTls(tls, (InetSocketAddress) address(),
              config.connectTimeout(), decoder, conn, result, setup.mostQueuedBytesWithTls()));
        }
        ch.pipeline().addLast(conn);
      }
    });
  }

  /**
   * Why a channel did not connect: Netty's cause, but for an in-process server, which is named
   * plainly (nothing was sent either way, so nothing ran).
   */
  private Throwable connectFailure(Throwable cause) {
    if (config.transport() != Transport.IN_PROCESS) {
      return cause;
    }
    String name = ((LocalAddress) config.address()).id();
    return new ConnectException(
        cause instanceof ConnectException // Netty: "connection refused: local:name"
            ? "no in-process server named \"" + name + "\" is running in this JVM"
            : "in-process server \"" + name + "\" did not accept the connection within "
                + config.connectTimeout().toMillis() + " ms");
  }

  /**
   * Closes a channel whose set-up has not ended, now and without going through its pipeline:
   * nothing was said on it that needs an end (TLS, if any, is not up), and a TLS handler would
   * first write its close_notify and close only once that was written, maybe after the loop has
   * stopped (see {@link ClientConnection#close}).
   */
  private static void abort(Channel channel) {
    if (channel.isRegistered() && channel.eventLoop().inEventLoop()) {
      channel.unsafe().close(channel.voidPromise()); // its pipeline is torn down on this loop
    } else {
      channel.close(); // a supplied event loop that shut down under the client (EventLoopOwner)
    }
  }

  private SocketAddress nettyAddress() {
    SocketAddress address = address();
    return address instanceof UnixSocketAddress unix
        ? NettyTransports.domainSocketAddress(unix) : address;
  }

  /**
   * Closes the connection, or the one being made: that one at once, whatever its set-up is doing
   * (connecting, waiting for the STARTTLS reply, in its TLS handshake). Left to finish, it could
   * outlive the event loops the client is about to release: a loop that stops with a channel
   * still open may end without closing it (Netty 4.2 closes a loop's channels only if it sees
   * the shutdown before its last tasks), and the channel is then never torn down, nor the read
   * buffer its pipeline keeps released. A caller-runs client's blocking connect is ended too,
   * rather than left to connect, up to the connect timeout, a socket nobody will use.
   */
  void close() {
    closed = true;
    if (finder != null) {
      finder.close();
    }
    CompletableFuture<Connection> c = current;
    if (c != null) {
      if (!c.isDone()) {
        Quietly.close(settingUp);
      }
      c.thenAccept(Connection::close);
    }
    if (datagramReader != null) {
      DatagramCallerRunsConnection.BACKGROUND_READER.release(datagramReader);
    }
  }
}
